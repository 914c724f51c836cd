//! Keeping each CLI's files in step with its provider's active account: plan every file
//! (refusing corrupt ones before anything is written), back up originals in the keychain on
//! first touch, write atomically, and record the keys written so clearing removes exactly
//! them; and putting the originals back. The caller holds the files' locks
//! ([`lock_paths`] says which) from before it looks at the files until this returns.

use std::path::PathBuf;

use crate::account::Account;
use crate::catalog::ProviderId;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::files::{
    plan_writes, remove_file, replace_if_unchanged, write_atomic, CliPaths, PlannedWrite, Replaced,
};
use crate::providers::{self, Active};
use crate::secret::Sensitive;
use crate::store::{ManagedFile, Store, Tx};
use crate::vault::{AccountSecret, Vault};

/// The account to write into a provider's files, with its secret and identity record. The
/// caller loads them (outside any transaction): the account may not be in the database yet
/// when the switch itself adds it.
pub struct Target<'a> {
    pub account: &'a Account,
    pub secret: &'a AccountSecret,
    pub identity: &'a serde_json::Value,
}

/// What a sync found when it came to write.
pub enum Synced {
    /// Done: these files changed.
    Written(Vec<PathBuf>),
    /// A file changed after it was read (its CLI rewrote it): nothing of this sync was
    /// written over it. Take its tokens back and sync again.
    ChangedUnderneath(PathBuf),
}

/// Every file whose lock a switch or take-back of `provider` under `paths` holds: the files
/// it writes and the files a login is read from.
pub fn lock_paths(provider: ProviderId, paths: &CliPaths) -> Vec<PathBuf> {
    let source = providers::get(provider);
    let mut all: Vec<PathBuf> = source
        .files(paths, None)
        .into_iter()
        .map(|d| d.path.clone())
        .collect();
    all.extend(source.login_files(paths));
    all.sort();
    all.dedup();
    all
}

/// The contents of files as they were read at one moment (`None`: the file did not exist).
pub type Snapshot = std::collections::HashMap<PathBuf, Option<String>>;

