//! Input checks for keys, Bedrock credentials, regions, endpoints, labels and model/effort:
//! hard errors for input that cannot work, warnings for input that merely looks unusual.
//! No message ever repeats the secret it is about.

mod endpoint;

pub use endpoint::normalize_endpoint;

use crate::account::KeyCredential;
use crate::catalog::{Effort, ProviderInfo};
use crate::error::{Error, Result};
use crate::secret::Sensitive;

const MAX_LABEL_CHARS: usize = 80;

/// A pasted secret with surrounding whitespace (a trailing newline, say) removed.
pub fn trimmed(secret: &Sensitive<String>) -> Sensitive<String> {
    Sensitive::from(secret.expose().trim())
}

/// Checks a secret's shape. `what` names it in messages ("The key", "The secret access key").
fn check_secret_shape(what: &str, secret: &str) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::InvalidInput(format!("{what} is empty.")));
    }
    if secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::InvalidInput(format!(
            "{what} contains spaces or line breaks; paste only the key itself."
        )));
    }
    if !secret.is_ascii() {
        return Err(Error::InvalidInput(format!(
            "{what} contains characters that never appear in keys; paste it again from the provider's site."
        )));
    }
    if secret.len() < 8 {
        return Err(Error::InvalidInput(format!(
            "{what} is too short to be a real key."
        )));
    }
    Ok(())
}

fn looks_like_jwt(secret: &str) -> bool {
    let parts: Vec<&str> = secret.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) && secret.starts_with("eyJ")
}

/// Validates a key or Bedrock credential for `info`. Returns warnings for unusual input.
pub fn check_credential(info: &ProviderInfo, credential: &KeyCredential) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    match credential {
        KeyCredential::ApiKey { key } => {
            let key = key.expose();
            check_secret_shape("The key", key)?;
            let known = info.key_prefixes.iter().any(|p| key.starts_with(p))
                || (info.key_may_be_jwt && looks_like_jwt(key));
            if key.starts_with("sk-ant-oat") || key.starts_with("sk-ant-ort") {
                warnings.push(
                    "This looks like a Claude sign-in token, not an API key; use \"Sign in with browser\" for subscriptions."
                        .to_owned(),
                );
            } else if !known && !info.key_prefixes.is_empty() {
                let prefixes = info
                    .key_prefixes
                    .iter()
                    .map(|p| format!("\u{201c}{p}\u{201d}"))
                    .collect::<Vec<_>>();
                warnings.push(format!(
                    "{} keys usually start with {}; check that you pasted the right key.",
                    info.key_name
                        .trim_end_matches(" key")
                        .trim_end_matches(" API"),
                    prefixes.join(" or ")
                ));
            } else if key.starts_with("sk-or-") && !info.key_prefixes.contains(&"sk-or-") {
                warnings.push(format!(
                    "This looks like an OpenRouter key, which {} does not accept on its default endpoint.",
                    info.display_name
                ));
            }
        }
        KeyCredential::BedrockAccessKeys {
            access_key_id,
            secret_access_key,
            region,
        } => {
            let id = access_key_id.expose();
            if id.len() < 16
                || id.len() > 128
                || !id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                return Err(Error::InvalidInput(
                    "The access key id is malformed: AWS access key ids are 16 or more capital letters and digits (AKIA…)."
                        .to_owned(),
                ));
            }
            if id.starts_with("ASIA") {
                warnings.push(
                    "ASIA… keys are temporary and need a session token; long-term AKIA… keys or a Bedrock API key last."
                        .to_owned(),
                );
            } else if !id.starts_with("AKIA") {
                warnings.push("AWS access key ids usually start with AKIA.".to_owned());
            }
            check_secret_shape("The secret access key", secret_access_key.expose())?;
            if secret_access_key.expose().len() != 40 {
                warnings.push("AWS secret access keys are usually 40 characters long.".to_owned());
            }
            check_region(region)?;
        }
        KeyCredential::BedrockApiKey { api_key, region } => {
            let key = api_key.expose();
            check_secret_shape("The Bedrock API key", key)?;
            if !key.starts_with("ABSK") && !key.starts_with("bedrock-api-key-") {
                warnings.push(
                    "Bedrock API keys usually start with \u{201c}ABSK\u{201d} (long-term) or \u{201c}bedrock-api-key-\u{201d} (short-term)."
                        .to_owned(),
                );
            }
            check_region(region)?;
        }
    }
    Ok(warnings)
}

