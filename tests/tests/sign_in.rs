//! Browser, paste-back and device sign-in for every provider and method, against the fake
//! provider (reached only through `SWITCHBOARD_ENDPOINTS`), with the real keychain and CLI
//! files; and every kind of bad input, each leaving nothing stored and no listener open.

use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use switchboard_core::catalog::ProviderId;
use switchboard_core::error::{Error, ErrorCode};
use switchboard_core::signin::browser::OpenWith;
use switchboard_core::signin::{SignInMethod, SignInStarted, SignedIn};
use switchboard_core::store::EventKind;
use switchboard_core::{Config, Switchboard};
use switchboard_tests::fake_provider::{paste_text_for, Failure, FakeProvider, Identity, Route};
use switchboard_tests::real_cli::{claude_status, codex_status, read_json};
use switchboard_tests::{contains, secret_tool_lookup, TestEnv};

fn world() -> (TestEnv, FakeProvider) {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    (env, fake)
}

/// A facade that opens no browser: the test plays the user.
fn quiet(env: &TestEnv) -> Switchboard {
    Switchboard::open(Config {
        open_with: OpenWith::Nothing,
        ..env.config.clone()
    })
    .expect("open")
}

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
            let board = quiet(env);
            let started = board.start_sign_in(provider, method, label)?;
            board.paste_sign_in(&started.id, &paste_text_for(&started.browser_url))?;
            board.finish_sign_in(&started.id)
        }
        SignInMethod::Device => {
            let board = quiet(env);
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
    let (env, fake) = world();
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
    let (env, fake) = world();
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
    let (env, fake) = world();
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
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("order@example.com", "plus"));
    let auth_path = env.home().join(".codex/auth.json");
    let board = quiet(&env);
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
    let (env, fake) = world();
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
    let (env, fake) = world();
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

/// The loopback port of a started browser sign-in.
fn listener_port(started: &SignInStarted) -> u16 {
    let url = url::Url::parse(&started.browser_url).expect("authorize URL");
    let redirect = url
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .expect("a redirect_uri");
    url::Url::parse(&redirect)
        .expect("redirect URL")
        .port()
        .expect("a loopback port")
}

fn assert_nothing_stored(env: &TestEnv) {
    assert!(env.accounts().is_empty(), "nothing may be stored");
    let home_files: Vec<_> = walk(&env.home());
    assert!(home_files.is_empty(), "no CLI file written: {home_files:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn expect_browser_failure(
    fake_setup: impl Fn(&FakeProvider),
    provider: ProviderId,
) -> (Error, u16) {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("x@example.com", "pro"));
    fake_setup(&fake);
    let board = env.board();
    let started = board
        .start_sign_in(provider, SignInMethod::Browser, None)
        .expect("started");
    let port = listener_port(&started);
    let err = board
        .finish_sign_in(&started.id)
        .expect_err("the sign-in fails");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the listener on {port} must be closed after: {err}"
    );
    assert_nothing_stored(&env);
    (err, port)
}

#[test]
fn a_forged_state_is_refused() {
    let (err, _) = expect_browser_failure(
        |fake| fake.fail_next(Route::Authorize, Failure::WrongState),
        ProviderId::Claude,
    );
    assert_eq!(err.code(), ErrorCode::StateMismatch, "{err}");
    assert!(err.to_string().contains("state does not match"), "{err}");
}

#[test]
fn a_declined_consent_is_reported() {
    let (err, _) = expect_browser_failure(
        |fake| fake.fail_next(Route::Authorize, Failure::AccessDenied),
        ProviderId::Gemini,
    );
    assert_eq!(err.code(), ErrorCode::AccessDenied, "{err}");
    assert!(err.to_string().contains("The user declined"), "{err}");
}

#[test]
fn an_expired_or_reused_code_is_reported() {
    let (err, _) = expect_browser_failure(
        |fake| fake.fail_next(Route::Token, Failure::InvalidGrant),
        ProviderId::Codex,
    );
    assert_eq!(err.code(), ErrorCode::CodeRejected, "{err}");
    assert!(
        err.to_string().contains("expired or was already used"),
        "{err}"
    );
}

#[test]
fn a_code_is_single_use_at_the_token_endpoint() {
    // The same code#state pasted into a sign-in twice: the second paste is refused
    // (one answer per sign-in) and the fake would refuse the code anyway.
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("once@example.com", "pro"));
    let board = quiet(&env);
    let started = board
        .start_sign_in(ProviderId::Claude, SignInMethod::Paste, None)
        .unwrap();
    let pasted = paste_text_for(&started.browser_url);
    board.paste_sign_in(&started.id, &pasted).unwrap();
    let again = board.paste_sign_in(&started.id, &pasted).unwrap_err();
    assert_eq!(again.code(), ErrorCode::Conflict, "{again}");
    board.finish_sign_in(&started.id).unwrap();
    // A new sign-in given the old answer: its state is not this sign-in's.
    let second = board
        .start_sign_in(ProviderId::Claude, SignInMethod::Paste, None)
        .unwrap();
    let err = board.paste_sign_in(&second.id, &pasted).unwrap_err();
    assert_eq!(err.code(), ErrorCode::StateMismatch, "{err}");
    let err = board.finish_sign_in(&second.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::StateMismatch, "{err}");
    assert_eq!(env.accounts().len(), 1);
}

