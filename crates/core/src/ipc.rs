//! The window's IPC contract, said once: each command's name, its arguments (a struct the
//! app's command takes whole) and what it answers, the events the app emits with their
//! payloads, and the globals it hands the page. The app's commands take and return these
//! types, so the compiler holds them to it, and `bindings.ts` is generated from them, so the
//! UI's calls are checked by `tsc`: a renamed argument fails on both sides.

use serde::Deserialize;
use ts_rs::TS;

use crate::account::{Account, AccountEdit, Fallback, KeyCredential, NewKeyAccount, Saved};
use crate::catalog::{ProviderId, ProviderInfo};
use crate::check::CheckResult;
use crate::deep_link::LinkRequest;
use crate::facade::{AccountUsage, Imported, Overview, Revoked, Settings, Switched};
use crate::limits::UsageSample;
use crate::signin::{SignInMethod, SignInStarted, SignedIn};

/// One IPC command: its arguments are the implementing struct.
pub trait Command: serde::de::DeserializeOwned + TS {
    /// The name the page invokes it by.
    const NAME: &'static str;
    /// What it answers (inside `Result`; an error is an `ErrorPayload`).
    type Output: serde::Serialize + TS;
}

/// What command `C` answers.
pub type Output<C> = <C as Command>::Output;

macro_rules! commands {
    ($( $(#[$doc:meta])* $name:ident($args:ident { $($field:ident: $ty:ty),* $(,)? }) -> $out:ty; )*) => {
        $(
            $(#[$doc])*
            #[derive(Deserialize, TS)]
            pub struct $args { $(pub $field: $ty),* }

            impl Command for $args {
                const NAME: &'static str = stringify!($name);
                type Output = $out;
            }
        )*

        /// Every command's name, in the order the app registers them.
        pub const COMMAND_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The argument structs' TypeScript declarations.
        #[cfg(test)]
        pub(crate) fn argument_declarations() -> Vec<String> {
            vec![$(<$args as TS>::decl()),*]
        }

        /// `name: { args: …; output: … };` per command, for the `Commands` map.
        #[cfg(test)]
        pub(crate) fn command_map() -> Vec<(&'static str, String, String)> {
            vec![$((stringify!($name), <$args as TS>::name(), <$out as TS>::name())),*]
        }
    };
}

commands! {
    catalog(CatalogArgs {}) -> Vec<ProviderInfo>;
    overview(OverviewArgs {}) -> Overview;
    add_key_account(AddKeyAccountArgs { input: NewKeyAccount }) -> Saved;
    replace_secret(ReplaceSecretArgs { id: String, credential: KeyCredential }) -> Saved;
    edit_account(EditAccountArgs { id: String, edit: AccountEdit }) -> Account;
    remove_account(RemoveAccountArgs { id: String }) -> Revoked;
    toggle_active(ToggleActiveArgs { id: String }) -> Switched;
    set_in_pool(SetInPoolArgs { id: String, in_pool: bool }) -> Account;
    set_fallback(SetFallbackArgs { provider: ProviderId, fallback: Fallback }) -> Fallback;
    set_auto_switch(SetAutoSwitchArgs { provider: ProviderId, percent: Option<f64> }) -> Option<f64>;
    /// Reads usage now (the refresh button): one account, or every account of a provider.
    read_usage(ReadUsageArgs { provider: Option<ProviderId>, id: Option<String> }) -> Vec<AccountUsage>;
    usage_history(UsageHistoryArgs { id: String }) -> Vec<UsageSample>;
    restore_cli_files(RestoreCliFilesArgs {}) -> Vec<ProviderId>;
    import_logins(ImportLoginsArgs {}) -> Vec<Imported>;
    start_sign_in(StartSignInArgs { provider: ProviderId, method: SignInMethod, label: Option<String> }) -> SignInStarted;
    /// Waits for the sign-in to end and returns the account (or why it failed).
    finish_sign_in(FinishSignInArgs { id: String }) -> SignedIn;
    paste_sign_in(PasteSignInArgs { id: String, text: String }) -> ();
    poll_sign_in_now(PollSignInNowArgs { id: String }) -> ();
    cancel_sign_in(CancelSignInArgs { id: String }) -> ();
    /// The link request that arrived before the window listened (started by a link), once.
    take_pending_link(TakePendingLinkArgs {}) -> Option<LinkRequest>;
    /// The user's answer to a link that asked before switching: `accept` carries it out.
    answer_link(AnswerLinkArgs { id: String, accept: bool }) -> Option<Switched>;
    /// Asks the provider whether the account's credential works (a network round trip).
    check_account(CheckAccountArgs { id: String }) -> CheckResult;
    settings(SettingsArgs {}) -> Settings;
    save_settings(SaveSettingsArgs { settings: Settings }) -> Settings;
}

/// The event the app emits after every change, with a [`crate::facade::Change`].
pub const CHANGE_EVENT: &str = "switchboard:change";
/// The event the app emits when a link arrives while the window listens, with a
/// [`LinkRequest`].
pub const LINK_EVENT: &str = "switchboard:link";

/// The global the app sets before the page loads: the [`crate::facade::FirstView`].
pub const FIRST_VIEW_GLOBAL: &str = "__SWITCHBOARD_FIRST_VIEW__";
/// The global the app sets to `"software"` when WebKit paints without compositing.
pub const PAINT_GLOBAL: &str = "__SWITCHBOARD_PAINT__";

/// The TypeScript of the contract: the argument types, the `Commands` map, the events with
/// their payloads, and the window globals.
#[cfg(test)]
pub(crate) fn typescript() -> String {
    let mut out = String::new();
    for decl in argument_declarations() {
        out.push_str(&format!("\nexport {decl}\n"));
    }
    out.push_str("\n/** Every IPC command: its arguments and what it answers. */\nexport type Commands = {\n");
    for (name, args, output) in command_map() {
        out.push_str(&format!(
            "  {name}: {{ args: {args}; output: {output} }};\n"
        ));
    }
    out.push_str("};\n\n/** Every IPC command's name. */\nexport type Command = keyof Commands;\n");
    out.push_str(&format!(
        "\nexport const CHANGE_EVENT = \"{CHANGE_EVENT}\";\nexport const LINK_EVENT = \"{LINK_EVENT}\";\n\n/** The events the app emits, with their payloads. */\nexport type Events = {{\n  \"{CHANGE_EVENT}\": Change;\n  \"{LINK_EVENT}\": LinkRequest;\n}};\n"
    ));
    out.push_str(&format!(
        "\n/** The globals the app sets on the page before it loads. */\nexport type WindowGlobals = {{\n  {FIRST_VIEW_GLOBAL}?: FirstView;\n  {PAINT_GLOBAL}?: string;\n}};\n"
    ));
    out
}