/// An AWS region name such as `us-east-1`, `eu-central-2` or `us-gov-west-1`.
pub fn check_region(region: &str) -> Result<()> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].len() <= 2
        && !parts[parts.len() - 1].is_empty()
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "\u{201c}{region}\u{201d} is not an AWS region; regions look like us-east-1 or eu-central-1."
        )))
    }
}

/// A label as stored: trimmed, not empty, one line, at most 80 characters.
pub fn check_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::InvalidInput("The label is empty.".to_owned()));
    }
    if label.chars().any(char::is_control) {
        return Err(Error::InvalidInput(
            "The label must be a single line.".to_owned(),
        ));
    }
    if label.chars().any(crate::text::is_bidi_control) {
        return Err(Error::InvalidInput(
            "The label contains a character that changes the direction text is shown in; type it without.".to_owned(),
        ));
    }
    if label.chars().any(crate::text::is_invisible) {
        return Err(Error::InvalidInput(
            "The label contains an invisible character (a zero-width space or joiner, say), which would let two labels look alike; type it without.".to_owned(),
        ));
    }
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(Error::InvalidInput(format!(
            "The label is longer than {MAX_LABEL_CHARS} characters."
        )));
    }
    Ok(label.to_owned())
}

/// Checks that `effort` is one the provider (and, for Grok, the model) takes.
pub fn check_model_effort(
    info: &ProviderInfo,
    model: Option<&str>,
    effort: Option<Effort>,
) -> Result<()> {
    if let Some(model) = model {
        if model.trim().is_empty() || model.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidInput(
                "A model name is one word without spaces.".to_owned(),
            ));
        }
    }
    let Some(effort) = effort else { return Ok(()) };
    let allowed = info.efforts_for(model);
    if allowed.contains(&effort) {
        return Ok(());
    }
    if allowed.is_empty() {
        return Err(Error::InvalidInput(match model {
            Some(m) => format!(
                "{} has no effort setting for the model {m}.",
                info.display_name
            ),
            None => format!("{} has no effort setting.", info.display_name),
        }));
    }
    let names: Vec<_> = allowed.iter().map(|e| e.as_str()).collect();
    Err(Error::InvalidInput(format!(
        "Effort {} is not available{}; choose one of {}.",
        effort.as_str(),
        model.map(|m| format!(" for {m}")).unwrap_or_default(),
        names.join(", ")
    )))
}

