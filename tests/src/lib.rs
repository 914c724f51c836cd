//! Shared helpers for Switchboard's integration and end-to-end tests: a hermetic
//! environment (temporary data dir and home, a keychain service name of its own) and the
//! checks that a secret ended up nowhere but the keychain.
//!
//! Nothing here changes the process environment: each test passes its paths explicitly, and
//! child processes get them through their own environment.

use std::path::{Path, PathBuf};
use std::process::Command;

use switchboard_core::account::{KeyCredential, NewKeyAccount};
use switchboard_core::catalog::ProviderId;
use switchboard_core::{Config, Switchboard};

/// A temporary world for one test. Dropping it removes the temporary folders and every
/// keychain entry it created.
pub struct TestEnv {
    root: tempfile::TempDir,
    pub config: Config,
    /// The `SWITCHBOARD_ENDPOINTS` file: a fake provider, or closed loopback ports.
    endpoints_file: PathBuf,
    /// Whether sign-ins go to a fake provider (and so may use the fake browser).
    signs_in_against_fake: bool,
}

impl TestEnv {
    /// Requires a Secret Service (`make test` runs the tests under `dbus-run-session` with an
    /// unlocked gnome-keyring). Without one the test fails and says how to run it.
    pub fn new() -> Self {
        require_secret_service();
        let root = tempfile::Builder::new()
            .prefix("switchboard-test-")
            .tempdir()
            .expect("temp dir");
        let service = format!("switchboard-test-{}", unique_suffix());
        std::fs::create_dir_all(root.path().join("home")).expect("home");
        let config = Config::new(
            root.path().join("data"),
            service,
            root.path().join("home"),
            built_binary(),
        );
        // Until a test points it at a fake provider, every endpoint is a closed loopback port:
        // nothing a test does (a refresh of an imported login, say) can reach a real provider.
        let unreachable = root.path().join("unreachable-endpoints.json");
        std::fs::write(
            &unreachable,
            fake_provider::endpoints_at("http://127.0.0.1:1", [1455, 1457], 56121).to_string(),
        )
        .expect("endpoints file");
        let mut config = config;
        config.endpoints = switchboard_core::signin::client::EndpointOverrides::load(&unreachable)
            .expect("endpoints file");
        Self {
            root,
            config,
            endpoints_file: unreachable,
            signs_in_against_fake: false,
        }
    }

    /// Points sign-in at `fake` (through a `SWITCHBOARD_ENDPOINTS` file, as production code
    /// reads it) with the fake browser as `SWITCHBOARD_OPEN_WITH`, here and in children.
    pub fn sign_in_against(&mut self, fake: &fake_provider::FakeProvider) {
        let file = fake.endpoints_file(self.root.path());
        self.config.endpoints = switchboard_core::signin::client::EndpointOverrides::load(&file)
            .expect("endpoints file");
        self.config.open_with = switchboard_core::signin::browser::OpenWith::Command(
            fake_browser_bin().display().to_string(),
        );
        self.endpoints_file = file;
        self.signs_in_against_fake = true;
    }

    /// The temporary home given to child processes (never the real one).
    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// A facade over this environment's database and keychain service.
    pub fn board(&self) -> Switchboard {
        Switchboard::open(self.config.clone()).expect("open switchboard")
    }

    /// A facade that opens no browser: the test plays the user.
    pub fn quiet_board(&self) -> Switchboard {
        Switchboard::open(switchboard_core::Config {
            open_with: switchboard_core::signin::browser::OpenWith::Nothing,
            ..self.config.clone()
        })
        .expect("open switchboard")
    }

    /// A fresh environment signed in against a fresh fake provider.
    pub fn signing_in() -> (Self, fake_provider::FakeProvider) {
        let fake = fake_provider::FakeProvider::start();
        let mut env = Self::new();
        env.sign_in_against(&fake);
        (env, fake)
    }

    /// Every account in this environment's database, all providers.
    pub fn accounts(&self) -> Vec<switchboard_core::account::Account> {
        let overview = self.board().overview().expect("overview");
        overview
            .providers
            .into_iter()
            .flat_map(|p| p.accounts.into_iter().map(|view| view.account))
            .collect()
    }