#[test]
fn a_provider_error_or_slow_answer_is_handled() {
    let (err, _) = expect_browser_failure(
        |fake| fake.fail_next(Route::Token, Failure::ServerError),
        ProviderId::Grok,
    );
    assert_eq!(err.code(), ErrorCode::ProviderError, "{err}");
    assert!(
        err.to_string().contains("HTTP 500") || err.to_string().contains("server_error"),
        "{err}"
    );

    let (env, fake) = world();
    fake.sign_in_as(Identity::new("slow@example.com", "pro"));
    fake.fail_next(
        Route::Token,
        Failure::Slow(std::time::Duration::from_millis(1500)),
    );
    let done = sign_in(&env, &fake, ProviderId::Claude, SignInMethod::Browser, None).unwrap();
    assert_eq!(done.account.email.as_deref(), Some("slow@example.com"));
}

#[test]
fn garbage_pasted_is_refused_and_the_sign_in_can_go_on_or_be_cancelled() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("paste@example.com", "pro"));
    let board = quiet(&env);
    let started = board
        .start_sign_in(ProviderId::Claude, SignInMethod::Browser, None)
        .unwrap();
    let port = listener_port(&started);
    for garbage in [
        "hello",
        "not a code at all",
        "https://example.com/?nothing=here",
    ] {
        let err = board.paste_sign_in(&started.id, garbage).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{garbage}: {err}");
        assert!(err.to_string().contains("not a sign-in code"), "{err}");
    }
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "still waiting"
    );
    board.cancel_sign_in(&started.id).unwrap();
    let err = board.finish_sign_in(&started.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignInCancelled, "{err}");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "listener closed"
    );
    assert_nothing_stored(&env);
}

#[test]
fn an_expired_device_code_is_reported() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("late@example.com", ""));
    fake.fail_next(Route::DevicePoll, Failure::Expired);
    let board = quiet(&env);
    let started = board
        .start_sign_in(ProviderId::Grok, SignInMethod::Device, None)
        .unwrap();
    let err = board.finish_sign_in(&started.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignInExpired, "{err}");
    assert_nothing_stored(&env);
}

#[test]
fn device_polling_honours_slow_down_and_pending() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("patient@example.com", ""));
    fake.fail_next(Route::DevicePoll, Failure::SlowDown);
    let board = std::sync::Arc::new(quiet(&env));
    let started = board
        .start_sign_in(ProviderId::Grok, SignInMethod::Device, None)
        .unwrap();
    assert!(
        started.browser_url.contains("user_code="),
        "{}",
        started.browser_url
    );
    let finisher = {
        let board = board.clone();
        let id = started.id.clone();
        std::thread::spawn(move || board.finish_sign_in(&id))
    };
    // Let it poll (slow_down, then pending) before approving.
    while fake.polls() < 2 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    fake.approve_device(started.user_code.as_deref().unwrap());
    board.poll_sign_in_now(&started.id).unwrap();
    let done = finisher.join().unwrap().unwrap();
    assert_eq!(done.account.email.as_deref(), Some("patient@example.com"));
    assert!(fake.polls() >= 3);
}

#[test]
fn a_busy_registered_port_is_reported() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("port@example.com", ""));
    let _holder = std::net::TcpListener::bind(("127.0.0.1", fake.grok_port)).unwrap();
    let err = env
        .board()
        .start_sign_in(ProviderId::Grok, SignInMethod::Browser, None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PortBusy, "{err}");
    assert!(
        err.to_string().contains(&fake.grok_port.to_string()),
        "{err}"
    );
    assert!(err.to_string().contains("device code"), "{err}");
    let _a = std::net::TcpListener::bind(("127.0.0.1", fake.codex_ports[0])).unwrap();
    let _b = std::net::TcpListener::bind(("127.0.0.1", fake.codex_ports[1])).unwrap();
    let err = env
        .board()
        .start_sign_in(ProviderId::Codex, SignInMethod::Browser, None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PortBusy, "{err}");
    assert_nothing_stored(&env);
}

#[test]
fn codex_falls_back_to_its_second_port() {
    let (env, fake) = world();
    fake.sign_in_as(Identity::new("second-port@example.com", "plus"));
    let _holder = std::net::TcpListener::bind(("127.0.0.1", fake.codex_ports[0])).unwrap();
    let board = env.board();
    let started = board
        .start_sign_in(ProviderId::Codex, SignInMethod::Browser, None)
        .unwrap();
    assert_eq!(listener_port(&started), fake.codex_ports[1]);
    board.finish_sign_in(&started.id).unwrap();
}

#[test]
fn key_only_providers_and_unoffered_methods_are_refused() {
    let (env, _fake) = world();
    let board = quiet(&env);
    let err = board
        .start_sign_in(ProviderId::Opencode, SignInMethod::Browser, None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAllowed, "{err}");
    let err = board
        .start_sign_in(ProviderId::Claude, SignInMethod::Device, None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAllowed, "{err}");
    assert!(err.to_string().contains("the browser, paste-back"), "{err}");
}