/// A masked hint of a secret: the provider prefix (or a few characters) and the last four,
/// never more than two fifths of the secret. Short secrets show nothing.
pub fn mask(secret: &str, known_prefixes: &[&str]) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let n = chars.len();
    if n < 12 {
        return "\u{2022}\u{2022}\u{2022}\u{2022}".to_owned();
    }
    let budget = n * 2 / 5;
    let tail = 4.min(budget / 2);
    let wanted_head = known_prefixes
        .iter()
        .filter(|p| secret.starts_with(*p))
        .map(|p| p.chars().count().min(7))
        .max()
        .unwrap_or(4);
    let head = wanted_head.min(budget - tail);
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[n - tail..].iter().collect();
    format!("{head}\u{2026}{tail}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_refuse_direction_overrides_and_controls() {
        assert!(check_label("Work\u{202E}yek").is_err());
        assert!(check_label("a\u{2066}b").is_err());
        assert!(check_label("two\nlines").is_err());
        assert!(check_label("esc\u{1b}[31m").is_err());
        assert!(check_label("Wo\u{200b}rk").is_err(), "a zero-width space");
        assert!(check_label("Wo\u{200d}rk").is_err(), "a zero-width joiner");
        assert_eq!(
            check_label("  Perso \u{e9} ").expect("accents are fine"),
            "Perso \u{e9}"
        );
    }

    use super::*;
    use crate::catalog::ProviderId;
    use crate::providers::info;

    fn api_key(key: &str) -> KeyCredential {
        KeyCredential::ApiKey { key: key.into() }
    }

    #[test]
    fn mask_shows_prefix_and_last_four_only() {
        assert_eq!(
            mask(
                "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
                &["sk-ant-api03-"]
            ),
            "sk-ant-\u{2026}wxyz"
        );
        assert_eq!(mask("AKIAIOSFODNN7EXAMPLE", &["AKIA"]), "AKIA\u{2026}MPLE");
        assert_eq!(mask("short", &[]), "\u{2022}\u{2022}\u{2022}\u{2022}");
        let twelve = mask("sk-ant-12345", &["sk-ant-"]);
        assert_eq!(
            twelve, "sk\u{2026}45",
            "a 12-char secret reveals at most 4 characters"
        );
    }

    #[test]
    fn key_prefix_mismatch_warns_without_echoing_the_key() {
        let warnings = check_credential(info(ProviderId::Gemini), &api_key("not-a-gemini-key-123"))
            .expect("valid shape");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("AIza"), "{warnings:?}");
        assert!(
            !warnings[0].contains("not-a-gemini"),
            "warning must not echo the key"
        );
        assert!(
            check_credential(info(ProviderId::Gemini), &api_key("AIzaSyA-1234567890"))
                .expect("ok")
                .is_empty()
        );
    }

    #[test]
    fn claude_oauth_token_pasted_as_key_is_flagged() {
        let w = check_credential(
            info(ProviderId::Claude),
            &api_key("sk-ant-oat01-xxxxxxxxxxxx"),
        )
        .expect("shape ok");
        assert!(w[0].contains("sign-in token"), "{w:?}");
    }

    #[test]
    fn bob_accepts_jwt_keys() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        assert!(check_credential(info(ProviderId::Bob), &api_key(jwt))
            .expect("ok")
            .is_empty());
    }

    #[test]
    fn malformed_keys_are_errors() {
        for bad in [
            "",
            "abc",
            "sk-ant api03 with spaces",
            "sk-ant-\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
        ] {
            let err = check_credential(info(ProviderId::Claude), &api_key(bad)).expect_err(bad);
            assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-4",
        ] {
            check_region(ok).expect(ok);
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "useast1",
            "us-east-123",
            "us--1",
        ] {
            assert!(check_region(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn bedrock_access_keys_are_checked() {
        let good = KeyCredential::BedrockAccessKeys {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            region: "us-east-1".into(),
        };
        assert!(check_credential(info(ProviderId::Claude), &good)
            .expect("ok")
            .is_empty());
        let bad_id = KeyCredential::BedrockAccessKeys {
            access_key_id: "akia-lowercase".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            region: "us-east-1".into(),
        };
        assert!(check_credential(info(ProviderId::Claude), &bad_id).is_err());
    }

    #[test]
    fn efforts_follow_the_catalog() {
        let grok = info(ProviderId::Grok);
        check_model_effort(
            grok,
            Some("grok-4.20-multi-agent-0309"),
            Some(Effort::Xhigh),
        )
        .expect("xhigh ok");
        let err =
            check_model_effort(grok, Some("grok-4.3"), Some(Effort::Xhigh)).expect_err("no xhigh");
        assert!(err.to_string().contains("low, medium, high"), "{err}");
        check_model_effort(info(ProviderId::Claude), None, Some(Effort::Max)).expect("claude max");
        assert!(check_model_effort(info(ProviderId::Cursor), None, Some(Effort::Low)).is_err());
    }

    #[test]
    fn labels() {
        assert_eq!(check_label("  Work  ").expect("ok"), "Work");
        assert!(check_label("  ").is_err());
        assert!(check_label("a\nb").is_err());
        assert!(check_label(&"x".repeat(81)).is_err());
    }
}
