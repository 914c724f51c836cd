//! Keeping each CLI's files in step with its provider's active account: plan every file
//! (refusing corrupt ones before anything is written), back up originals in the keychain on
//! first touch, write atomically, and record the keys written so clearing removes exactly them.

use std::path::PathBuf;

use crate::account::Account;
use crate::catalog::ProviderId;
use crate::config::Config;
use crate::error::Result;
use crate::files::{lock_files, plan_writes, remove_file, write_atomic};
use crate::providers::{self, Active};
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

/// Writes `provider`'s active account (or, with `None`, nothing of Switchboard's) into its
/// CLI's files, then runs `finish` (the switch itself) in the transaction that records the
/// result. Three steps, so that a crash at any moment leaves files and database consistent:
/// 1. plan every file (a corrupt one stops everything here), back up originals in the
///    keychain, and record as written the union of the old and new owned keys (committed);
/// 2. write the files atomically;
/// 3. record exactly the new owned keys and run `finish` (committed).
///
/// Returns the files that changed.
pub fn sync(
    store: &Store,
    vault: &Vault,
    config: &Config,
    provider: ProviderId,
    target: Option<Target<'_>>,
    finish: impl FnOnce(&Tx<'_>) -> Result<()>,
) -> Result<Vec<PathBuf>> {
    let active = target.map(|t| Active {
        account: t.account,
        secret: t.secret,
        identity: t.identity,
        helper_exe: &config.helper_exe,
        pinned: false,
    });
    let desired = providers::get(provider).files(&config.cli_paths, active.as_ref());
    // Held from reading the files to recording what was written: another process's switch
    // waits, so no write is planned over a file that changes underneath it.
    let _locks = lock_files(
        &config.locks_dir(),
        desired.iter().map(|d| d.path.as_path()),
    )?;
    let plans = store.transaction(|tx| {
        let plans = plan_writes(
            &desired,
            |path| tx.written_keys(path),
            |path| Ok(tx.managed_file(path)?.is_some_and(|m| !m.existed_before)),
        )?;
        for plan in plans.iter().filter(|p| p.changed) {
            if tx.managed_file(&plan.path)?.is_none() {
                if let Some(original) = &plan.current {
                    vault.store_backup(&plan.path, original)?;
                }
                tx.add_managed_file(&ManagedFile {
                    path: plan.path.clone(),
                    provider,
                    existed_before: plan.current.is_some(),
                })?;
            }
            tx.set_written_keys(&plan.path, &plan.may_hold)?;
        }
        Ok(plans)
    })?;
    let mut changed = Vec::new();
    for plan in plans.iter().filter(|p| p.changed) {
        match &plan.next {
            Some(text) => write_atomic(&plan.path, text.as_bytes())?,
            None => remove_file(&plan.path)?,
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
    Ok(changed)
}

/// Puts every managed file back as it was before Switchboard first wrote it (deleting the
/// ones it created), forgets them and their backups. Returns the providers touched.
/// The caller holds the files' locks (see [`lock_files`]), taken before the transaction.
pub fn restore(tx: &Tx<'_>, vault: &Vault) -> Result<Vec<ProviderId>> {
    let mut providers = Vec::new();
    for file in tx.managed_files()? {
        if file.existed_before {
            let original = vault.load_backup(&file.path)?;
            write_atomic(&file.path, original.expose().as_bytes())?;
        } else {
            remove_file(&file.path)?;
        }
        vault.delete_backup(&file.path)?;
        tx.forget_managed_file(&file.path)?;
        if !providers.contains(&file.provider) {
            providers.push(file.provider);
        }
    }
    Ok(providers)
}
