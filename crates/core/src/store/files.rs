//! Queries on the CLI files Switchboard manages and the keys it wrote to each.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};

use super::{corrupt, Tx};
use crate::catalog::ProviderId;
use crate::error::{Error, Result};
use crate::files::KeyPath;

/// A CLI file whose original is backed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedFile {
    pub path: PathBuf,
    pub provider: ProviderId,
    /// Whether the file existed before Switchboard first wrote it.
    pub existed_before: bool,
}

fn path_text(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| Error::InvalidInput(format!("{} is not a UTF-8 path", path.display())))
}

impl Tx<'_> {
    pub fn managed_file(&self, path: &Path) -> Result<Option<ManagedFile>> {
        let row: Option<(String, bool)> = self
            .conn()
            .query_row(
                "SELECT provider, existed_before FROM managed_files WHERE path = ?1",
                [path_text(path)?],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        row.map(|(provider, existed_before)| {
            Ok(ManagedFile {
                path: path.to_owned(),
                provider: ProviderId::parse(&provider)
                    .ok_or_else(|| corrupt("managed_files.provider", &provider))?,
                existed_before,
            })
        })
        .transpose()
    }

    pub fn managed_files(&self) -> Result<Vec<ManagedFile>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT path, provider, existed_before FROM managed_files ORDER BY path")?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get(2)?,
            ))
        })?;
        let mut files = Vec::new();
        for row in rows {
            let (path, provider, existed_before) = row?;
            files.push(ManagedFile {
                path: PathBuf::from(path),
                provider: ProviderId::parse(&provider)
                    .ok_or_else(|| corrupt("managed_files.provider", &provider))?,
                existed_before,
            });
        }
        Ok(files)
    }

    pub fn add_managed_file(&self, file: &ManagedFile) -> Result<()> {
        self.conn().execute(
            "INSERT INTO managed_files (path, provider, existed_before, backed_up_at) VALUES (?1, ?2, ?3, ?4)",
            params![path_text(&file.path)?, file.provider.as_str(), file.existed_before, self.now()],
        )?;
        Ok(())
    }

    pub fn forget_managed_file(&self, path: &Path) -> Result<()> {
        self.conn().execute(
            "DELETE FROM managed_files WHERE path = ?1",
            [path_text(path)?],
        )?;
        Ok(())
    }

    pub fn written_keys(&self, path: &Path) -> Result<Vec<KeyPath>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT key FROM written_keys WHERE path = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([path_text(path)?], |row| row.get::<_, String>(0))?;
        let mut keys = Vec::new();
        for row in rows {
            let text = row?;
            keys.push(serde_json::from_str(&text).map_err(|_| corrupt("written_keys.key", &text))?);
        }
        Ok(keys)
    }

    pub fn set_written_keys(&self, path: &Path, keys: &[KeyPath]) -> Result<()> {
        let path = path_text(path)?;
        self.conn()
            .execute("DELETE FROM written_keys WHERE path = ?1", [path])?;
        for key in keys {
            let text = serde_json::to_string(key).map_err(|e| Error::Storage(e.to_string()))?;
            self.conn().execute(
                "INSERT OR IGNORE INTO written_keys (path, key) VALUES (?1, ?2)",
                params![path, text],
            )?;
        }
        Ok(())
    }
}
