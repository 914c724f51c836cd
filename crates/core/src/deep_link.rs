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

/// A state-changing link as the user was asked about it: the one account it makes active,
/// resolved when the question was put, so what the user approves is what switches (a
/// rename, a usage reading or an auto-switch between question and click changes nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub provider: ProviderId,
    pub account_id: String,
    /// "Next in pool": the rotation goes on from the account.
    pub via_pool: bool,
    /// What the user is asked ("A link asks to switch Codex to “Side”.").
    pub question: String,
}

/// What a state-changing link will do, resolved to one account and put as a question. A
/// link naming an account that does not exist is an error, and asks nothing.
pub fn ask(board: &crate::Switchboard, link: &DeepLink) -> Result<Asked> {
    match link {
        DeepLink::Use { provider, account } => {
            let account = board.find_account(*provider, account)?;
            Ok(Asked {
                provider: *provider,
                question: format!(
                    "A link asks to switch {} to \u{201c}{}\u{201d}.",
                    provider.display_name(),
                    account.label
                ),
                account_id: account.id,
                via_pool: false,
            })
        }
        DeepLink::Next { provider } => {
            let next = board.pool_next(*provider)?;
            Ok(Asked {
                provider: *provider,
                question: format!(
                    "A link asks to switch {} to the next account of its pool, \u{201c}{}\u{201d}.",
                    provider.display_name(),
                    next.label
                ),
                account_id: next.id,
                via_pool: true,
            })
        }
        DeepLink::Open | DeepLink::Connect { .. } => Err(Error::InvalidInput(
            "This link changes nothing, so there is nothing to ask.".into(),
        )),
    }
}

/// Carries out what the user approved: exactly the account the question named, or an
/// error if it is gone or cannot be used now; never another account.
pub fn carry_out_asked(
    board: &crate::Switchboard,
    asked: &Asked,
) -> Result<crate::facade::Switched> {
    let account = board.account(&asked.account_id).map_err(|err| match err {
        Error::NotFound { .. } => Error::NotAllowed(
            "The account the link asked about was removed meanwhile; nothing was switched.".into(),
        ),
        other => other,
    })?;
    if account.provider != asked.provider {
        return Err(Error::NotAllowed(
            "The link's account is not the one asked about; nothing was switched.".into(),
        ));
    }
    if account.status.waits_for_user() {
        return Err(Error::NotAllowed(format!(
            "\u{201c}{}\u{201d} needs attention since the link asked ({}); nothing was switched.",
            account.label, account.status_reason
        )));
    }
    if asked.via_pool {
        board.move_pool_to(asked.provider, &asked.account_id)
    } else {
        board.set_active(asked.provider, Some(&asked.account_id))
    }
}

/// How long a question waits for its answer.
pub const ASK_EXPIRES: std::time::Duration = std::time::Duration::from_secs(120);
/// How many questions wait at once (a page opening links in a loop fills no memory).
const MAX_ASKED: usize = 8;

/// The questions links put that wait for the user's answer, each answered once, within
/// [`ASK_EXPIRES`]; the oldest goes when more than a few wait.
#[derive(Default)]
pub struct PendingAsks {
    asked: std::sync::Mutex<Vec<(String, std::time::Instant, Asked)>>,
}

impl PendingAsks {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, std::time::Instant, Asked)>> {
        self.asked.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps `asked` until it is answered; returns the id the answer comes back with.
    pub fn put(&self, asked: Asked) -> Result<String> {
        let id = crate::signin::pkce::random_token(12)?;
        let mut pending = self.lock();
        pending.retain(|(_, at, _)| at.elapsed() < ASK_EXPIRES);
        if pending.len() >= MAX_ASKED {
            pending.remove(0);
        }
        pending.push((id.clone(), std::time::Instant::now(), asked));
        Ok(id)
    }

    /// The question an answer is for (each is answered once, within [`ASK_EXPIRES`]).
    pub fn take(&self, id: &str) -> Result<Asked> {
        let mut pending = self.lock();
        let at = pending
            .iter()
            .position(|(asked_id, _, _)| crate::signin::pkce::same_secret(asked_id, id))
            .ok_or_else(|| {
                Error::not_found("link waiting for an answer (it was answered already)")
            })?;
        let (_, asked_at, asked) = pending.remove(at);
        if asked_at.elapsed() >= ASK_EXPIRES {
            return Err(Error::NotAllowed(
                "The link's question waited too long and expired; nothing was switched. Open the link again.".into(),
            ));
        }
        Ok(asked)
    }

    /// How many questions wait.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
