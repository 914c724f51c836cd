//! What the CLI files are resolved against: a home, and the environment variables the CLIs
//! read to find their files. Which variables matter and what each CLI makes of them (its
//! relocation variable, its default dir) is its provider's business (`providers/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A home and the variables (with their values) the CLIs resolve their files against. Tests
/// build one over a temporary home; production reads the variables the providers name once.
#[derive(Debug, Clone, Default)]
pub struct CliPaths {
    pub home: PathBuf,
    vars: BTreeMap<String, PathBuf>,
}

impl CliPaths {
    /// Paths under `home` with no variable set.
    pub fn under_home(home: impl Into<PathBuf>) -> Self {
        Self {
            home: home.into(),
            vars: BTreeMap::new(),
        }
    }

    /// `home` with the variables `names` as this process's environment has them (set and
    /// not empty).
    pub fn from_env<'a>(home: PathBuf, names: impl IntoIterator<Item = &'a str>) -> Self {
        let vars = names
            .into_iter()
            .filter_map(|name| {
                let value = std::env::var_os(name).filter(|v| !v.is_empty())?;
                Some((name.to_owned(), PathBuf::from(value)))
            })
            .collect();
        Self { home, vars }
    }

    /// These paths with `name` set to `value`.
    pub fn with_var(mut self, name: &str, value: impl Into<PathBuf>) -> Self {
        self.vars.insert(name.to_owned(), value.into());
        self
    }

    /// The value of variable `name`, if set.
    pub fn var(&self, name: &str) -> Option<&Path> {
        self.vars.get(name).map(PathBuf::as_path)
    }

    /// The dir variable `name` names, else `default` under the home.
    pub fn dir_or_home(&self, name: &str, default: &str) -> PathBuf {
        self.var(name)
            .map_or_else(|| self.home.join(default), Path::to_path_buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_moves_a_dir_and_an_unset_one_leaves_it_under_the_home() {
        let paths = CliPaths::under_home("/h");
        assert_eq!(paths.dir_or_home("SOME_HOME", ".some"), PathBuf::from("/h/.some"));
        let paths = paths.with_var("SOME_HOME", "/elsewhere");
        assert_eq!(paths.dir_or_home("SOME_HOME", ".some"), PathBuf::from("/elsewhere"));
        assert_eq!(paths.var("OTHER"), None);
    }
}
