//! Which endpoints a stored credential may be sent to: the ones in effect when it was given
//! to Switchboard (a sign-in, an import, a key added or replaced). A `SWITCHBOARD_ENDPOINTS`
//! override set later (a planted variable, a gateway tried once) redirects new sign-ins
//! only; existing tokens and keys are never sent where it points.

use crate::account::Account;
use crate::error::{Error, Result};

use super::Switchboard;

impl Switchboard {
    /// The endpoints a credential given now comes with.
    pub(super) fn current_endpoints(&self, account: &Account) -> String {
        self.config.endpoints.credential_endpoints(account.provider)
    }

    /// Records that `account`'s credential came with the endpoints in effect now.
    pub(super) fn bind_to_current_endpoints(
        &self,
        tx: &crate::store::Tx<'_>,
        account: &Account,
    ) -> Result<()> {
        tx.set_credential_endpoints(&account.id, &self.current_endpoints(account))
    }

    /// Whether `account`'s credential may be sent to the endpoints in effect now: those it
    /// came with. An account kept before this was recorded is bound to the ones of its first
    /// use.
    pub(super) fn check_endpoints(&self, account: &Account) -> Result<()> {
        let current = self.current_endpoints(account);
        match self
            .store
            .read(|tx| tx.credential_endpoints(&account.id))?
        {
            Some(bound) if bound == current => Ok(()),
            None => self
                .store
                .transaction(|tx| tx.set_credential_endpoints(&account.id, &current)),
            Some(_) => Err(Error::NotAllowed(format!(
                "\u{201c}{}\u{201d} was added with other {} endpoints than SWITCHBOARD_ENDPOINTS names now, so its credential is not sent there. Sign in again (or enter the key again) to use these endpoints, or run Switchboard without the override.",
                account.label,
                account.provider.display_name()
            ))),
        }
    }

    /// The providers whose endpoints `SWITCHBOARD_ENDPOINTS` changes in this process.
    pub fn overridden_endpoints(&self) -> Vec<crate::catalog::ProviderId> {
        self.config.endpoints.providers()
    }
}
