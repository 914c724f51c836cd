//! Two processes at once: a switch made by the command line reaches a running app (its
//! window and tray listen to the facade's changes). How fast is `make bench`'s business;
//! the wait here is only a bound for a hung watcher.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_core::catalog::ProviderId;
use switchboard_core::facade::Change;
use switchboard_core::store::EventKind;
use switchboard_core::watch::LoginWatcher;
use switchboard_tests::{add_key, canary, TestEnv};

#[test]
fn a_switch_from_the_command_line_reaches_the_running_app() {
    let env = TestEnv::new();
    let board = Arc::new(env.board());
    let add = |label: &str| add_key(&board, ProviderId::Codex, label, &canary("sk-"));
    add("Work");
    let side = add("Side");
    let seen: Arc<Mutex<Vec<Change>>> = Arc::default();
    let sink = seen.clone();
    board.subscribe(move |change| sink.lock().expect("changes").push(change.clone()));
    let _watcher = LoginWatcher::start(board.clone());

    let mut command = env.switchboard();
    command
        .args(["use", "codex", "side"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    assert!(
        command.status().expect("run").success(),
        "switchboard use codex side"
    );
    let done = Instant::now();

    let expected = Change {
        kind: EventKind::ActiveChanged,
        provider: ProviderId::Codex,
        account_id: Some(side.clone()),
    };
    while !seen.lock().expect("changes").contains(&expected) {
        assert!(
            done.elapsed() < Duration::from_secs(15),
            "the app never heard of the switch"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "the running app heard of the command line's switch after {:?}",
        done.elapsed()
    );
    assert_eq!(
        board.active_account(ProviderId::Codex).expect("active").id,
        side
    );
    assert_eq!(
        seen.lock()
            .expect("changes")
            .iter()
            .filter(|c| **c == expected)
            .count(),
        1,
        "published once"
    );
}

#[test]
fn a_switch_waits_while_another_process_holds_the_files_lock() {
    let env = TestEnv::new();
    let board = env.board();
    let work = add_key(&board, ProviderId::Codex, "Work", &canary("sk-"));
    add_key(&board, ProviderId::Codex, "Side", &canary("sk-"));
    board
        .set_active(ProviderId::Codex, Some(&work))
        .expect("work");
    let auth = env.home().join(".codex/auth.json");
    let before = std::fs::read(&auth).expect("auth.json");

    // This process holds auth.json's lock, as a switch in another process would.
    let held = switchboard_core::files::lock_files(&env.config.locks_dir(), [auth.as_path()])
        .expect("lock");
    let mut child = env
        .switchboard()
        .args(["use", "codex", "Side"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("switchboard use");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "the switch waits for the lock"
    );
    assert_eq!(
        std::fs::read(&auth).expect("auth.json"),
        before,
        "file untouched meanwhile"
    );
    drop(held);
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_ne!(
        std::fs::read(&auth).expect("auth.json"),
        before,
        "then it switches"
    );
}
