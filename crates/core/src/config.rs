//! Where Switchboard keeps its state: the data dir, the keychain service and the home whose
//! CLI files it manages. Built once from the environment; tests build it explicitly.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::files::CliPaths;
use crate::signin::browser::OpenWith;
use crate::signin::client::EndpointOverrides;

/// The keychain service name when `SWITCHBOARD_KEYRING_SERVICE` names none; tests always
/// use their own. A debug build (`cargo run`, `make run`) has its own, and its own data dir
/// ([`APP_DIR_NAME`]), so a build under work never touches the accounts of the Switchboard
/// a developer uses.
pub const DEFAULT_KEYRING_SERVICE: &str = if cfg!(debug_assertions) {
    "switchboard-dev"
} else {
    "switchboard"
};

/// The name of the data dir under the OS app-data dir (lowercased on Linux).
pub const APP_DIR_NAME: &str = if cfg!(debug_assertions) {
    "Switchboard-dev"
} else {
    "Switchboard"
};

#[derive(Debug, Clone)]
pub struct Config {
    /// The database, backups and locks live here.
    pub data_dir: PathBuf,
    /// Keychain service name under which every account secret is stored.
    pub keyring_service: String,
    /// Where the CLIs' own files are.
    pub cli_paths: CliPaths,
    /// The `switchboard` executable that CLIs run to ask for a secret (Claude Code's
    /// `apiKeyHelper` and `awsCredentialExport`), so that the secret never sits in a file.
    pub helper_exe: PathBuf,
    /// Provider endpoints overridden by the `SWITCHBOARD_ENDPOINTS` file.
    pub endpoints: EndpointOverrides,
    /// How sign-in pages are opened (`SWITCHBOARD_OPEN_WITH`, else the system browser).
    pub open_with: OpenWith,
}

impl Config {
    /// Reads `SWITCHBOARD_DATA_DIR`, `SWITCHBOARD_KEYRING_SERVICE`, `SWITCHBOARD_ENDPOINTS`
    /// and `SWITCHBOARD_OPEN_WITH`, falling back to [`APP_DIR_NAME`] in the OS app-data
    /// dir, [`DEFAULT_KEYRING_SERVICE`], the real endpoints and the system browser.
    pub fn from_env() -> Result<Self> {
        let data_dir = match std::env::var_os("SWITCHBOARD_DATA_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => directories::ProjectDirs::from("dev", "switchboard", APP_DIR_NAME)
                .map(|dirs| dirs.data_dir().to_path_buf())
                .ok_or_else(|| Error::Io {
                    context: "finding the app-data directory".into(),
                    message: "no home directory is known; set SWITCHBOARD_DATA_DIR".into(),
                })?,
        };
        let keyring_service = std::env::var("SWITCHBOARD_KEYRING_SERVICE")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_KEYRING_SERVICE.to_owned());
        let home = directories::BaseDirs::new()
            .map(|dirs| dirs.home_dir().to_path_buf())
            .ok_or_else(|| Error::io("finding the home directory", "no home directory is known"))?;
        let endpoints = match std::env::var_os("SWITCHBOARD_ENDPOINTS") {
            Some(path) if !path.is_empty() => EndpointOverrides::load(std::path::Path::new(&path))?,
            _ => EndpointOverrides::default(),
        };
        Ok(Self {
            data_dir,
            keyring_service,
            cli_paths: crate::providers::cli_paths_from_env(home),
            helper_exe: helper_exe(),
            endpoints,
            open_with: OpenWith::from_env(),
        })
    }

    /// A configuration over explicit folders (tests, and tools that manage another home).
    pub fn new(
        data_dir: PathBuf,
        keyring_service: String,
        home: PathBuf,
        helper_exe: PathBuf,
    ) -> Self {
        Self {
            data_dir,
            keyring_service,
            cli_paths: CliPaths::under_home(home),
            helper_exe,
            endpoints: EndpointOverrides::default(),
            open_with: OpenWith::System,
        }
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("switchboard.sqlite3")
    }

    /// The per-file locks shared by every Switchboard process.
    pub fn locks_dir(&self) -> PathBuf {
        self.data_dir.join("locks")
    }

    pub fn log_path(&self) -> PathBuf {
        self.data_dir.join("logs").join("switchboard.log")
    }
}

/// The path CLIs should run: this executable (the `switchboard` command line). The desktop
/// app replaces it with the command line it ships with (see `src-tauri`).
fn helper_exe() -> PathBuf {
    std::env::current_exe().unwrap_or_else(|_| PathBuf::from("switchboard"))
}
