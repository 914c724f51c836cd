//! PKCE (RFC 7636, S256 only) and the random `state` values of a sign-in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::{Error, Result};
use crate::secret::Sensitive;

/// A code verifier and its S256 challenge. The verifier is a secret until the exchange.
pub struct Pkce {
    pub verifier: Sensitive<String>,
    pub challenge: String,
}

impl Pkce {
    /// A fresh verifier (32 random bytes) and its S256 challenge, made by the `oauth2` crate.
    pub fn new() -> Result<Self> {
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        if challenge.method().as_str() != "S256" {
            return Err(Error::InvalidInput("PKCE must be S256".into()));
        }
        Ok(Self {
            challenge: challenge.as_str().to_owned(),
            verifier: Sensitive::new(verifier.secret().clone()),
        })
    }
}

/// The S256 challenge of a verifier: base64url(sha256(verifier)), no padding.
#[cfg(test)]
pub fn challenge_of(verifier: &str) -> String {
    use sha2::{Digest, Sha256};
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `bytes` random bytes from the OS, base64url without padding.
pub fn random_token(bytes: usize) -> Result<String> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| Error::io("drawing random bytes", e))?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

/// Compares two strings in time independent of where they differ (for `state`).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_pair_is_s256_of_a_43_character_verifier() {
        let pkce = Pkce::new().unwrap();
        assert_eq!(pkce.verifier.expose().len(), 43);
        assert_eq!(pkce.challenge, challenge_of(pkce.verifier.expose()));
        assert_ne!(Pkce::new().unwrap().challenge, pkce.challenge);
    }

    #[test]
    fn challenge_is_unpadded_base64url_of_sha256() {
        // Reference value from Python: urlsafe_b64encode(sha256(verifier)).rstrip("=").
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mJ0glZQuTfV8hLyeGWDxNbXrdRZ2fI"),
            "_zdlfN_KGvSXt430xuuCQu2cacumCw14157Gg2n-lk0"
        );
    }

    #[test]
    fn verifiers_are_long_and_never_repeat() {
        let a = Pkce::new().unwrap();
        let b = Pkce::new().unwrap();
        assert_eq!(a.verifier.expose().len(), 43);
        assert_ne!(a.verifier.expose(), b.verifier.expose());
        assert_eq!(a.challenge, challenge_of(a.verifier.expose()));
    }

    #[test]
    fn same_secret_compares_whole_strings() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
