//! With no usable Secret Service, adding a key fails with a message that names the fix, and
//! leaves no trace: no account, no event, no secret in any file.
//!
//! Runs the real `switchboard` binary in a child process whose session bus points nowhere
//! (or at a bus with no Secret Service on it), so the test process's own keychain is untouched.

use std::io::Write;
use std::process::Stdio;

use switchboard_tests::{canary, contains, switchboard_bin, TestEnv};

fn add_key_with_bus(
    env: &TestEnv,
    wrapper: &[&str],
    bus: Option<&str>,
    secret: &str,
) -> std::process::Output {
    let bin = switchboard_bin();
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = env.command(program);
            c.args(args).arg(&bin);
            c
        }
        None => env.command(&bin),
    };
    command.args(["add-key", "claude", "--label", "Work"]);
    match bus {
        Some(address) => command.env("DBUS_SESSION_BUS_ADDRESS", address),
        None => command.env_remove("DBUS_SESSION_BUS_ADDRESS"),
    };
    // A runtime dir of its own: a keyring daemon the private bus may start on demand must
    // not touch the control socket of the one serving the other tests.
    let runtime = env.root().join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("private runtime dir");
    command.env("XDG_RUNTIME_DIR", &runtime);
    command
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn switchboard");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(secret.as_bytes())
        .expect("write secret");
    child.wait_with_output().expect("wait")
}

fn assert_refused_without_trace(env: &TestEnv, output: &std::process::Output, secret: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(5),
        "exit code 5 means keychain trouble; stderr: {stderr}"
    );
    assert!(stderr.contains("No usable keychain"), "{stderr}");
    assert!(
        stderr.contains("gnome-keyring") && stderr.contains("KeePassXC"),
        "names the fix: {stderr}"
    );
    assert!(stderr.contains("saved nothing"), "{stderr}");
    assert!(
        !stderr.contains(secret) && !contains(&output.stdout, secret),
        "the secret is not echoed"
    );

    let board = env.board();
    assert!(env.accounts().is_empty(), "no account row");
    assert!(
        board.recent_events(10).expect("events").is_empty(),
        "no event"
    );
    for (path, bytes) in env.data_dir_bytes() {
        assert!(
            !contains(&bytes, secret),
            "secret found in {}",
            path.display()
        );
    }
}

#[test]
fn no_session_bus_means_a_clear_error_and_nothing_stored() {
    let env = TestEnv::new();
    let secret = canary("sk-ant-api03-");
    let output = add_key_with_bus(
        &env,
        &[],
        Some("unix:path=/nonexistent/switchboard-test-bus"),
        &secret,
    );
    assert_refused_without_trace(&env, &output, &secret);
}

#[test]
fn a_bus_without_a_secret_service_means_a_clear_error_and_nothing_stored() {
    let env = TestEnv::new();
    let secret = canary("sk-ant-api03-");
    // A private session bus of its own, with no keyring daemon on it.
    let output = add_key_with_bus(&env, &["dbus-run-session", "--"], None, &secret);
    assert_refused_without_trace(&env, &output, &secret);
}
