//! `switchboard://` links, parsed into typed actions. A malformed link is an error that says
//! what links look like, and changes nothing.

use percent_encoding::percent_decode_str;
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::ProviderId;
use crate::error::{Error, Result};

pub const SCHEME: &str = "switchboard";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLink {
    /// `switchboard://use/<provider>/<account>`: the account by label, email or id prefix.
    Use {
        provider: ProviderId,
        account: String,
    },
    /// `switchboard://next/<provider>`: the next account of the round-robin pool.
    Next { provider: ProviderId },
    /// `switchboard://connect/<provider>`: the sign-in dialog for that provider.
    Connect { provider: ProviderId },
    /// `switchboard://open`: the window.
    Open,
}

/// What the window is asked to do for a link it was sent.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkRequest {
    /// Open the sign-in dialog for this provider.
    Connect { provider: ProviderId },
    /// Ask before a link changes which account a CLI uses: `question` says what it will do;
    /// the answer goes back with `id`.
    Confirm { id: String, question: String },
    /// Say what a link did (it switched, with the user's leave to switch without asking).
    Done { message: String },
    /// Show what went wrong with a link (malformed, unknown account); nothing changed.
    Failed { message: String },
}

impl DeepLink {
    /// Whether the link changes state (which account a CLI uses): such a link asks first.
    pub fn changes_state(&self) -> bool {
        matches!(self, DeepLink::Use { .. } | DeepLink::Next { .. })
    }
}

/// What a state-changing link will do, as a question for the user ("Switch Codex to
/// “Side”?"). A link naming an account that does not exist is an error, and asks nothing.
pub fn question(board: &crate::Switchboard, link: &DeepLink) -> Result<String> {
    match link {
        DeepLink::Use { provider, account } => {
            let account = board.find_account(*provider, account)?;
            Ok(format!(
                "A link asks to switch {} to \u{201c}{}\u{201d}.",
                provider.display_name(),
                account.label
            ))
        }
        DeepLink::Next { provider } => {
            let next = board.pool_next(*provider)?;
            Ok(format!(
                "A link asks to switch {} to the next account of its pool, \u{201c}{}\u{201d}.",
                provider.display_name(),
                next.label
            ))
        }
        DeepLink::Open | DeepLink::Connect { .. } => Ok(String::new()),
    }
}

const FORMS: &str = "switchboard://use/<provider>/<account>, switchboard://next/<provider>, \
                     switchboard://connect/<provider> or switchboard://open";

fn malformed(link: &str, why: &str) -> Error {
    let shown: String = link.chars().take(120).collect();
    Error::InvalidInput(format!(
        "The link \u{201c}{shown}\u{201d} {why}. Links look like {FORMS}."
    ))
}

/// Whether a command-line argument is a link rather than a subcommand.
pub fn is_link(arg: &str) -> bool {
    arg.get(..SCHEME.len() + 1)
        .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{SCHEME}:")))
}

/// Carries out a `use` or `next` link through the facade; `open` and `connect` are the
/// window's to show and do nothing here.
pub fn carry_out(
    board: &crate::Switchboard,
    link: &DeepLink,
) -> Result<Option<crate::facade::Switched>> {
    match link {
        DeepLink::Use { provider, account } => {
            let account = board.find_account(*provider, account)?;
            board.set_active(*provider, Some(&account.id)).map(Some)
        }
        DeepLink::Next { provider } => board.next_in_pool(*provider).map(Some),
        DeepLink::Open | DeepLink::Connect { .. } => Ok(None),
    }
}

pub fn parse(link: &str) -> Result<DeepLink> {
    let url = url::Url::parse(link.trim()).map_err(|_| malformed(link, "is not a URL"))?;
    if url.scheme() != SCHEME {
        return Err(malformed(link, "is not a Switchboard link"));
    }
    let action = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.filter(|p| !p.is_empty())
                .map(|p| percent_decode_str(p).decode_utf8_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let provider = |name: Option<&String>| {
        let name = name.ok_or_else(|| malformed(link, "names no provider"))?;
        ProviderId::parse(&name.to_ascii_lowercase())
            .ok_or_else(|| malformed(link, &format!("names an unknown provider ({name})")))
    };
    let link_parsed = match (action.as_str(), segments.len()) {
        ("use", 2) => DeepLink::Use {
            provider: provider(segments.first())?,
            account: segments[1].clone(),
        },
        ("next", 1) => DeepLink::Next {
            provider: provider(segments.first())?,
        },
        ("connect", 1) => DeepLink::Connect {
            provider: provider(segments.first())?,
        },
        ("open", 0) => DeepLink::Open,
        ("use" | "next" | "connect" | "open", _) => {
            return Err(malformed(link, "has the wrong number of parts"))
        }
        _ => {
            return Err(malformed(
                link,
                "asks for something Switchboard does not do",
            ))
        }
    };
    Ok(link_parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_links_parse_with_decoded_names() {
        assert_eq!(
            parse("switchboard://use/codex/Work%20key").expect("use"),
            DeepLink::Use {
                provider: ProviderId::Codex,
                account: "Work key".into()
            }
        );
        assert_eq!(
            parse("switchboard://next/Claude").expect("next"),
            DeepLink::Next {
                provider: ProviderId::Claude
            }
        );
        assert_eq!(
            parse("switchboard://connect/gemini/").expect("connect"),
            DeepLink::Connect {
                provider: ProviderId::Gemini
            }
        );
        assert_eq!(parse("switchboard://open").expect("open"), DeepLink::Open);
        assert!(is_link("Switchboard://open") && !is_link("use"));
    }

    #[test]
    fn malformed_links_say_what_links_look_like() {
        for bad in [
            "switchboard://use/codex",
            "switchboard://use/nobody/x",
            "switchboard://delete/codex",
            "switchboard://open/extra",
            "https://example.com/use/codex/x",
            "switchboard:",
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(err.to_string().contains("Links look like"), "{bad}: {err}");
        }
    }
}