    /// Environment variables that point a `switchboard` child process at this world.
    pub fn child_env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("SWITCHBOARD_DATA_DIR", self.config.data_dir.clone()),
            (
                "SWITCHBOARD_KEYRING_SERVICE",
                PathBuf::from(&self.config.keyring_service),
            ),
            ("HOME", self.home()),
            ("XDG_CONFIG_HOME", self.home().join(".config")),
            ("XDG_CACHE_HOME", self.home().join(".cache")),
            ("XDG_DATA_HOME", self.home().join(".local/share")),
            ("XDG_STATE_HOME", self.home().join(".local/state")),
        ]
        .into_iter()
        .chain([("SWITCHBOARD_ENDPOINTS", self.endpoints_file.clone())])
        .chain(
            self.signs_in_against_fake
                .then(|| ("SWITCHBOARD_OPEN_WITH", fake_browser_bin())),
        )
        .collect()
    }

    /// `program`, run with the environment that points it at this world (see `child_env`),
    /// starting from a cleared environment: a developer's `CODEX_HOME`, `CLAUDE_CONFIG_DIR`,
    /// API keys or `SWITCHBOARD_*` can never leak in. Only what reaching the display and the
    /// test's keychain needs is passed through.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env_clear();
        for name in PASSED_THROUGH {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command.envs(self.child_env());
        command
    }

    /// The `switchboard` command line, run in this world.
    pub fn switchboard(&self) -> Command {
        self.command(switchboard_bin())
    }

    /// The desktop app, run in this world (a second launch, say).
    pub fn app(&self) -> Command {
        self.command(app_bin())
    }

    /// Every byte of every file under the data dir (database, WAL, logs, backups).
    pub fn data_dir_bytes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect_files(&self.config.data_dir, &mut files);
        files
    }
}

/// The variables a test's child processes get from the test's own environment: the
/// programs' path, the display (Xvfb) and the private D-Bus session with its keyring.
pub const PASSED_THROUGH: [&str; 8] = [
    "PATH",
    "DISPLAY",
    "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "TMPDIR",
    "LANG",
    "RUST_BACKTRACE",
];

impl Drop for TestEnv {
    fn drop(&mut self) {
        // The keychain entries go; nothing is revoked at a provider (the fake may be gone).
        let vault = switchboard_core::vault::Vault::new(self.config.keyring_service.clone());
        if Switchboard::open(self.config.clone()).is_ok() {
            for account in self.accounts() {
                let _ = vault.delete(&account.id);
            }
        }
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

fn collect_files(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
}

/// A fresh suffix for names that must not collide between tests or runs.
pub fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{}-{}-{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// An access-token expiry a CLI would write now (Unix ms): an hour from when this test
/// process first asked, the same for the whole process, so a test can count rotations up
/// from it. Switchboard believes expiries only within a provider's horizon (days), so the
/// far-future constants tests once used are no longer fresh.
pub fn soon_ms() -> u64 {
    static SOON: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SOON.get_or_init(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        (now + 3600) * 1000
    })
}

/// A canary secret: unique, and shaped like a key of the given prefix.
pub fn canary(prefix: &str) -> String {
    format!("{prefix}CANARY{}x9Qz", unique_suffix().replace('-', "q"))
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Fails the test unless a Secret Service answers on the session bus.
pub fn require_secret_service() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    assert!(
        !bus.is_empty(),
        "these tests use the real keychain: run them with `make test`, which starts a private \
         dbus-run-session with an unlocked gnome-keyring (see scripts/with-keyring.sh)"
    );
}

/// Looks a secret up with `secret-tool`, independently of Switchboard and the keyring crate:
/// proof that it is in the real Secret Service.
pub fn secret_tool_lookup(service: &str, account_id: &str) -> Option<String> {
    let lookup = || {
        Command::new("secret-tool")
            .args(["lookup", "service", service, "username", account_id])
            .output()
            .expect("secret-tool (libsecret-tools) is installed by `make test`")
    };
    let mut output = lookup();
    // "No such entry" is a silent exit 1; a message means the keychain service failed. As
    // the product does (`Vault`), a failed call is made once more: gnome-keyring-daemon
    // aborts now and then under the reliability suite's killed clients (an upstream race)
    // and D-Bus starts a new one (see scripts/with-keyring.sh).
    if !output.status.success() && !output.stderr.is_empty() {
        output = lookup();
    }
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The fake browser built beside the test binaries (`target/<profile>/fake-browser`), or
/// beside a binary of this crate (the bench, in `target/<profile>`).
pub fn fake_browser_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let beside = exe.with_file_name("fake-browser");
    if beside.exists() {
        return beside;
    }
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let path = dir.join("fake-browser");
    assert!(
        path.exists(),
        "{} is missing: cargo builds it with the tests",
        path.display()
    );
    path
}

fn built_binary() -> PathBuf {
    std::env::var_os("SWITCHBOARD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/switchboard")
        })
}

