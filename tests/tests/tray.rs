//! The tray menu model, built from a real store with several providers, a pool and an
//! account that needs signing in: items, checkmarks and the actions they carry.

use serde_json::json;
use switchboard_core::catalog::ProviderId;
use switchboard_core::tray::{tray_menu, TrayAction, TrayItem};
use switchboard_tests::{add_key, canary, TestEnv};

fn import_claude(env: &TestEnv, email: &str) {
    let dir = env.home().join(".claude");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let tokens = json!({"claudeAiOauth": {"accessToken": "a", "refreshToken": canary("r"), "expiresAt": 4102444800000u64}});
    std::fs::write(dir.join(".credentials.json"), tokens.to_string()).expect("credentials");
    std::fs::write(
        env.home().join(".claude.json"),
        json!({"oauthAccount": {"emailAddress": email}}).to_string(),
    )
    .expect("identity");
    env.board().import_logins().expect("import");
}

#[test]
fn the_tray_lists_every_provider_with_checkmarks_pools_and_actions() {
    let env = TestEnv::new();
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        import_claude(&env, email);
    }
    let board = env.board();
    for account in env.accounts() {
        board.set_in_pool(&account.id, true).expect("pool");
    }
    let codex = add_key(&board, ProviderId::Codex, "Work", &canary("sk-"));
    board
        .set_active(ProviderId::Codex, Some(&codex))
        .expect("active");
    let db = rusqlite::Connection::open(env.config.database_path()).expect("db");
    db.execute(
        "UPDATE accounts SET status = 'needs_sign_in' WHERE label = 'b@example.com'",
        [],
    )
    .expect("mark");

    let menu = tray_menu(&board.overview().expect("overview"));
    assert_eq!(
        menu.submenus.len(),
        ProviderId::ALL.len(),
        "one submenu per provider"
    );
    let claude = &menu.submenus[0];
    assert_eq!(claude.title, "Claude Code \u{2014} c@example.com");
    let accounts: Vec<(&str, bool)> = claude
        .items
        .iter()
        .filter_map(|i| match i {
            TrayItem::Account { label, checked, .. } => Some((label.as_str(), *checked)),
            _ => None,
        })
        .collect();
    assert_eq!(
        accounts,
        vec![
            ("a@example.com", false),
            ("b@example.com (needs sign-in)", false),
            ("c@example.com", true)
        ]
    );
    assert!(
        claude.items.contains(&TrayItem::Action {
            label: "Next in pool".into(),
            action: TrayAction::Next {
                provider: ProviderId::Claude
            }
        }),
        "two ready pool members make a Next item"
    );
    let codex_menu = &menu.submenus[1];
    assert_eq!(codex_menu.title, "Codex \u{2014} Work");
    assert!(
        !codex_menu
            .items
            .iter()
            .any(|i| matches!(i, TrayItem::Action { .. })),
        "no pool, no Next"
    );
    assert_eq!(
        menu.submenus[2].items,
        vec![TrayItem::Note {
            label: "No accounts".into()
        }]
    );
    assert_eq!(menu.footer.len(), 2);
    assert!(
        menu.tooltip.contains("Claude Code: c@example.com") && menu.tooltip.contains("Codex: Work")
    );

    // Choosing an item carries out its action through the facade.
    let TrayItem::Account { action, .. } = &claude.items[0] else {
        panic!("first item is an account")
    };
    let TrayAction::Use {
        provider,
        account_id,
    } = TrayAction::parse(&action.id()).expect("parse")
    else {
        panic!("a use action")
    };
    board
        .set_active(provider, Some(&account_id))
        .expect("use from the tray");
    let menu = tray_menu(&board.overview().expect("overview"));
    assert_eq!(
        menu.submenus[0].title, "Claude Code \u{2014} a@example.com",
        "rebuilt after the change"
    );
}
