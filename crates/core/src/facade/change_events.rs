//! The outbox as the facade uses it: what a process hears of its own changes and of other
//! processes', when, and never twice (tests; on a temp dir, with the secrets in memory).

use super::*;
use crate::account::Fallback;
use crate::secret_store::MemoryStore;
use std::sync::Mutex;

fn board(config: &Config, secrets: &Arc<MemoryStore>) -> Switchboard {
    Switchboard::open_with_secrets(config.clone(), secrets.clone()).expect("open")
}

#[test]
fn a_process_follows_the_others_changes_and_never_replays_its_own() {
    let root = tempfile::tempdir().expect("temp dir");
    let config = temp_config(root.path());
    let secrets = Arc::new(MemoryStore::default());
    let (a, b) = (board(&config, &secrets), board(&config, &secrets));
    let changes = listen(&a);
    let heard = || -> Vec<(EventKind, ProviderId)> {
        changes().iter().map(|c| (c.kind, c.provider)).collect()
    };

    // This process changes a policy: published here once, when it is made.
    a.set_fallback(ProviderId::Grok, Fallback::Pool)
        .expect("fallback");
    assert_eq!(heard(), [(EventKind::AccountUpdated, ProviderId::Grok)]);
    // Another process changes its fallback policy and its auto-switch threshold: both
    // reach this process, and this process's own change is not heard again.
    b.set_fallback(ProviderId::Codex, Fallback::Pool)
        .expect("fallback");
    b.set_auto_switch(ProviderId::Gemini, Some(90.0))
        .expect("auto-switch");
    assert_eq!(a.follow_other_processes().expect("follow"), 2);
    assert_eq!(
        heard(),
        [
            (EventKind::AccountUpdated, ProviderId::Grok),
            (EventKind::AccountUpdated, ProviderId::Codex),
            (EventKind::AccountUpdated, ProviderId::Gemini),
        ]
    );
    // Nothing new: nothing is published again.
    a.set_auto_switch(ProviderId::Claude, None)
        .expect("auto-switch");
    b.set_fallback(ProviderId::Codex, Fallback::None)
        .expect("fallback");
    assert_eq!(a.follow_other_processes().expect("follow"), 1);
    assert_eq!(a.follow_other_processes().expect("follow"), 0);
    assert_eq!(heard().len(), 5, "{:?}", heard());
    assert_eq!(
        heard()[3..],
        [
            (EventKind::AccountUpdated, ProviderId::Claude),
            (EventKind::AccountUpdated, ProviderId::Codex),
        ]
    );
}

fn temp_config(root: &std::path::Path) -> Config {
    Config::new(
        root.join("data"),
        "change-events".into(),
        root.join("home"),
        "switchboard".into(),
    )
}

fn listen(board: &Switchboard) -> impl Fn() -> Vec<Change> {
    let heard: Arc<Mutex<Vec<Change>>> = Arc::default();
    let sink = heard.clone();
    board.subscribe(move |c| {
        sink.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(c.clone())
    });
    move || heard.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

fn key(provider: ProviderId, label: &str, key: &str) -> crate::account::NewKeyAccount {
    crate::account::NewKeyAccount {
        provider,
        label: Some(label.into()),
        description: None,
        credential: crate::account::KeyCredential::ApiKey {
            key: crate::secret::Sensitive::new(key.into()),
        },
        endpoint: None,
        model: None,
        effort: None,
    }
}

#[test]
fn what_an_action_committed_is_published_once_when_the_action_ends() {
    let root = tempfile::tempdir().expect("temp dir");
    let board = board(&temp_config(root.path()), &Arc::new(MemoryStore::default()));
    let heard = listen(&board);
    let log = |provider| {
        board
            .store
            .transaction(|tx| tx.log_event(EventKind::AccountUpdated, provider, None, ""))
    };
    {
        let _outer = board.outbox.action();
        log(ProviderId::Grok).expect("log");
        {
            let _inner = board.outbox.action();
            log(ProviderId::Codex).expect("log");
        }
        assert!(heard().is_empty(), "published mid-action: {:?}", heard());
    }
    let providers: Vec<_> = heard().iter().map(|c| c.provider).collect();
    assert_eq!(providers, [ProviderId::Grok, ProviderId::Codex]);
    // Outside an action, at the commit.
    log(ProviderId::Gemini).expect("log");
    assert_eq!(heard().len(), 3);
    // Rolled back: never published.
    let failed: Result<()> = board.store.transaction(|tx| {
        tx.log_event(EventKind::AccountUpdated, ProviderId::Claude, None, "")?;
        Err(Error::InvalidInput("no".into()))
    });
    assert!(failed.is_err());
    assert_eq!(heard().len(), 3, "{:?}", heard());
    // A read cannot log.
    let logged_in_read = board
        .store
        .read(|tx| tx.log_event(EventKind::AccountUpdated, ProviderId::Claude, None, ""));
    assert!(logged_in_read.is_err());
    assert_eq!(board.recent_events(10).expect("events").len(), 3);
}

#[test]
fn a_switch_publishes_what_it_logged_after_the_files_are_written() {
    let root = tempfile::tempdir().expect("temp dir");
    let config = temp_config(root.path());
    let board = Arc::new(board(&config, &Arc::new(MemoryStore::default())));
    let auth = root.path().join("home/.codex/auth.json");
    let files_when_heard: Arc<Mutex<Vec<(EventKind, String)>>> = Arc::default();
    let sink = files_when_heard.clone();
    let path = auth.clone();
    board.subscribe(move |c| {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        sink.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((c.kind, text));
    });
    let work = board
        .add_key_account(key(ProviderId::Codex, "Work", "sk-work-0123456789abcdef"))
        .expect("work")
        .account;
    board
        .add_key_account(key(ProviderId::Codex, "Side", "sk-side-0123456789abcdef"))
        .expect("side");
    board
        .set_active(ProviderId::Codex, Some(&work.id))
        .expect("switch");
    let heard = files_when_heard
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let kinds: Vec<_> = heard.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        kinds,
        [
            EventKind::AccountAdded,
            EventKind::AccountAdded,
            EventKind::ActiveChanged
        ]
    );
    assert!(
        heard[2].1.contains("sk-work-0123456789abcdef"),
        "the switch was published before auth.json held the key"
    );
    // Everything published was logged, and the other way round.
    let mut logged: Vec<_> = board
        .recent_events(10)
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    logged.reverse();
    assert_eq!(logged, kinds);
}
