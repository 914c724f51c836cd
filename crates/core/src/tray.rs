//! The tray menu as data: built from the overview after every change, so the tray always
//! shows what the window shows. The desktop shell only draws it and sends back actions.

use crate::account::AccountStatus;
use crate::facade::AccountView;
use crate::catalog::ProviderId;
use crate::facade::Overview;

/// What choosing a tray item does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayAction {
    Use {
        provider: ProviderId,
        account_id: String,
    },
    Next {
        provider: ProviderId,
    },
    Open,
    Quit,
}

/// The notification that confirms a switch made from the tray: a title and a body.
pub fn switch_notice(switched: &crate::facade::Switched) -> (String, String) {
    let mut body = switched.notice.clone();
    if let Some(caveat) = &switched.caveat {
        body.push(' ');
        body.push_str(caveat);
    }
    (switched.provider.display_name().to_owned(), body)
}

impl TrayAction {
    /// The menu item id that carries this action.
    pub fn id(&self) -> String {
        match self {
            TrayAction::Use {
                provider,
                account_id,
            } => format!("use:{}:{account_id}", provider.as_str()),
            TrayAction::Next { provider } => format!("next:{}", provider.as_str()),
            TrayAction::Open => "open".to_owned(),
            TrayAction::Quit => "quit".to_owned(),
        }
    }

