//! Turning "these owned keys should now hold these values" into file contents: read each
//! file, set the wanted keys, remove the keys Switchboard wrote before and no longer wants,
//! and leave every other key alone. Nothing is written here; all files are planned (and any
//! corrupt one refused) before the first write.

use std::path::PathBuf;

use serde_json::Value;

use super::document::{Document, Format, KeyPath};
use crate::error::{Error, Result};
use crate::secret::{wipe_json, SecretJson};

/// What one CLI file should hold for the active account: the owned keys and their values.
/// An empty `entries` means "nothing of ours" (the provider has no active account). The
/// values hold tokens and keys: `Debug` shows the keys only.
#[derive(Clone)]
pub struct DesiredFile {
    pub path: PathBuf,
    pub format: Format,
    pub entries: Vec<(KeyPath, Value)>,
    /// Delete the file when nothing is left in it, even if it existed before Switchboard: for
    /// files whose mere presence means something to the CLI (Codex reads an empty
    /// `auth.json` as a ChatGPT login).
    pub remove_when_empty: bool,
}

impl DesiredFile {
    pub fn new(path: PathBuf, format: Format) -> Self {
        Self {
            path,
            format,
            entries: Vec::new(),
            remove_when_empty: false,
        }
    }

    pub fn removed_when_empty(mut self) -> Self {
        self.remove_when_empty = true;
        self
    }

    pub fn set(mut self, key: KeyPath, value: Value) -> Self {
        self.entries.push((key, value));
        self
    }

    /// Sets `key` to secret JSON (a sign-in's tokens), wiped with this file when it drops.
    pub fn set_secret(self, key: KeyPath, value: SecretJson) -> Self {
        self.set(key, value.into_plain())
    }

    /// Sets each top-level field of `object` as an owned key of its own (for CLIs whose file
    /// is the tokens object itself); nothing when it is not an object.
    pub fn set_fields_of(mut self, object: SecretJson) -> Self {
        if let Value::Object(fields) = object.into_plain() {
            for (field, value) in fields {
                self.entries.push((vec![field], value));
            }
        }
        self
    }
}

impl Drop for DesiredFile {
    fn drop(&mut self) {
        for (_, value) in &mut self.entries {
            wipe_json(value);
        }
    }
}

impl Drop for PlannedWrite {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.current.zeroize();
        self.next.zeroize();
    }
}

/// The outcome for one file. Its texts hold tokens and keys: `Debug` shows neither.
#[derive(Clone)]
pub struct PlannedWrite {
    pub path: PathBuf,
    /// The file as it is now (`None`: it does not exist), for the first-write backup.
    pub current: Option<String>,
    /// What to write: `Some(text)`, or `None` to delete a file left with nothing in it (see
    /// `DesiredFile::remove_when_empty`); nothing is written when `changed` is false.
    pub next: Option<String>,
    pub changed: bool,
    /// The owned keys the file holds afterwards, recorded so a later clear removes exactly them.
    pub written_keys: Vec<KeyPath>,
    /// The owned keys the file may hold while it is rewritten: those written before and
    /// those written now, recorded before the write so a crash leaves none unaccounted for.
    pub may_hold: Vec<KeyPath>,
}

impl std::fmt::Debug for DesiredFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesiredFile")
            .field("path", &self.path)
            .field("format", &self.format)
            .field(
                "keys",
                &self.entries.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("values", &"<redacted>")
            .field("remove_when_empty", &self.remove_when_empty)
            .finish()
    }
}

impl std::fmt::Debug for PlannedWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlannedWrite")
            .field("path", &self.path)
            .field("current", &self.current.as_ref().map(|_| "<redacted>"))
            .field("next", &self.next.as_ref().map(|_| "<redacted>"))
            .field("changed", &self.changed)
            .field("written_keys", &self.written_keys)
            .finish()
    }
}

/// Plans every file. `previously_written(path)` gives the keys Switchboard wrote to that file
/// before; `created_by_us(path)` whether the file did not exist before Switchboard's first write.
pub fn plan_writes(
    desired: &[DesiredFile],
    previously_written: impl Fn(&std::path::Path) -> Result<Vec<KeyPath>>,
    created_by_us: impl Fn(&std::path::Path) -> Result<bool>,
) -> Result<Vec<PlannedWrite>> {
    desired
        .iter()
        .map(|file| {
            let what = file.path.display().to_string();
            let current = match std::fs::read_to_string(&file.path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::io(format!("reading {what}"), e)),
            };
            let mut doc = Document::parse(file.format, current.as_deref(), &what)?;
            let wanted: Vec<&KeyPath> = file.entries.iter().map(|(k, _)| k).collect();
            let mut may_hold = previously_written(&file.path)?;
            for old in &may_hold {
                if !wanted.contains(&old) {
                    doc.remove(old);
                }
            }
            for key in wanted {
                if !may_hold.contains(key) {
                    may_hold.push(key.clone());
                }
            }
            for (key, value) in &file.entries {
                doc.set(key, value, &what)?;
            }
            let rendered = doc.render();
            let remove_file = doc.is_empty()
                && file.entries.is_empty()
                && (file.remove_when_empty || created_by_us(&file.path)?);
            let (next, changed) = if remove_file {
                (None, current.is_some())
            } else {
                let changed = current.as_deref() != Some(rendered.as_str())
                    && !(current.is_none() && file.entries.is_empty());
                (Some(rendered), changed)
            };
            Ok(PlannedWrite {
                path: file.path.clone(),
                current,
                next,
                changed,
                written_keys: file.entries.iter().map(|(k, _)| k.clone()).collect(),
                may_hold,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_contents_never_show_in_debug_output() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("auth.json");
        std::fs::write(&path, r#"{"users_own": "sk-original-canary"}"#).expect("seed");
        let desired = DesiredFile::new(path, Format::Json).set(
            super::super::key_path(&["OPENAI_API_KEY"]),
            serde_json::json!("sk-new-canary"),
        );
        let plans = plan_writes(
            std::slice::from_ref(&desired),
            |_| Ok(Vec::new()),
            |_| Ok(false),
        )
        .expect("plan");
        let printed = format!("{desired:?} {plans:?}");
        assert!(printed.contains("OPENAI_API_KEY"), "{printed}");
        assert!(!printed.contains("canary"), "{printed}");
    }
}
