//! Usage and limits against the fake provider: `usage --json` shows what the providers
//! served, "next" picks the pool account with the most room and skips one at its limit with
//! the reason, auto-switch moves the active sign-in past its threshold (and only when on),
//! and a usage endpoint that fails keeps the last good figures with their age.

use std::sync::Arc;

use serde_json::Value;
use switchboard_core::catalog::ProviderId;
use switchboard_core::store::EventKind;
use switchboard_core::time::ManualClock;
use switchboard_core::Switchboard;
use switchboard_tests::cli::{listed_account, login, run, text};
use switchboard_tests::fake_provider::{Failure, FakeProvider, Route};
use switchboard_tests::{add_key, TestEnv};

fn world() -> (TestEnv, FakeProvider) {
    let fake = FakeProvider::start();
    let mut env = TestEnv::new();
    env.sign_in_against(&fake);
    (env, fake)
}

/// `usage --refresh --json` (every account read now), by label.
fn usage_now(env: &TestEnv, provider: Option<&str>) -> Vec<Value> {
    let mut args = vec!["usage", "--refresh", "--json"];
    args.extend(provider);
    let out = run(env, &args);
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("usage --json")
        .as_array()
        .expect("a list")
        .clone()
}

/// A clock past the few seconds every reading waits after the last one, so a test reads
/// again at once instead of sleeping them.
fn clock_past_the_gap() -> Arc<ManualClock> {
    let clock = Arc::new(ManualClock::starting_now());
    clock.advance(switchboard_core::usage::MIN_GAP_MS + 100);
    clock
}

/// What `usage --refresh --json` prints, read in this process by `clock`'s time.
fn usage_by(env: &TestEnv, clock: &Arc<ManualClock>, provider: ProviderId) -> Vec<Value> {
    let board = Switchboard::open_with_clock(env.config.clone(), clock.clone()).expect("board");
    let usage = board
        .read_usage_now(Some(provider), None)
        .expect("usage read");
    serde_json::to_value(usage)
        .expect("usage as JSON")
        .as_array()
        .expect("a list")
        .clone()
}

fn of<'a>(usage: &'a [Value], label: &str) -> &'a Value {
    usage
        .iter()
        .find(|u| u["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {usage:?}"))
}

/// The windows of one account: name and share used.
fn windows(usage: &Value) -> Vec<(String, f64)> {
    usage["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .map(|w| {
            (
                w["name"].as_str().expect("name").to_owned(),
                w["used_percent"].as_f64().expect("used_percent"),
            )
        })
        .collect()
}

fn active_label(env: &TestEnv, provider: ProviderId) -> String {
    let board = env.board();
    let id = board
        .active_account(provider)
        .expect("an active account")
        .id;
    board.account(&id).expect("account").label
}