    /// The action of a menu item id (`None` for ids that are not actions).
    pub fn parse(id: &str) -> Option<Self> {
        let mut parts = id.splitn(3, ':');
        match (parts.next()?, parts.next(), parts.next()) {
            ("open", None, None) => Some(TrayAction::Open),
            ("quit", None, None) => Some(TrayAction::Quit),
            ("next", Some(provider), None) => Some(TrayAction::Next {
                provider: ProviderId::parse(provider)?,
            }),
            ("use", Some(provider), Some(account)) if !account.is_empty() => {
                Some(TrayAction::Use {
                    provider: ProviderId::parse(provider)?,
                    account_id: account.to_owned(),
                })
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayItem {
    /// An account: checked when active.
    Account {
        label: String,
        checked: bool,
        action: TrayAction,
    },
    /// A plain action ("Next in pool", "Open Switchboard", "Quit").
    Action {
        label: String,
        action: TrayAction,
    },
    /// Text that does nothing ("No accounts").
    Note {
        label: String,
    },
    Separator,
}

/// One provider's submenu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraySubmenu {
    pub title: String,
    pub items: Vec<TrayItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenu {
    pub submenus: Vec<TraySubmenu>,
    /// Below the submenus: open and quit.
    pub footer: Vec<TrayItem>,
    /// The tooltip: which account each configured provider uses.
    pub tooltip: String,
}

/// The window of `account`'s last reading with the least room left at `now`, in words
/// ("5-hour 51%"); `None` before a reading.
fn tightest(account: &AccountView, now: i64) -> Option<String> {
    let limits = account.usage.as_ref()?.limits.as_ref()?;
    if limits.unusable {
        return Some("unusable".to_owned());
    }
    let window = limits.tightest_at(now)?;
    Some(format!("{} {:.0}%", window.name, window.used_at(now)))
}

/// The share used of `account`'s tightest window ("51%"), for the pool's items.
fn used_share(account: &AccountView, now: i64) -> Option<String> {
    let limits = account.usage.as_ref()?.limits.as_ref()?;
    let room = limits.room_at(now);
    Some(if room <= 0.0 {
        "at limit".to_owned()
    } else {
        format!("{:.0}%", 100.0 - room)
    })
}

/// A submenu lists at most this many accounts, the active one always among them, then one
/// item that opens the window for the rest: a menu of hundreds of items is neither usable nor
/// cheap to rebuild after every change.
pub const TRAY_ACCOUNTS: usize = 20;

/// The accounts a submenu lists, in the window's order, and how many it leaves out.
fn listed_in_tray<'a>(
    accounts: &'a [AccountView],
    active: Option<&AccountView>,
) -> (Vec<&'a AccountView>, usize) {
    if accounts.len() <= TRAY_ACCOUNTS {
        return (accounts.iter().collect(), 0);
    }
    let mut listed: Vec<&AccountView> = accounts.iter().take(TRAY_ACCOUNTS - 1).collect();
    // The last place goes to the active account when the first ones do not hold it.
    let late_active = active.and_then(|active| {
        accounts[TRAY_ACCOUNTS - 1..]
            .iter()
            .find(|a| a.id == active.id)
    });
    listed.push(late_active.unwrap_or(&accounts[TRAY_ACCOUNTS - 1]));
    (listed, accounts.len() - TRAY_ACCOUNTS)
}

/// Builds the tray menu from what the window shows.
pub fn tray_menu(overview: &Overview) -> TrayMenu {
    let now = crate::time::now_ms();
    let mut tooltip = vec!["Switchboard".to_owned()];
    let submenus = overview
        .providers
        .iter()
        .map(|group| {
            let name = group.provider.display_name();
            let active = group
                .accounts
                .iter()
                .find(|a| Some(&a.id) == group.active_account_id.as_ref());
            let active_usage = active
                .and_then(|a| tightest(a, now))
                .map(|t| format!(" \u{00b7} {t}"))
                .unwrap_or_default();
            if let Some(active) = active {
                tooltip.push(format!("{name}: {}{active_usage}", active.label));
            }
            let (listed, left_out) = listed_in_tray(&group.accounts, active);
            let mut items: Vec<TrayItem> = listed
                .into_iter()
                .map(|account| TrayItem::Account {
                    label: match account.status {
                        AccountStatus::Ok if account.in_pool => match used_share(account, now) {
                            Some(share) => format!("{} \u{2014} {share}", account.label),
                            None => account.label.clone(),
                        },
                        AccountStatus::Ok => account.label.clone(),
                        AccountStatus::NeedsSignIn => format!("{} (needs sign-in)", account.label),
                        AccountStatus::RefreshFailed => {
                            format!("{} (offline, retrying)", account.label)
                        }
                        AccountStatus::SecretMissing => format!("{} (key missing)", account.label),
                    },
                    checked: active.is_some_and(|a| a.id == account.id),
                    action: TrayAction::Use {
                        provider: group.provider,
                        account_id: account.id.clone(),
                    },
                })
                .collect();
            if items.is_empty() {
                items.push(TrayItem::Note {
                    label: "No accounts".to_owned(),
                });
            }
            if left_out > 0 {
                items.push(TrayItem::Action {
                    label: format!("{left_out} more in the window\u{2026}"),
                    action: TrayAction::Open,
                });
            }
            let pool = group
                .accounts
                .iter()
                .filter(|a| a.in_pool && a.status == AccountStatus::Ok)
                .count();
            if pool >= 2 {
                items.push(TrayItem::Separator);
                items.push(TrayItem::Action {
                    label: "Next in pool".to_owned(),
                    action: TrayAction::Next {
                        provider: group.provider,
                    },
                });
            }
            TraySubmenu {
                title: match active {
                    Some(a) => format!("{name} \u{2014} {}{active_usage}", a.label),
                    None => format!("{name} \u{2014} not configured"),
                },
                items,
            }
        })
        .collect();
    TrayMenu {
        submenus,
        footer: vec![
            TrayItem::Action {
                label: "Open Switchboard".to_owned(),
                action: TrayAction::Open,
            },
            TrayItem::Action {
                label: "Quit".to_owned(),
                action: TrayAction::Quit,
            },
        ],
        tooltip: tooltip.join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::catalog::AccountKind;
    use crate::limits::{Limits, UsageReading, UsageWindow};

    fn account(label: &str, in_pool: bool, used: Option<(f64, f64)>) -> AccountView {
        let mut account = Account::new(ProviderId::Claude, AccountKind::Oauth, String::new());
        account.label = label.to_owned();
        account.in_pool = in_pool;
        let usage = used.map(|(short, long)| UsageReading {
            limits: Some(Limits {
                windows: vec![
                    UsageWindow::new("5-hour", short, None),
                    UsageWindow::new("7-day", long, None),
                ],
                ..Limits::default()
            }),
            ..UsageReading::default()
        });
        AccountView {
            account,
            warning: None,
            usage,
        }
    }

    #[test]
    fn the_tray_shows_the_active_tightest_window_and_each_pooled_share() {
        let work = account("Work", true, Some((51.0, 20.0)));
        let home = account("Home", true, Some((100.0, 10.0)));
        let fresh = account("Fresh", true, None);
        let overview = Overview {
            endpoint_overrides: Vec::new(),
            providers: vec![crate::facade::ProviderAccounts {
                provider: ProviderId::Claude,
                active_account_id: Some(work.id.clone()),
                accounts: vec![work, home, fresh],
                fallback: crate::account::Fallback::None,
                auto_switch: None,
            }],
        };
        let menu = tray_menu(&overview);
        let claude = &menu.submenus[0];
        assert_eq!(
            claude.title,
            "Claude Code \u{2014} Work \u{00b7} 5-hour 51%"
        );
        let labels: Vec<&str> = claude
            .items
            .iter()
            .filter_map(|i| match i {
                TrayItem::Account { label, .. } => Some(label.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            labels,
            ["Work \u{2014} 51%", "Home \u{2014} at limit", "Fresh"]
        );
        assert!(menu
            .tooltip
            .contains("Claude Code: Work \u{00b7} 5-hour 51%"));
    }

    #[test]
    fn a_long_list_shows_twenty_with_the_active_one_and_opens_the_window_for_the_rest() {
        let accounts: Vec<AccountView> = (1..=30)
            .map(|n| account(&format!("Key {n}"), false, None))
            .collect();
        let labels = |active: usize| {
            let overview = Overview {
                endpoint_overrides: Vec::new(),
                providers: vec![crate::facade::ProviderAccounts {
                    provider: ProviderId::Claude,
                    active_account_id: Some(accounts[active - 1].id.clone()),
                    accounts: accounts.clone(),
                    fallback: crate::account::Fallback::None,
                    auto_switch: None,
                }],
            };
            tray_menu(&overview).submenus[0]
                .items
                .iter()
                .map(|item| match item {
                    TrayItem::Account { label, checked, .. } => {
                        format!("{label}{}", if *checked { " (checked)" } else { "" })
                    }
                    TrayItem::Action { label, action } => format!("{label} -> {action:?}"),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
        };
        let late = labels(25);
        assert_eq!(late.len(), TRAY_ACCOUNTS + 1);
        assert_eq!(late[TRAY_ACCOUNTS - 2], "Key 19");
        assert_eq!(late[TRAY_ACCOUNTS - 1], "Key 25 (checked)");
        assert_eq!(late[TRAY_ACCOUNTS], "10 more in the window\u{2026} -> Open");
        let early = labels(3);
        assert_eq!(early[2], "Key 3 (checked)");
        assert_eq!(early[TRAY_ACCOUNTS - 1], "Key 20");
        assert_eq!(
            early[TRAY_ACCOUNTS],
            "10 more in the window\u{2026} -> Open"
        );
    }

    #[test]
    fn action_ids_round_trip_and_junk_is_rejected() {
        for action in [
            TrayAction::Use {
                provider: ProviderId::Codex,
                account_id: "0b1c-uuid".into(),
            },
            TrayAction::Next {
                provider: ProviderId::Claude,
            },
            TrayAction::Open,
            TrayAction::Quit,
        ] {
            assert_eq!(TrayAction::parse(&action.id()), Some(action));
        }
        for junk in [
            "",
            "use:codex",
            "use:codex:",
            "next:nobody",
            "open:x",
            "delete:all",
        ] {
            assert_eq!(TrayAction::parse(junk), None, "{junk:?}");
        }
    }
}
