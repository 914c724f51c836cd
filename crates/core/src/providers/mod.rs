//! One module per provider, each owning its catalog entry (and, as they arrive, its
//! endpoints, identity extraction and CLI files). `info` is the single lookup.

mod bob;
mod claude;
mod codex;
mod cursor;
mod env;
mod files;
mod gemini;
mod grok;
mod opencode;
mod sign_in;

use crate::catalog::{ProviderId, ProviderInfo};

pub use env::{config_dir_var, key_env};
pub use files::{
    desired_files, helper_command, login_files, read_login, switch_caveat, token_freshness, Active,
    FoundLogin,
};
pub use sign_in::{login_from_tokens, needs_profile, oauth_client, paste_kind, sign_in_methods};

/// The catalog entry of one provider.
pub fn info(id: ProviderId) -> &'static ProviderInfo {
    use std::sync::OnceLock;
    static CATALOG: OnceLock<Vec<ProviderInfo>> = OnceLock::new();
    let catalog = CATALOG.get_or_init(|| ProviderId::ALL.into_iter().map(build).collect());
    &catalog[ProviderId::ALL
        .iter()
        .position(|p| *p == id)
        .expect("ALL lists every provider")]
}

/// Every provider in display order.
pub fn all() -> Vec<&'static ProviderInfo> {
    ProviderId::ALL.into_iter().map(info).collect()
}

fn build(id: ProviderId) -> ProviderInfo {
    let mut info = match id {
        ProviderId::Claude => claude::info(),
        ProviderId::Codex => codex::info(),
        ProviderId::Gemini => gemini::info(),
        ProviderId::Grok => grok::info(),
        ProviderId::Bob => bob::info(),
        ProviderId::Opencode => opencode::info(),
        ProviderId::Cursor => cursor::info(),
    };
    info.sign_in_methods = sign_in_methods(id);
    info.paste = (!info.sign_in_methods.is_empty()).then(|| paste_kind(id));
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{AccountKind, Effort};

    #[test]
    fn every_provider_has_an_entry_under_its_own_id() {
        for id in ProviderId::ALL {
            assert_eq!(info(id).id, id);
            assert!(info(id).takes(AccountKind::ApiKey), "{id:?} takes a key");
        }
    }

    #[test]
    fn only_claude_takes_bedrock_and_key_only_providers_have_no_oauth() {
        let bedrock: Vec<_> = all()
            .into_iter()
            .filter(|p| p.takes(AccountKind::Bedrock))
            .map(|p| p.id)
            .collect();
        assert_eq!(bedrock, vec![ProviderId::Claude]);
        assert!(!info(ProviderId::Opencode).takes(AccountKind::Oauth));
        assert!(!info(ProviderId::Cursor).takes(AccountKind::Oauth));
    }

    #[test]
    fn claude_efforts_run_from_low_to_max() {
        let claude = info(ProviderId::Claude);
        assert_eq!(claude.efforts_for(Some("opus")), &Effort::ALL);
        assert_eq!(claude.efforts_for(None), &Effort::ALL);
    }

    #[test]
    fn grok_efforts_depend_on_the_model() {
        let grok = info(ProviderId::Grok);
        assert_eq!(
            grok.efforts_for(Some("grok-4.3")),
            &[Effort::Low, Effort::Medium, Effort::High]
        );
        assert_eq!(
            grok.efforts_for(Some("grok-4.20-multi-agent-0309")),
            &[Effort::Low, Effort::Medium, Effort::High, Effort::Xhigh]
        );
        let default = grok
            .models
            .iter()
            .find(|m| m.id == "grok-4.3")
            .and_then(|m| m.default_effort);
        assert_eq!(default, Some(Effort::Low));
        assert!(grok.efforts_for(Some("some-future-model")).is_empty());
    }
}
