//! The subcommands: each is one facade call; secrets come from stdin or a hidden prompt,
//! never from argv.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};

use switchboard_core::api::account::{Fallback, KeyCredential, NewKeyAccount};
use switchboard_core::api::catalog::ProviderId;
use switchboard_core::api::error::{Error, Result};
use switchboard_core::api::facade::Revoked;
use switchboard_core::api::secret::Sensitive;
use switchboard_core::{Config, Switchboard};

use crate::{exec, list, login, refresh, usage};

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Keep every AI coding-agent account in one place"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every provider's accounts.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add an API key (or AWS Bedrock credentials for Claude). The secret is read from stdin
    /// when it is piped, otherwise from a hidden prompt.
    AddKey {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        #[arg(long)]
        label: Option<String>,
        /// What kind of key: a provider API key, AWS access keys or a Bedrock API key.
        #[arg(long, value_enum, default_value_t = KeyType::ApiKey)]
        r#type: KeyType,
        /// AWS region for Bedrock.
        #[arg(long)]
        region: Option<String>,
        /// AWS access key id for `--type bedrock-access-keys` (the secret key is read like a key).
        #[arg(long)]
        access_key_id: Option<String>,
    },
    /// Sign in through the browser (or a device code) and add the account, or update the
    /// account of the same identity. The first account of a provider becomes active.
    Login {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// No browser redirect to this computer: open the page anywhere and paste back what
        /// it shows (Claude's code, Google's code, or the address the browser ended on).
        #[arg(long, conflicts_with = "device")]
        paste: bool,
        /// Sign in with a code typed on the provider's page, from any device.
        #[arg(long)]
        device: bool,
        #[arg(long)]
        label: Option<String>,
        /// Print the sign-in page instead of opening the browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// Make an account its provider's active one and write it into the CLI's files.
    Use {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// The account's label, email, or id prefix.
        account: String,
    },
    /// Clear a provider's active account, removing what Switchboard wrote to its files.
    Clear {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
    },
    /// Activate the next account of the provider's round-robin pool.
    Next {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
    },
    /// Show each provider's active account.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Give an account a new label.
    Rename {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// The account's label, email, or id prefix.
        account: String,
        label: String,
    },
    /// Remove an account and its keychain entry (clearing it first if it is active).
    Remove {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// The account's label, email, or id prefix.
        account: String,
    },
    /// Refresh sign-in tokens now: one account, a provider's sign-ins, or every sign-in.
    /// Exit code 9 when an account needs signing in again, 7 when a refresh failed for now.
    Refresh {
        #[arg(value_parser = provider_name())]
        provider: Option<ProviderId>,
        /// The account's label, email, or id prefix.
        account: Option<String>,
        /// Only tokens that are due (what the app does on its own).
        #[arg(long)]
        due: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show or set what becomes active when the active sign-in needs signing in again:
    /// `none` (the default), `pool` (the next ready pool account) or an account's name.
    Fallback {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// `none`, `pool`, or the account's label, email, or id prefix.
        policy: Option<String>,
    },
    /// Show how much of each account's limits is used, as last read (or read now).
    Usage {
        #[arg(value_parser = provider_name())]
        provider: Option<ProviderId>,
        /// Read it from the providers now instead of showing the last reading.
        #[arg(long)]
        refresh: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Put a sign-in account in or out of its provider's round-robin pool.
    Pool {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// The account's label, email, or id prefix.
        account: String,
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Show or set whether the active sign-in moves on by itself near a limit: `off` (the
    /// default), `on` (at 95% of any window) or a percentage.
    AutoSwitch {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        setting: Option<String>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Put every CLI file back as it was before Switchboard first changed it.
    Restore,
    /// Turn the logins already in the CLI files into accounts (again: no duplicates).
    Import,
    /// Print the active account's credential for a CLI's helper hook (Claude Code's
    /// `apiKeyHelper` and `awsCredentialExport` run this; it is not meant for people).
    Credential {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// A specific account (the helper of a per-account `exec` dir), by id.
        #[arg(long)]
        account: Option<String>,
    },
    /// Ask the provider whether an account's credential works (one request, no refresh).
    Test {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// The account's label, email, or id prefix (default: the active account).
        account: Option<String>,
    },
    /// Print `export` lines for the provider's active key account (for `eval`). On a
    /// terminal it prints nothing unless `--show` is given, so a key never lands on screen.
    Env {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// Print the lines even though the output is a terminal.
        #[arg(long)]
        show: bool,
    },
    /// Run a command as one account, in a per-account config dir (`CLAUDE_CONFIG_DIR`,
    /// `CODEX_HOME`, `GEMINI_CLI_HOME`, `GROK_HOME`), leaving the global CLI files alone.
    Exec {
        #[arg(value_parser = provider_name())]
        provider: ProviderId,
        /// The account's label, email, or id prefix (default: the active account).
        #[arg(long, conflicts_with = "next")]
        account: Option<String>,
        /// The next account of the round-robin pool (the active account stays).
        #[arg(long)]
        next: bool,
        /// The command and its arguments, after `--`.
        #[arg(last = true, required = true)]
        command: Vec<OsString>,
    },
}

/// A provider by its name (`claude`, `codex`, ...), with the names listed in `--help`.
fn provider_name() -> impl TypedValueParser<Value = ProviderId> {
    PossibleValuesParser::new(ProviderId::ALL.map(ProviderId::as_str)).map(|name| {
        ProviderId::parse(&name).unwrap_or_else(|| unreachable!("clap only passes listed names"))
    })
}

#[derive(Clone, Copy, ValueEnum)]
enum KeyType {
    ApiKey,
    BedrockAccessKeys,
    BedrockApiKey,
}

/// Runs the command line; returns the process exit code.
pub fn run(args: Vec<OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Command::Exec {
        provider,
        account,
        next,
        command,
    } = cli.command
    {
        return exec::run(provider, account, next, &command);
    }
    if let Command::Refresh {
        provider,
        account,
        due,
        json,
    } = cli.command
    {
        return refresh::run(provider, account, due, json);
    }
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// Reports `err` on stderr (provider text in it cleaned of escape sequences) and gives the
/// exit code it means.
pub(crate) fn fail(err: &Error) -> ExitCode {
    eprintln!("switchboard: {}", safe(&err.to_string()));
    ExitCode::from(exit_code(err))
}

/// Text that came from outside (a provider, a CLI's file), fit for a terminal: one line, no
/// escape sequences, no controls, no direction overrides, no invisible characters.
pub(crate) fn safe(text: &str) -> String {
    switchboard_core::api::text::printable(text, true)
}

/// `value` as pretty JSON on stdout.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::io("printing", e))?;
    println!("{text}");
    Ok(())
}

/// `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Exit codes a script can rely on.
pub(crate) fn exit_code(err: &Error) -> u8 {
    use switchboard_core::api::error::ErrorCode::*;
    match err.code() {
        InvalidInput | Conflict | NotAllowed => 2,
        NotFound => 3,
        ProviderNotConfigured => 4,
        KeychainUnavailable | Keychain => 5,
        Storage | Io => 1,
        StateMismatch | AccessDenied | CodeRejected | SignInExpired | SignInCancelled
        | PortBusy => 6,
        Network | ProviderError => 7,
        CredentialRefused => 8,
    }
}

pub(crate) fn open() -> Result<Switchboard> {
    let config = Config::from_env()?;
    switchboard_core::api::logging::init(&config, false);
    say_overrides(&config);
    Switchboard::open(config)
}

/// One line on stderr while `SWITCHBOARD_ENDPOINTS` changes some providers' endpoints, so a
/// variable planted in a shell's start-up files does not act unseen.
pub(crate) fn say_overrides(config: &Config) {
    let providers = config.endpoints.providers();
    if providers.is_empty() {
        return;
    }
    let names: Vec<&str> = providers.iter().map(|p| p.display_name()).collect();
    eprintln!(
        "switchboard: SWITCHBOARD_ENDPOINTS overrides the endpoints of {}; credentials added without it are not sent there.",
        names.join(", ")
    );
}

fn execute(command: Command) -> Result<()> {
    match command {
        Command::Login {
            provider,
            paste,
            device,
            label,
            no_browser,
        } => login::run(provider, paste, device, label.as_deref(), no_browser),
        Command::Env { provider, show } => {
            let vars = open()?.env_vars(provider)?;
            if !show && std::io::stdout().is_terminal() {
                return Err(Error::InvalidInput(format!(
                    "switchboard env prints the key itself, for `eval \"$(switchboard env {p})\"`; on a terminal it prints nothing, so the key never lands on screen or in the scrollback. Add --show to print it anyway.",
                    p = provider.as_str()
                )));
            }
            let mut out = zeroize::Zeroizing::new(String::new());
            for (name, value) in vars {
                out.push_str(&format!("export {name}={}\n", shell_quote(value.expose())));
            }
            let mut stdout = std::io::stdout().lock();
            std::io::Write::write_all(&mut stdout, out.as_bytes())
                .map_err(|e| Error::io("printing the variables", e))
        }
        Command::Exec { .. } | Command::Refresh { .. } => unreachable!("handled in run"),
        Command::Test { provider, account } => {
            let board = open()?;
            let account = match account {
                Some(name) => board.find_account(provider, &name)?,
                None => board.active_account(provider)?,
            };
            let result = board.check_account(&account.id)?;
            match result.verdict {
                switchboard_core::api::check::CheckVerdict::Works => {
                    println!("{}: works \u{2014} {}", account.label, result.detail);
                    Ok(())
                }
                switchboard_core::api::check::CheckVerdict::Refused => {
                    Err(Error::CredentialRefused {
                        label: account.label,
                        detail: result.detail,
                    })
                }
            }
        }
        Command::List { json } => list::list(json),
        Command::AddKey {
            provider,
            label,
            r#type,
            region,
            access_key_id,
        } => {
            let board = open()?;
            let need_region = || {
                region.clone().ok_or_else(|| {
                    Error::InvalidInput("Bedrock needs --region (e.g. us-east-1).".to_owned())
                })
            };
            let credential = match r#type {
                KeyType::ApiKey => KeyCredential::ApiKey {
                    key: read_secret("Key")?,
                },
                KeyType::BedrockApiKey => KeyCredential::BedrockApiKey {
                    region: need_region()?,
                    api_key: read_secret("Bedrock API key")?,
                },
                KeyType::BedrockAccessKeys => KeyCredential::BedrockAccessKeys {
                    region: need_region()?,
                    access_key_id: access_key_id.map(Sensitive::new).ok_or_else(|| {
                        Error::InvalidInput(
                            "Give the access key id with --access-key-id.".to_owned(),
                        )
                    })?,
                    secret_access_key: read_secret("Secret access key")?,
                },
            };
            let saved = board.add_key_account(NewKeyAccount {
                provider,
                label,
                description: None,
                credential,
                endpoint: None,
                model: None,
                effort: None,
            })?;
            for warning in &saved.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "Added {} ({}) to {}",
                saved.account.label,
                saved.account.secret_hint,
                provider.display_name()
            );
            Ok(())
        }
        Command::Use { provider, account } => {
            let board = open()?;
            let account = board.find_account(provider, &account)?;
            print_switch(&board.set_active(provider, Some(&account.id))?)
        }
        Command::Usage {
            provider,
            refresh,
            json,
        } => usage::show(provider, refresh, json),
        Command::Pool {
            provider,
            account,
            state,
        } => usage::pool(provider, &account, state == "on"),
        Command::AutoSwitch { provider, setting } => {
            usage::auto_switch(provider, setting.as_deref())
        }
        Command::Next { provider } => {
            let board = open()?;
            print_switch(&board.next_in_pool(provider)?)
        }
        Command::Status { json } => list::status(json),
        Command::Rename {
            provider,
            account,
            label,
        } => {
            let board = open()?;
            let account = board.find_account(provider, &account)?;
            let renamed = board.rename_account(&account.id, &label)?;
            println!("Renamed {} to {}", account.label, renamed.label);
            Ok(())
        }
        Command::Remove { provider, account } => {
            let board = open()?;
            let account = board.find_account(provider, &account)?;
            let revoked = board.remove_account(&account.id)?;
            println!("Removed {} and its keychain entry", account.label);
            match revoked {
                Revoked::Revoked => println!("Its sign-in was revoked at {}.", provider.display_name()),
                Revoked::NoEndpoint => println!(
                    "{} has no way to revoke a sign-in: its tokens stay valid until they expire.",
                    provider.display_name()
                ),
                Revoked::Failed(reason) => eprintln!(
                    "Revoking its sign-in at {} failed ({}); the tokens stay valid until they expire.",
                    provider.display_name(),
                    safe(&reason)
                ),
                Revoked::NotNeeded => {}
            }
            Ok(())
        }
        Command::Fallback { provider, policy } => {
            let board = open()?;
            let fallback = match policy.as_deref() {
                None => board.fallback(provider)?,
                Some("none") => board.set_fallback(provider, Fallback::None)?,
                Some("pool") => board.set_fallback(provider, Fallback::Pool)?,
                Some(name) => {
                    let account = board.find_account(provider, name)?;
                    board.set_fallback(
                        provider,
                        Fallback::Account {
                            account_id: account.id,
                        },
                    )?
                }
            };
            let name = provider.display_name();
            match fallback {
                Fallback::None => println!(
                    "When the active {name} sign-in needs signing in again, nothing switches."
                ),
                Fallback::Pool => println!(
                    "When the active {name} sign-in needs signing in again, the next ready pool account becomes active."
                ),
                Fallback::Account { account_id } => println!(
                    "When the active {name} sign-in needs signing in again, \u{201c}{}\u{201d} becomes active.",
                    safe(&board.account(&account_id)?.label)
                ),
            }
            Ok(())
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "switchboard", &mut std::io::stdout());
            Ok(())
        }
        Command::Clear { provider } => print_switch(&open()?.set_active(provider, None)?),
        Command::Import => {
            let imported = open()?.import_logins()?;
            if imported.is_empty() {
                println!("No logins found in the CLI files.");
            }
            for found in imported {
                let what = if found.created {
                    "Imported"
                } else {
                    "Already known:"
                };
                println!("{what} {} ({})", found.label, found.provider.display_name());
            }
            Ok(())
        }
        Command::Restore => {
            let providers = open()?.restore_cli_files()?;
            if providers.is_empty() {
                println!("Switchboard had not changed any CLI file.");
            }
            for provider in providers {
                println!("Restored the original files of {}", provider.display_name());
            }
            Ok(())
        }
        Command::Credential { provider, account } => {
            let credential = open()?.helper_credential(provider, account.as_deref())?;
            let mut stdout = std::io::stdout().lock();
            std::io::Write::write_all(&mut stdout, credential.expose().as_bytes())
                .and_then(|()| std::io::Write::write_all(&mut stdout, b"\n"))
                .map_err(|e| Error::io("printing the credential", e))
        }
    }
}

/// Prints a switch: the sentence the window and tray say too, the files it changed, and (on
/// stderr) what will not follow it.
pub(crate) fn print_switch(switched: &switchboard_core::api::facade::Switched) -> Result<()> {
    for skipped in &switched.skipped {
        println!("skipped {}", safe(skipped));
    }
    println!("{}", switched.notice);
    for file in &switched.files_changed {
        println!("  updated {file}");
    }
    if let Some(caveat) = &switched.caveat {
        eprintln!("note: {caveat}");
    }
    Ok(())
}

/// Reads a secret from piped stdin, or from a hidden prompt on a terminal.
fn read_secret(what: &str) -> Result<Sensitive<String>> {
    let stdin = std::io::stdin();
    // The typed text is wiped when it drops; only its trimmed copy lives on, as a secret.
    let raw = zeroize::Zeroizing::new(if stdin.is_terminal() {
        rpassword::prompt_password(format!("{what} (hidden): "))
            .map_err(|e| Error::io("reading the secret", e))?
    } else {
        let mut raw = String::with_capacity(4096);
        stdin
            .lock()
            .read_to_string(&mut raw)
            .map_err(|e| Error::io("reading the secret from stdin", e))?;
        raw
    });
    Ok(Sensitive::new(raw.trim().to_owned()))
}
