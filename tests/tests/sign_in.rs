//! Browser, paste-back and device sign-in for every provider and method, against the fake
//! provider (reached only through `SWITCHBOARD_ENDPOINTS`), with the real keychain and CLI
//! files; and every kind of bad input, each leaving nothing stored and no listener open.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use switchboard_core::catalog::ProviderId;
use switchboard_core::error::Error;
use switchboard_core::signin::{SignInMethod, SignedIn};
use switchboard_core::store::EventKind;
use switchboard_core::Switchboard;
use switchboard_tests::fake_provider::{paste_text_for, Failure, FakeProvider, Identity, Route};
use switchboard_tests::real_cli::{claude_status, codex_status, read_json};
use switchboard_tests::{contains, secret_tool_lookup, TestEnv};

/// Runs one sign-in to its end, playing the user's part for `method`.
fn sign_in(
    env: &TestEnv,
    fake: &FakeProvider,
    provider: ProviderId,
    method: SignInMethod,
    label: Option<&str>,
) -> Result<SignedIn, Error> {
    match method {
        // The fake browser (SWITCHBOARD_OPEN_WITH) follows the redirect to the listener.
        SignInMethod::Browser => {
            let board = env.board();
            let started = board.start_sign_in(provider, method, label)?;
            assert!(started.browser_opened);
            board.finish_sign_in(&started.id)
        }
        SignInMethod::Paste => {
            let board = env.quiet_board();
            let started = board.start_sign_in(provider, method, label)?;
            board.paste_sign_in(&started.id, &paste_text_for(&started.browser_url))?;
            board.finish_sign_in(&started.id)
        }
        SignInMethod::Device => {
            let board = env.quiet_board();
            let started = board.start_sign_in(provider, method, label)?;
            let code = started.user_code.clone().expect("a device code");
            assert!(fake.approve_device(&code), "the fake knows {code}");
            board.poll_sign_in_now(&started.id)?;
            board.finish_sign_in(&started.id)
        }
    }
}

fn token_file(env: &TestEnv, provider: ProviderId) -> std::path::PathBuf {
    let home = env.home();
    match provider {
        ProviderId::Claude => home.join(".claude/.credentials.json"),
        ProviderId::Codex => home.join(".codex/auth.json"),
        ProviderId::Gemini => home.join(".gemini/oauth_creds.json"),
        ProviderId::Grok => home.join(".grok/auth.json"),
        _ => unreachable!(),
    }
}

/// The newest refresh token the fake issued to `email` (tokens come in access/refresh pairs).
fn latest_refresh(fake: &FakeProvider, email: &str) -> String {
    fake.issued_to(email)
        .last()
        .cloned()
        .expect("tokens issued")
}

