//! Where each CLI keeps its files, following the CLIs' own relocation variables
//! (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `GEMINI_CLI_HOME`, `GROK_HOME`, `XDG_*`).

use std::path::PathBuf;

/// The home and relocation variables the CLI files are resolved against. Tests build one
/// over a temporary home; production reads the environment once.
#[derive(Debug, Clone, Default)]
pub struct CliPaths {
    pub home: PathBuf,
    pub claude_config_dir: Option<PathBuf>,
    pub codex_home: Option<PathBuf>,
    pub gemini_cli_home: Option<PathBuf>,
    pub grok_home: Option<PathBuf>,
    pub xdg_data_home: Option<PathBuf>,
    pub xdg_config_home: Option<PathBuf>,
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl CliPaths {
    /// Paths under `home` with no relocation variables.
    pub fn under_home(home: impl Into<PathBuf>) -> Self {
        Self {
            home: home.into(),
            ..Self::default()
        }
    }

    pub fn from_env(home: PathBuf) -> Self {
        Self {
            home,
            claude_config_dir: env_dir("CLAUDE_CONFIG_DIR"),
            codex_home: env_dir("CODEX_HOME"),
            gemini_cli_home: env_dir("GEMINI_CLI_HOME"),
            grok_home: env_dir("GROK_HOME"),
            xdg_data_home: env_dir("XDG_DATA_HOME"),
            xdg_config_home: env_dir("XDG_CONFIG_HOME"),
        }
    }

    /// `~/.claude` or `$CLAUDE_CONFIG_DIR`.
    pub fn claude_dir(&self) -> PathBuf {
        self.claude_config_dir
            .clone()
            .unwrap_or_else(|| self.home.join(".claude"))
    }

    /// `~/.claude.json`, or `.claude.json` inside `$CLAUDE_CONFIG_DIR`.
    pub fn claude_json(&self) -> PathBuf {
        match &self.claude_config_dir {
            Some(dir) => dir.join(".claude.json"),
            None => self.home.join(".claude.json"),
        }
    }

    /// `~/.codex` or `$CODEX_HOME`.
    pub fn codex_dir(&self) -> PathBuf {
        self.codex_home
            .clone()
            .unwrap_or_else(|| self.home.join(".codex"))
    }

    /// `~/.gemini`, or `.gemini` under `$GEMINI_CLI_HOME` (which replaces the home).
    pub fn gemini_dir(&self) -> PathBuf {
        self.gemini_home().join(".gemini")
    }

    /// The home Gemini CLI resolves `.gemini` against: `$GEMINI_CLI_HOME` or the home.
    pub fn gemini_home(&self) -> PathBuf {
        self.gemini_cli_home
            .clone()
            .unwrap_or_else(|| self.home.clone())
    }

    /// `~/.grok` or `$GROK_HOME`.
    pub fn grok_dir(&self) -> PathBuf {
        self.grok_home
            .clone()
            .unwrap_or_else(|| self.home.join(".grok"))
    }

    /// `$XDG_DATA_HOME/opencode`, default `~/.local/share/opencode` (on macOS too).
    pub fn opencode_dir(&self) -> PathBuf {
        self.xdg_data_home
            .clone()
            .unwrap_or_else(|| self.home.join(".local/share"))
            .join("opencode")
    }

    /// `$XDG_CONFIG_HOME/cursor`, default `~/.config/cursor`.
    pub fn cursor_dir(&self) -> PathBuf {
        self.xdg_config_home
            .clone()
            .unwrap_or_else(|| self.home.join(".config"))
            .join("cursor")
    }

    /// `~/.bob`.
    pub fn bob_dir(&self) -> PathBuf {
        self.home.join(".bob")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocation_variables_move_each_cli() {
        let mut paths = CliPaths::under_home("/h");
        assert_eq!(paths.claude_json(), PathBuf::from("/h/.claude.json"));
        assert_eq!(paths.gemini_dir(), PathBuf::from("/h/.gemini"));
        assert_eq!(
            paths.opencode_dir(),
            PathBuf::from("/h/.local/share/opencode")
        );
        paths.claude_config_dir = Some("/c".into());
        paths.gemini_cli_home = Some("/g".into());
        paths.codex_home = Some("/x".into());
        assert_eq!(paths.claude_dir(), PathBuf::from("/c"));
        assert_eq!(paths.claude_json(), PathBuf::from("/c/.claude.json"));
        assert_eq!(paths.gemini_dir(), PathBuf::from("/g/.gemini"));
        assert_eq!(paths.codex_dir(), PathBuf::from("/x"));
    }
}