/// The `switchboard` command line built by `make test` (or named by `SWITCHBOARD_BIN`).
pub fn switchboard_bin() -> PathBuf {
    let path = built_binary();
    assert!(
        path.exists(),
        "{} is missing: build it first (`make test` does: cargo build -p switchboard-cli)",
        path.display()
    );
    path
}

/// The desktop app built by `make test` (`switchboard-app` beside the command line).
pub fn app_bin() -> PathBuf {
    let path = built_binary().with_file_name("switchboard-app");
    assert!(
        path.exists(),
        "{} is missing: build it first (`make test` does: cargo build -p switchboard-app)",
        path.display()
    );
    path
}
pub mod cli;
pub mod fake_provider;
pub mod notifications;
pub mod scrolling;
pub mod webdriver;

/// A real CLI from the npm registry, installed by `make test` into tests/cli-tools.
pub fn real_cli(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("cli-tools/node_modules/.bin")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: `make test` installs the real CLIs (cd tests/cli-tools && npm ci)",
        path.display()
    );
    path
}
pub mod real_cli;
pub mod screen;

/// A key account to add: provider, label and credential, every other field unset.
pub fn new_key_account(
    provider: ProviderId,
    label: Option<&str>,
    credential: KeyCredential,
) -> NewKeyAccount {
    NewKeyAccount {
        provider,
        label: label.map(Into::into),
        description: None,
        credential,
        endpoint: None,
        model: None,
        effort: None,
    }
}

/// Adds a key account (just provider, label and key) and returns its id.
pub fn add_key(board: &Switchboard, provider: ProviderId, label: &str, key: &str) -> String {
    let credential = KeyCredential::ApiKey { key: key.into() };
    board
        .add_key_account(new_key_account(provider, Some(label), credential))
        .expect("add key account")
        .account
        .id
}

/// The gnome-keyring daemon serving this test's D-Bus session (the one `make test` starts
/// with `scripts/with-keyring.sh`), found by its session bus address.
pub fn keyring_daemon_pid() -> Option<u32> {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").ok()?;
    let wanted = format!("DBUS_SESSION_BUS_ADDRESS={bus}");
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let comm = std::fs::read_to_string(entry.path().join("comm")).ok()?;
            if !comm.starts_with("gnome-keyring") {
                return None;
            }
            let environ = std::fs::read(entry.path().join("environ")).ok()?;
            environ
                .split(|b| *b == 0)
                .any(|var| var == wanted.as_bytes())
                .then_some(pid)
        })
}

/// A keychain that does not answer: the Secret Service daemon is stopped (SIGSTOP) until
/// this is dropped (SIGCONT), even when the test fails meanwhile.
pub struct FrozenKeychain {
    pid: u32,
}

impl FrozenKeychain {
    pub fn freeze() -> Self {
        let pid = keyring_daemon_pid().expect("this test's gnome-keyring daemon");
        let status = Command::new("kill")
            .args(["-STOP", &pid.to_string()])
            .status()
            .expect("kill -STOP");
        assert!(status.success());
        Self { pid }
    }
}

impl Drop for FrozenKeychain {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-CONT", &self.pid.to_string()])
            .status();
    }
}