#[test]
fn every_provider_signs_in_with_every_method_it_offers() {
    let (env, fake) = TestEnv::signing_in();
    let cases = [
        (
            ProviderId::Claude,
            SignInMethod::Browser,
            "ada@example.com",
            "max",
        ),
        (
            ProviderId::Claude,
            SignInMethod::Paste,
            "bob@example.com",
            "pro",
        ),
        (
            ProviderId::Codex,
            SignInMethod::Browser,
            "cy@example.com",
            "plus",
        ),
        (
            ProviderId::Codex,
            SignInMethod::Paste,
            "di@example.com",
            "pro",
        ),
        (
            ProviderId::Codex,
            SignInMethod::Device,
            "ed@example.com",
            "team",
        ),
        (
            ProviderId::Gemini,
            SignInMethod::Browser,
            "fay@example.com",
            "",
        ),
        (
            ProviderId::Gemini,
            SignInMethod::Paste,
            "gus@example.com",
            "",
        ),
        (
            ProviderId::Grok,
            SignInMethod::Device,
            "hal@example.com",
            "",
        ),
        (
            ProviderId::Grok,
            SignInMethod::Browser,
            "ida@example.com",
            "",
        ),
    ];
    for (provider, method, email, plan) in cases {
        let what = format!("{provider:?} by {method:?}");
        fake.sign_in_as(Identity::new(email, plan));
        let done =
            sign_in(&env, &fake, provider, method, None).unwrap_or_else(|e| panic!("{what}: {e}"));
        let account = &done.account;
        assert!(done.created, "{what}");
        assert_eq!(account.email.as_deref(), Some(email), "{what}");
        assert_eq!(account.label, email, "{what}: labelled by its email");
        if provider == ProviderId::Claude || provider == ProviderId::Codex {
            assert_eq!(account.plan.as_deref(), Some(plan), "{what}: plan");
        }
        // The tokens are in the real keychain (checked with secret-tool) ...
        let refresh = latest_refresh(&fake, email);
        let stored = secret_tool_lookup(&env.config.keyring_service, &account.id)
            .unwrap_or_else(|| panic!("{what}: no keychain entry"));
        assert!(
            stored.contains(&refresh),
            "{what}: keychain holds the refresh token"
        );
        // ... and nowhere in the data dir (database, WAL, log).
        for (path, bytes) in env.data_dir_bytes() {
            for token in fake.issued_to(email) {
                assert!(
                    !contains(&bytes, &token),
                    "{what}: a token is in {}",
                    path.display()
                );
            }
        }
        // The first account of a provider becomes active and is written to its CLI's files.
        let first = env
            .accounts()
            .iter()
            .filter(|a| a.provider == provider)
            .count()
            == 1;
        assert_eq!(done.activated, first, "{what}");
        if first {
            let text = std::fs::read_to_string(token_file(&env, provider)).unwrap();
            assert!(
                text.contains(&refresh),
                "{what}: CLI file holds the new login"
            );
        }
    }
    assert_eq!(env.accounts().len(), cases.len());
}

#[test]
fn the_real_clis_read_a_signed_in_account() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("max@example.com", "max"));
    sign_in(&env, &fake, ProviderId::Claude, SignInMethod::Browser, None).unwrap();
    let status = claude_status(&env);
    assert_eq!(status["loggedIn"], true, "{status}");
    assert_eq!(status["authMethod"], "claude.ai", "{status}");
    assert_eq!(status["email"], "max@example.com", "{status}");
    assert_eq!(status["subscriptionType"], "max", "{status}");

    fake.sign_in_as(Identity::new("gpt@example.com", "plus"));
    sign_in(&env, &fake, ProviderId::Codex, SignInMethod::Device, None).unwrap();
    let (ok, text) = codex_status(&env);
    assert!(ok && text.contains("Logged in using ChatGPT"), "{text}");
    let auth = read_json(&env.home().join(".codex/auth.json"));
    assert_eq!(auth["auth_mode"], "chatgpt");
    assert_eq!(
        auth["tokens"]["account_id"],
        Identity::new("gpt@example.com", "plus").account_id
    );
}

#[test]
fn signing_in_again_as_the_same_identity_updates_that_account() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("same@example.com", "pro"));
    let first = sign_in(&env, &fake, ProviderId::Claude, SignInMethod::Browser, None).unwrap();
    let first_refresh = latest_refresh(&fake, "same@example.com");
    fake.sign_in_as(Identity::new("same@example.com", "max"));
    let again = sign_in(
        &env,
        &fake,
        ProviderId::Claude,
        SignInMethod::Paste,
        Some("Work"),
    )
    .unwrap();
    assert!(!again.created);
    assert_eq!(again.account.id, first.account.id);
    assert_eq!(again.account.label, "Work", "a given label renames it");
    assert_eq!(again.account.plan.as_deref(), Some("max"));
    assert_eq!(env.accounts().len(), 1, "no duplicate");
    let newest = latest_refresh(&fake, "same@example.com");
    assert_ne!(newest, first_refresh);
    let stored = secret_tool_lookup(&env.config.keyring_service, &first.account.id).unwrap();
    assert!(stored.contains(&newest) && !stored.contains(&first_refresh));
    // It is the active account, so its file got the new tokens too.
    let creds = read_json(&env.home().join(".claude/.credentials.json"));
    assert_eq!(creds["claudeAiOauth"]["refreshToken"], newest.as_str());
}

