//! Sign-ins that go wrong, against the fake provider: a forged state, declined consent, a
//! reused or expired code, garbage pasted, an expired device code, slow-down and pending
//! answers, a busy port. Each leaves nothing stored, no CLI file written and no listener
//! open.

use std::net::TcpStream;

use switchboard_core::catalog::ProviderId;
use switchboard_core::error::{Error, ErrorCode};
use switchboard_core::signin::{SignInMethod, SignInStarted};
use switchboard_tests::fake_provider::{paste_text_for, Failure, FakeProvider, Identity, Route};
use switchboard_tests::TestEnv;

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
    let (env, fake) = TestEnv::signing_in();
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

/// An answer with a forged state (a page sending the browser to the fixed port, or an old
/// tab) is refused with a 400 and never ends the sign-in: the real answer after it signs in.
#[test]
fn a_forged_state_is_refused_and_the_sign_in_goes_on() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("real@example.com", "pro"));
    let board = env.quiet_board();
    let started = board
        .start_sign_in(ProviderId::Claude, SignInMethod::Browser, None)
        .expect("started");
    fake.fail_next(Route::Authorize, Failure::WrongState);
    let forged = switchboard_tests::fake_provider::browse(&started.browser_url)
        .expect_err("the listener refuses the forged answer");
    assert!(forged.starts_with("HTTP 400"), "{forged}");
    assert!(!forged.contains("Signed in"), "{forged}");
    assert!(env.accounts().is_empty());
    let page = switchboard_tests::fake_provider::browse(&started.browser_url).expect("real");
    assert!(page.contains("Signed in"), "{page}");
    let signed_in = board.finish_sign_in(&started.id).expect("signed in");
    assert_eq!(signed_in.account.email.as_deref(), Some("real@example.com"));
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
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("once@example.com", "pro"));
    let board = env.quiet_board();
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
fn garbage_pasted_is_refused_and_the_sign_in_can_go_on_or_be_cancelled() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("paste@example.com", "pro"));
    let board = env.quiet_board();
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
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("late@example.com", ""));
    fake.fail_next(Route::DevicePoll, Failure::Expired);
    let board = env.quiet_board();
    let started = board
        .start_sign_in(ProviderId::Grok, SignInMethod::Device, None)
        .unwrap();
    let err = board.finish_sign_in(&started.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignInExpired, "{err}");
    assert_nothing_stored(&env);
}

#[test]
fn device_polling_honours_slow_down_and_pending() {
    let (env, fake) = TestEnv::signing_in();
    fake.sign_in_as(Identity::new("patient@example.com", ""));
    fake.fail_next(Route::DevicePoll, Failure::SlowDown);
    let board = std::sync::Arc::new(env.quiet_board());
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
    let (env, fake) = TestEnv::signing_in();
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
    let (env, fake) = TestEnv::signing_in();
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
    let (env, _fake) = TestEnv::signing_in();
    let board = env.quiet_board();
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

#[test]
fn a_provider_error_is_reported() {
    let (err, _) = expect_browser_failure(
        |fake| fake.fail_next(Route::Token, Failure::ServerError),
        ProviderId::Grok,
    );
    assert_eq!(err.code(), ErrorCode::ProviderError, "{err}");
    assert!(
        err.to_string().contains("HTTP 500") || err.to_string().contains("server_error"),
        "{err}"
    );
}
