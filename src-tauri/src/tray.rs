//! The tray icon: draws the menu model of `switchboard_core::api::tray` and carries out what is
//! chosen.
//! Rebuilt on the main thread after every change, wherever it was made.

use std::sync::Arc;

use tauri::image::Image;
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use switchboard_core::api::tray::{tray_menu, TrayAction, TrayItem, TrayMenu};
use switchboard_core::Switchboard;

const TRAY_ID: &str = "switchboard";
const ICON: &[u8] = include_bytes!("../../icons/tray-64.png");

/// Creates the tray icon with the current menu.
pub fn create(app: &AppHandle, board: &Switchboard) -> tauri::Result<()> {
    let model = model(board);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(ICON)?)
        .tooltip(&model.tooltip)
        .menu(&build_menu(app, &model)?)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| choose(app, event.id().as_ref()))
        .build(app)?;
    tracing::info!("tray icon ready");
    Ok(())
}

/// Whether the tray icon was created (there may be no tray host).
pub fn exists(app: &AppHandle) -> bool {
    app.tray_by_id(TRAY_ID).is_some()
}

/// Rebuilds the menu: the model is read off the main thread (SQLite), the menu is built on
/// it (menus may only be touched there).
pub fn refresh(app: &AppHandle) {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let model = model(&handle.state::<Arc<Switchboard>>());
        let drawer = handle.clone();
        let _ = handle.run_on_main_thread(move || {
            let Some(tray) = drawer.tray_by_id(TRAY_ID) else {
                return;
            };
            match build_menu(&drawer, &model) {
                Ok(menu) => {
                    let _ = tray.set_menu(Some(menu));
                    let _ = tray.set_tooltip(Some(&model.tooltip));
                }
                Err(err) => tracing::warn!("could not rebuild the tray menu: {err}"),
            }
        });
    });
}

fn model(board: &Switchboard) -> TrayMenu {
    match board.overview() {
        Ok(overview) => tray_menu(&overview),
        Err(err) => {
            tracing::warn!("could not read the accounts for the tray: {err}");
            tray_menu(&switchboard_core::api::facade::Overview {
                providers: Vec::new(),
                endpoint_overrides: Vec::new(),
            })
        }
    }
}

fn build_menu(app: &AppHandle, model: &TrayMenu) -> tauri::Result<Menu<Wry>> {
    let menu = Menu::new(app)?;
    for submenu in &model.submenus {
        let entry = Submenu::new(app, &submenu.title, true)?;
        for item in &submenu.items {
            entry.append(menu_item(app, item)?.as_ref())?;
        }
        menu.append(&entry)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    for item in &model.footer {
        menu.append(menu_item(app, item)?.as_ref())?;
    }
    Ok(menu)
}

/// The native item for one entry of the model.
fn menu_item(app: &AppHandle, item: &TrayItem) -> tauri::Result<Box<dyn IsMenuItem<Wry>>> {
    Ok(match item {
        TrayItem::Account {
            label,
            checked,
            action,
        } => Box::new(CheckMenuItem::with_id(
            app,
            action.id(),
            label,
            true,
            *checked,
            None::<&str>,
        )?),
        TrayItem::Action { label, action } => Box::new(MenuItem::with_id(
            app,
            action.id(),
            label,
            true,
            None::<&str>,
        )?),
        TrayItem::Note { label } => Box::new(MenuItem::new(app, label, false, None::<&str>)?),
        TrayItem::Separator => Box::new(PredefinedMenuItem::separator(app)?),
    })
}

/// Carries out a chosen item through the same facade as the window: a switch off the main
/// thread (it reads the keychain and writes files), confirmed by a notification.
fn choose(app: &AppHandle, id: &str) {
    let Some(action) = TrayAction::parse(id) else {
        return;
    };
    match action {
        TrayAction::Open => return crate::window::show_main(app),
        TrayAction::Quit => return app.exit(0),
        TrayAction::Use { .. } | TrayAction::Next { .. } => {}
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let board = app.state::<Arc<Switchboard>>();
        let switched = match &action {
            TrayAction::Use {
                provider,
                account_id,
            } => board.set_active(*provider, Some(account_id)),
            TrayAction::Next { provider } => board.next_in_pool(*provider),
            TrayAction::Open | TrayAction::Quit => return,
        };
        match switched {
            Ok(switched) => {
                let (title, body) = switchboard_core::api::tray::switch_notice(&switched);
                notify(&app, &title, &body);
            }
            Err(err) => {
                tracing::warn!("the tray could not {}: {err}", action.id());
                notify(&app, "Switchboard could not switch", &err.to_string());
                // The menu still shows the old state; redraw it so it does not lie.
                refresh(&app);
            }
        }
    });
}

/// The one notification for an account whose refresh was refused for good.
pub fn notify_sign_in_needed(app: &AppHandle, board: &Switchboard, account_id: Option<&str>) {
    let notice = account_id.and_then(|id| board.sign_in_needed_notice(id).ok().flatten());
    if let Some((title, body)) = notice {
        notify(app, &title, &body);
    }
}

/// The one notification for an auto-switch: from which account, to which, and why.
pub fn notify_auto_switched(app: &AppHandle, board: &Switchboard, account_id: Option<&str>) {
    let notice = account_id.and_then(|id| board.auto_switch_notice(id).ok().flatten());
    if let Some((title, body)) = notice {
        notify(app, &title, &body);
    }
}

/// Shows a desktop notification; without a notification service it is only logged.
fn notify(app: &AppHandle, title: &str, body: &str) {
    use tauri_plugin_notification::NotificationExt;
    let body = switchboard_core::api::text::notification_body(body);
    match app.notification().builder().title(title).body(&body).show() {
        Ok(()) => tracing::info!(title, body, "notified"),
        Err(err) => tracing::warn!(title, body, "no notification shown: {err}"),
    }
}