fn pool(env: &TestEnv, provider: &str, label: &str) {
    let out = run(env, &["pool", provider, label, "on"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(listed_account(env, provider, label)["in_pool"], true);
}

#[test]
fn usage_json_shows_what_the_providers_served_and_next_picks_the_most_room() {
    let (env, fake) = world();
    for email in ["ca@example.com", "cb@example.com", "cc@example.com"] {
        login(&env, &fake, "claude", email);
    }
    for email in ["xa@example.com", "xb@example.com"] {
        login(&env, &fake, "codex", email);
    }
    fake.set_usage("ca@example.com", 70.0, 20.0);
    fake.set_usage("cb@example.com", 80.0, 30.0);
    fake.set_usage("cc@example.com", 10.0, 5.0);
    fake.set_usage("xa@example.com", 30.0, 40.0);
    fake.set_usage("xb@example.com", 90.0, 10.0);
    let key = add_key(
        &env.board(),
        ProviderId::Claude,
        "Key",
        "sk-ant-api03-usage-key",
    );
    for label in ["ca@example.com", "cb@example.com", "cc@example.com"] {
        pool(&env, "claude", label);
    }

    let usage = usage_now(&env, None);
    let expect = [
        ("ca@example.com", 70.0, 20.0),
        ("cb@example.com", 80.0, 30.0),
        ("cc@example.com", 10.0, 5.0),
        ("xa@example.com", 30.0, 40.0),
        ("xb@example.com", 90.0, 10.0),
    ];
    for (label, short, long) in expect {
        let account = of(&usage, label);
        assert_eq!(
            windows(account),
            vec![("5-hour".to_owned(), short), ("7-day".to_owned(), long)],
            "{account}"
        );
        assert!(account["error"].is_null(), "{account}");
        let fetched = account["fetched_at"].as_str().expect("fetched_at");
        let fetched = switchboard_core::time::parse_rfc3339(fetched).expect("RFC 3339");
        assert!((switchboard_core::time::now_ms() - fetched).abs() < 60_000);
        let resets = account["windows"][0]["resets_at"]
            .as_str()
            .expect("resets_at");
        let in_ms = switchboard_core::time::parse_rfc3339(resets).expect("RFC 3339")
            - switchboard_core::time::now_ms();
        assert!((125 * 60_000..=131 * 60_000).contains(&in_ms), "{resets}");
    }
    assert_eq!(of(&usage, "xb@example.com")["plan"], "max");
    let key_usage = usage
        .iter()
        .find(|u| u["account_id"] == key.as_str())
        .expect("key");
    assert_eq!(key_usage["reported"], false);
    assert!(key_usage["windows"].as_array().unwrap().is_empty());

    // Round-robin after the active ca would be cb; cc has the most room.
    assert_eq!(active_label(&env, ProviderId::Claude), "ca@example.com");
    let out = run(&env, &["next", "claude"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Claude Code now uses cc@example.com"),
        "{}",
        text(&out)
    );
    assert_eq!(active_label(&env, ProviderId::Claude), "cc@example.com");
    // The text form shows the bars' figures too.
    let out = run(&env, &["usage", "claude"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("5-hour") && shown.contains(" 80%"),
        "{shown}"
    );
    assert!(shown.contains("resets in 2 h"), "{shown}");
}

#[test]
fn next_skips_an_account_at_its_limit_and_says_why() {
    let (env, fake) = world();
    for email in ["ca@example.com", "cb@example.com", "cc@example.com"] {
        login(&env, &fake, "claude", email);
        pool(&env, "claude", email);
    }
    fake.set_usage("ca@example.com", 20.0, 20.0);
    fake.set_usage("cb@example.com", 100.0, 40.0);
    fake.set_usage("cc@example.com", 60.0, 60.0);
    usage_now(&env, Some("claude"));

    let out = run(&env, &["next", "claude"]);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("skipped cb@example.com: at its limit (5-hour 100%, resets in 2 h"),
        "{said}"
    );
    assert!(
        said.contains("Claude Code now uses cc@example.com"),
        "{said}"
    );

    // With every other account at its limit, next refuses and lists why.
    fake.set_usage("ca@example.com", 100.0, 20.0);
    usage_by(&env, &clock_past_the_gap(), ProviderId::Claude);
    let out = run(&env, &["next", "claude"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("ca@example.com: at its limit"), "{said}");
    assert!(said.contains("cb@example.com: at its limit"), "{said}");
    assert_eq!(active_label(&env, ProviderId::Claude), "cc@example.com");
}

#[test]
fn auto_switch_moves_the_active_sign_in_past_its_threshold_and_only_when_on() {
    let (env, fake) = world();
    for email in ["ca@example.com", "cb@example.com"] {
        login(&env, &fake, "claude", email);
        pool(&env, "claude", email);
    }
    for email in ["xa@example.com", "xb@example.com"] {
        login(&env, &fake, "codex", email);
        pool(&env, "codex", email);
    }
    let out = run(&env, &["auto-switch", "claude", "on"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("reaches 95%"));
    fake.set_usage("ca@example.com", 50.0, 10.0);
    fake.set_usage("cb@example.com", 10.0, 10.0);
    // Codex stays off: its active account at 99% stays.
    fake.set_usage("xa@example.com", 99.0, 10.0);
    fake.set_usage("xb@example.com", 0.0, 0.0);
    usage_now(&env, None);
    assert_eq!(active_label(&env, ProviderId::Claude), "ca@example.com");
    assert_eq!(active_label(&env, ProviderId::Codex), "xa@example.com");

    // The fake pushes the active Claude account past 95%.
    fake.set_usage("ca@example.com", 96.0, 10.0);
    usage_by(&env, &clock_past_the_gap(), ProviderId::Claude);
    assert_eq!(active_label(&env, ProviderId::Claude), "cb@example.com");
    let board = env.board();
    let event = board
        .recent_events(20)
        .expect("events")
        .into_iter()
        .find(|e| e.kind == EventKind::AutoSwitched)
        .expect("an auto-switch event");
    assert_eq!(
        event.detail,
        "Claude Code switched from ca@example.com to cb@example.com: ca@example.com has used 96% of its 5-hour window."
    );
    let (title, body) = board
        .auto_switch_notice(event.account_id.as_deref().expect("account"))
        .expect("notice")
        .expect("a notice");
    assert_eq!(title, "Claude Code: switched account");
    assert_eq!(body, event.detail);
    // The CLI's file follows.
    let file = std::fs::read_to_string(env.home().join(".claude/.credentials.json")).expect("file");
    assert!(fake
        .issued_to("cb@example.com")
        .iter()
        .any(|t| file.contains(t.as_str())));
    // Codex, off, never moved.
    assert_eq!(active_label(&env, ProviderId::Codex), "xa@example.com");
    assert!(board
        .recent_events(50)
        .expect("events")
        .iter()
        .all(|e| e.kind != EventKind::AutoSwitched || e.provider == ProviderId::Claude));
}

#[test]
fn a_failing_usage_endpoint_keeps_the_last_good_figures_with_their_age() {
    let (env, fake) = world();
    login(&env, &fake, "claude", "ca@example.com");
    fake.set_usage("ca@example.com", 40.0, 12.0);
    let good = usage_now(&env, Some("claude"));
    let fetched = of(&good, "ca@example.com")["fetched_at"].clone();
    fake.set_usage("ca@example.com", 90.0, 90.0);
    let later = clock_past_the_gap();
    for (failure, said) in [
        (Failure::TooManyRequests, "HTTP 429"),
        (Failure::ServerError, "HTTP 500"),
        (Failure::Garbage, "not a usage report"),
    ] {
        fake.fail_next(Route::Usage, failure);
        let usage = usage_by(&env, &later, ProviderId::Claude);
        let account = of(&usage, "ca@example.com");
        assert_eq!(
            windows(account),
            vec![("5-hour".to_owned(), 40.0), ("7-day".to_owned(), 12.0)],
            "{failure:?}: the last good figures stay"
        );
        assert_eq!(
            account["fetched_at"], fetched,
            "{failure:?}: with their age"
        );
        let error = account["error"].as_str().expect("the failure in words");
        assert!(error.contains(said), "{failure:?}: {error}");
        assert!(
            !error.contains("Bearer") && !error.contains("sk-ant"),
            "{error}"
        );
    }
    // The text form says how old the figures are and why they are not newer.
    let out = run(&env, &["usage", "claude"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("ago; the last reading failed"), "{shown}");
    // The app's timer backs off: the next reading is at least one poll away.
    let next = env
        .board()
        .next_usage_read_at()
        .expect("plan")
        .expect("due");
    assert!(next - switchboard_core::time::now_ms() > 4 * 60_000);
    // Everything else keeps working.
    let out = run(&env, &["use", "claude", "ca@example.com"]);
    assert!(out.status.success(), "{}", text(&out));
    // And the next good reading replaces the figures and clears the error.
    let usage = usage_by(&env, &later, ProviderId::Claude);
    let account = of(&usage, "ca@example.com");
    assert_eq!(windows(account)[0].1, 90.0);
    assert!(account["error"].is_null());
}

/// The security review of 2026-12-07, L6: a link's question names one account, and that
/// account is what the click switches to, whatever changed in between (a reading, a rename,
/// the pool); an account removed meanwhile is an error, never another account. Each
/// question is answered once, and only a few wait at a time.
#[test]
fn a_link_switches_to_the_account_its_question_named() {
    use switchboard_core::deep_link::{self, DeepLink, PendingAsks};
    let (env, fake) = world();
    for email in ["ca@example.com", "cb@example.com", "cc@example.com"] {
        login(&env, &fake, "claude", email);
        pool(&env, "claude", email);
    }
    fake.set_usage("ca@example.com", 20.0, 20.0);
    fake.set_usage("cb@example.com", 10.0, 10.0);
    fake.set_usage("cc@example.com", 60.0, 60.0);
    usage_now(&env, Some("claude"));
    let board = env.board();
    let next = DeepLink::Next {
        provider: ProviderId::Claude,
    };
    let asked = deep_link::ask(&board, &next).expect("ask");
    assert!(
        asked.question.contains("cb@example.com"),
        "{}",
        asked.question
    );
    let pending = PendingAsks::default();
    let id = pending.put(asked).expect("put");

    // Between question and click: cb leaves the pool and is renamed, so "next" would now
    // pick another account.
    let cb = board
        .find_account(ProviderId::Claude, "cb@example.com")
        .expect("cb");
    board.set_in_pool(&cb.id, false).expect("pool off");
    board.rename_account(&cb.id, "Renamed").expect("rename");
    assert_ne!(board.pool_next(ProviderId::Claude).expect("next").id, cb.id);
    let answered = pending.take(&id).expect("answered once");
    let switched = deep_link::carry_out_asked(&board, &answered).expect("switched");
    assert_eq!(switched.active_account_id.as_deref(), Some(cb.id.as_str()));
    assert_eq!(active_label(&env, ProviderId::Claude), "Renamed");
    assert!(pending.take(&id).is_err(), "a second answer is refused");

    // An account removed between question and click: an error, and nothing switches.
    let asked = deep_link::ask(
        &board,
        &DeepLink::Use {
            provider: ProviderId::Claude,
            account: "cc@example.com".into(),
        },
    )
    .expect("ask");
    board.remove_account(&asked.account_id).expect("remove");
    let err = deep_link::carry_out_asked(&board, &asked).expect_err("gone");
    assert!(err.to_string().contains("removed meanwhile"), "{err}");
    assert_eq!(active_label(&env, ProviderId::Claude), "Renamed");

    // A page opening links in a loop: only the newest few questions wait.
    let ids: Vec<String> = (0..12)
        .map(|_| {
            pending
                .put(deep_link::ask(&board, &next).expect("ask"))
                .expect("put")
        })
        .collect();
    assert_eq!(pending.len(), 8);
    assert!(pending.take(&ids[0]).is_err(), "the oldest went");
    assert!(pending.take(&ids[11]).is_ok());
}
