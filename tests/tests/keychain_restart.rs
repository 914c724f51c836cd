//! A keychain daemon that dies in the middle of a call. gnome-keyring-daemon aborts now and
//! then when a client disconnects right after a request (an upstream race); D-Bus starts a
//! new one on the next call. The call in flight at that moment is made once more, so the
//! command still succeeds.
//!
//! The test runs in a D-Bus session of its own (`scripts/with-keyring.sh`, whose service
//! file starts every replacement daemon unlocked), so killing its daemon touches no other
//! test.

use std::path::PathBuf;

use switchboard_tests::{canary, TestEnv};

/// Adds a key, stops the daemon (SIGSTOP), starts a command that reads the key, checks it is
/// blocked on the stopped daemon, kills the daemon (SIGKILL), and prints what the command
/// printed and how it ended.
const SCRIPT: &str = r#"
set -eu
printf '%s' "$KEY" | "$SB" add-key claude --label Work >/dev/null
"$SB" use claude Work >/dev/null
daemon=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk '/uint32/ {print $2}')
kill -STOP "$daemon"
"$SB" credential claude >"$OUT" 2>"$ERR" &
reader=$!
sleep 1
if kill -0 "$reader" 2>/dev/null; then echo "blocked: yes"; else echo "blocked: no"; fi
kill -KILL "$daemon"
status=0
wait "$reader" || status=$?
echo "status: $status"
"#;

#[test]
fn a_call_in_flight_when_the_keychain_daemon_dies_is_made_again() {
    let env = TestEnv::new();
    let key = canary("sk-ant-api03-");
    let (out, err) = (env.root().join("out"), env.root().join("err"));
    let with_keyring = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/with-keyring.sh");
    let output = env
        .command(with_keyring)
        .args(["sh", "-c", SCRIPT])
        .env("SB", switchboard_tests::switchboard_bin())
        .env("KEY", &key)
        .env("OUT", &out)
        .env("ERR", &err)
        .output()
        .expect("with-keyring.sh");
    let report = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}\n{stderr}");
    let printed = std::fs::read_to_string(&out).unwrap_or_default();
    let failed = std::fs::read_to_string(&err).unwrap_or_default();
    // The reader was waiting on the stopped daemon when it died, so the restart hit a call
    // in flight (otherwise this test would prove nothing).
    assert!(report.contains("blocked: yes"), "{report}\n{failed}");
    assert!(
        report.contains("status: 0"),
        "the command failed: {report}\n{failed}"
    );
    assert_eq!(printed.trim(), key, "the key, read from the new daemon");
    // The replacement was started by the session's own service file, unlocked.
    assert!(
        stderr.contains("started again, unlocked, 1 time(s)"),
        "{stderr}"
    );
}