/// Whoever hears of a new sign-in, or sees its row, finds its CLI files already written:
/// this process's listeners (the window), and another process reading the database.
#[test]
fn a_new_sign_in_is_published_only_once_its_files_are_written() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("order@example.com", "plus"));
    let auth_path = env.home().join(".codex/auth.json");
    let board = env.quiet_board();
    let heard = Arc::new(Mutex::new(Vec::new()));
    {
        let heard = heard.clone();
        let auth_path = auth_path.clone();
        board.subscribe(move |change| {
            let file = std::fs::read_to_string(&auth_path).unwrap_or_default();
            heard.lock().unwrap().push((change.kind, file));
        });
    }
    // Another process's view: as soon as it sees an account, the file must hold its login.
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (done, config, auth_path) = (done.clone(), env.config.clone(), auth_path.clone());
        std::thread::spawn(move || {
            let other = Switchboard::open(config).expect("open");
            let mut looks = 0u32;
            while !done.load(Ordering::SeqCst) {
                let seen = other.overview().expect("overview").providers[1]
                    .accounts
                    .len();
                if seen > 0 {
                    return Some(std::fs::read_to_string(&auth_path).unwrap_or_default());
                }
                looks += 1;
            }
            assert!(looks > 0, "the other process looked while the sign-in ran");
            None
        })
    };
    let started = board
        .start_sign_in(ProviderId::Codex, SignInMethod::Paste, None)
        .unwrap();
    board
        .paste_sign_in(&started.id, &paste_text_for(&started.browser_url))
        .unwrap();
    let signed_in = board.finish_sign_in(&started.id).unwrap();
    done.store(true, Ordering::SeqCst);
    assert!(signed_in.created && signed_in.activated);
    let refresh = latest_refresh(&fake, "order@example.com");
    let heard = heard.lock().unwrap().clone();
    let kinds: Vec<EventKind> = heard.iter().map(|(kind, _)| *kind).collect();
    assert_eq!(kinds, [EventKind::AccountAdded, EventKind::ActiveChanged]);
    for (kind, file) in &heard {
        assert!(
            file.contains(&refresh),
            "when {kind:?} was published, auth.json did not hold the new login yet"
        );
    }
    if let Some(file) = watcher.join().unwrap() {
        assert!(
            file.contains(&refresh),
            "another process saw the account before its files were written"
        );
    }
}

#[test]
fn a_second_account_is_added_but_not_activated() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("one@example.com", "plus"));
    let one = sign_in(&env, &fake, ProviderId::Codex, SignInMethod::Browser, None).unwrap();
    fake.sign_in_as(Identity::new("two@example.com", "plus"));
    let two = sign_in(
        &env,
        &fake,
        ProviderId::Codex,
        SignInMethod::Browser,
        Some("Second"),
    )
    .unwrap();
    assert!(one.activated && !two.activated);
    assert_eq!(two.account.label, "Second");
    let active = env.board().active_account(ProviderId::Codex).unwrap();
    assert_eq!(active.id, one.account.id);
}

#[test]
fn without_an_email_the_label_is_the_provider_and_time() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("hidden@example.com", "pro"));
    fake.fail_next(Route::Token, Failure::Anonymous);
    fake.fail_next(Route::Profile, Failure::ServerError);
    let done = sign_in(&env, &fake, ProviderId::Claude, SignInMethod::Paste, None).unwrap();
    assert_eq!(done.account.email, None);
    assert!(
        done.account.label.starts_with("Claude Code 20"),
        "{}",
        done.account.label
    );
}

#[test]
fn a_slow_token_answer_still_signs_in() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("slow@example.com", "pro"));
    fake.fail_next(
        Route::Token,
        Failure::Slow(std::time::Duration::from_millis(1500)),
    );
    let done = sign_in(&env, &fake, ProviderId::Claude, SignInMethod::Browser, None).unwrap();
    assert_eq!(done.account.email.as_deref(), Some("slow@example.com"));
}
