//! Reading what a user pastes back: Claude's `code#state`, the URL the browser was
//! redirected to (copied from the address bar), or a bare code (Google's authcode page).

use url::Url;

use crate::error::{Error, Result};

/// A pasted answer, before its state is checked.
#[derive(PartialEq, Eq)]
pub struct Pasted {
    pub code: String,
    pub state: Option<String>,
    /// The redirect URI the code was issued for: the pasted URL's, or `None` for a bare
    /// code or `code#state` (issued for the provider's code page).
    pub redirect_uri: Option<String>,
    /// The provider's `error` when the pasted URL carries one.
    pub error: Option<(String, Option<String>)>,
}

impl std::fmt::Debug for Pasted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pasted")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

const GARBAGE: &str =
    "That is not a sign-in code. Paste the code the provider's page shows (all of \
                       it), or the whole address the browser ended on (it contains code=).";

pub fn parse(text: &str) -> Result<Pasted> {
    let text = text.trim();
    if text.starts_with("http://") || text.starts_with("https://") {
        return parse_url(text);
    }
    let (code, state) = match text.split_once('#') {
        Some((code, state)) => (code, Some(state)),
        None => (text, None),
    };
    if !looks_like_token(code) || state.is_some_and(|s| !looks_like_token(s)) {
        return Err(Error::InvalidInput(GARBAGE.into()));
    }
    Ok(Pasted {
        code: code.to_owned(),
        state: state.map(str::to_owned),
        redirect_uri: None,
        error: None,
    })
}

fn parse_url(text: &str) -> Result<Pasted> {
    let url = Url::parse(text).map_err(|_| Error::InvalidInput(GARBAGE.into()))?;
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let mut redirect = url.clone();
    redirect.set_query(None);
    redirect.set_fragment(None);
    let redirect_uri = Some(redirect.to_string());
    if let Some(error) = query("error") {
        return Ok(Pasted {
            code: String::new(),
            state: query("state"),
            redirect_uri,
            error: Some((error, query("error_description"))),
        });
    }
    let code = query("code")
        .filter(|c| looks_like_token(c))
        .ok_or_else(|| Error::InvalidInput(GARBAGE.into()))?;
    Ok(Pasted {
        code,
        state: query("state"),
        redirect_uri,
        error: None,
    })
}

/// Codes and states are long runs of URL-safe characters.
fn looks_like_token(text: &str) -> bool {
    text.len() >= 8
        && text.len() <= 4096
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~/+=%".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_state_split_on_the_hash() {
        let p = parse("  ac_1234567890abcdef#st_abcdefgh12345\n").unwrap();
        assert_eq!(p.code, "ac_1234567890abcdef");
        assert_eq!(p.state.as_deref(), Some("st_abcdefgh12345"));
        assert_eq!(p.redirect_uri, None);
    }

    #[test]
    fn a_redirected_url_gives_code_state_and_its_redirect_uri() {
        let p = parse(
            "http://localhost:1455/auth/callback?code=ac_1234567890&scope=x&state=s_12345678",
        )
        .unwrap();
        assert_eq!(p.code, "ac_1234567890");
        assert_eq!(p.state.as_deref(), Some("s_12345678"));
        assert_eq!(
            p.redirect_uri.as_deref(),
            Some("http://localhost:1455/auth/callback")
        );
    }

    #[test]
    fn a_bare_code_has_no_state() {
        let p = parse("4/0AVMBsJh-abcdefghijkl").unwrap();
        assert_eq!(p.code, "4/0AVMBsJh-abcdefghijkl");
        assert_eq!(p.state, None);
    }

    #[test]
    fn an_error_url_is_reported_as_such() {
        let p = parse("http://127.0.0.1:5/cb?error=access_denied&state=abcdefgh1").unwrap();
        assert_eq!(p.error.unwrap().0, "access_denied");
    }

    #[test]
    fn garbage_is_refused_with_a_hint() {
        for text in [
            "",
            "hello world",
            "short",
            "https://example.com/no-code",
            "abc def ghi jkl",
            "ac_123456789#x y",
        ] {
            let err = parse(text).unwrap_err();
            assert!(
                err.to_string().contains("not a sign-in code"),
                "{text}: {err}"
            );
        }
    }
}