/// Reads `paths` as they are now.
pub fn snapshot(paths: &[PathBuf]) -> Result<Snapshot> {
    paths
        .iter()
        .map(|path| match std::fs::read_to_string(path) {
            Ok(text) => Ok((path.clone(), Some(text))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((path.clone(), None)),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        })
        .collect()
}

/// Writes `provider`'s active account (or, with `None`, nothing of Switchboard's) into its
/// CLI's files, then runs `finish` (the switch itself) in the transaction that records the
/// result. The keychain is used only outside transactions. `seen` is what the files held
/// when the caller took their tokens back: a file that differs now was rewritten by its CLI
/// since, and nothing is written. So that a crash at any moment leaves files and database
/// consistent:
/// 1. plan every file (a corrupt one stops everything here) and back up originals in the
///    keychain; then record as written the union of the old and new owned keys (committed);
/// 2. write the files atomically, each only if it still holds what was planned from;
/// 3. record exactly the new owned keys and run `finish` (committed).
pub fn sync(
    store: &Store,
    vault: &Vault,
    config: &Config,
    provider: ProviderId,
    target: Option<Target<'_>>,
    seen: &Snapshot,
    finish: impl FnOnce(&Tx<'_>) -> Result<()>,
) -> Result<Synced> {
    let active = target.map(|t| Active {
        account: t.account,
        secret: t.secret,
        identity: t.identity,
        helper_exe: &config.helper_exe,
        pinned: false,
    });
    let desired = providers::get(provider).files(&config.cli_paths, active.as_ref());
    let (plans, first_touch) = store.read(|tx| {
        let plans = plan_writes(
            &desired,
            |path| tx.written_keys(path),
            |path| Ok(tx.managed_file(path)?.is_some_and(|m| !m.existed_before)),
        )?;
        let mut first_touch = Vec::new();
        for plan in plans.iter().filter(|p| p.changed) {
            if tx.managed_file(&plan.path)?.is_none() {
                first_touch.push(plan.path.clone());
            }
        }
        Ok((plans, first_touch))
    })?;
    if let Some(plan) = plans
        .iter()
        .find(|p| seen.get(&p.path).is_some_and(|seen| *seen != p.current))
    {
        return Ok(Synced::ChangedUnderneath(plan.path.clone()));
    }
    for plan in plans.iter().filter(|p| first_touch.contains(&p.path)) {
        if let Some(original) = &plan.current {
            vault.store_backup(&plan.path, original)?;
        }
    }
    store.transaction(|tx| {
        for plan in plans.iter().filter(|p| p.changed) {
            if first_touch.contains(&plan.path) && tx.managed_file(&plan.path)?.is_none() {
                tx.add_managed_file(&ManagedFile {
                    path: plan.path.clone(),
                    provider,
                    existed_before: plan.current.is_some(),
                })?;
            }
            tx.set_written_keys(&plan.path, &plan.may_hold)?;
        }
        Ok(())
    })?;
    let mut changed = Vec::new();
    for plan in plans.iter().filter(|p| p.changed) {
        let replaced = match &plan.next {
            Some(text) => {
                replace_if_unchanged(&plan.path, text.as_bytes(), plan.current.as_deref())?
            }
            None if still_as_planned(plan)? => {
                remove_file(&plan.path)?;
                Replaced::Done
            }
            None => Replaced::Raced,
        };
        if replaced == Replaced::Raced {
            return Ok(Synced::ChangedUnderneath(plan.path.clone()));
        }
        changed.push(plan.path.clone());
    }
    store.transaction(|tx| {
        for plan in &plans {
            if tx.managed_file(&plan.path)?.is_some() {
                tx.set_written_keys(&plan.path, &plan.written_keys)?;
            }
        }
        finish(tx)
    })?;
    Ok(Synced::Written(changed))
}

/// Whether `plan`'s file still holds what it was planned from.
fn still_as_planned(plan: &PlannedWrite) -> Result<bool> {
    let now = match std::fs::read_to_string(&plan.path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(format!("reading {}", plan.path.display()), e)),
    };
    Ok(now == plan.current)
}

/// Puts every managed file back as it was before Switchboard first wrote it (deleting the
/// ones it created), then forgets them (and runs `finish`) in one transaction, and only then
/// deletes the backups. Every backup is read before the first file is written: a missing
/// one stops everything, and a crash at any moment leaves a restore that can simply run
/// again. Returns the providers touched. The caller holds every managed file's lock.
pub fn restore(
    store: &Store,
    vault: &Vault,
    finish: impl FnOnce(&Tx<'_>, &[ProviderId]) -> Result<()>,
) -> Result<Vec<ProviderId>> {
    let files = store.read(|tx| tx.managed_files())?;
    let mut originals: Vec<(&ManagedFile, Option<Sensitive<String>>)> = Vec::new();
    for file in &files {
        let original = if file.existed_before {
            Some(vault.load_backup(&file.path)?)
        } else {
            None
        };
        originals.push((file, original));
    }
    let mut providers = Vec::new();
    for (file, original) in &originals {
        match original {
            Some(text) => write_atomic(&file.path, text.expose().as_bytes())?,
            None => remove_file(&file.path)?,
        }
        if !providers.contains(&file.provider) {
            providers.push(file.provider);
        }
    }
    store.transaction(|tx| {
        for file in &files {
            tx.forget_managed_file(&file.path)?;
        }
        finish(tx, &providers)
    })?;
    for file in &files {
        if let Err(err) = vault.delete_backup(&file.path) {
            tracing::warn!(path = %file.path.display(), "could not delete a restored file's backup: {err}");
        }
    }
    Ok(providers)
}

/// The paths of every file Switchboard manages (to lock before a restore).
pub fn managed_paths(store: &Store) -> Result<Vec<PathBuf>> {
    Ok(store
        .read(|tx| tx.managed_files())?
        .into_iter()
        .map(|f| f.path)
        .collect())
}
