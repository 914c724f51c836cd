//! Property tests over generated input: the paste parser and the link parser never panic,
//! whatever they are given; the JSON, TOML and `.env` mergers never panic on any file, and a
//! merge keeps every key Switchboard does not own — for TOML and `.env`, byte for byte, every
//! line; for JSON, every value and the order of keys (JSON is rewritten with Claude Code's
//! own two-space layout). Each property runs `CASES` generated cases; the figures are printed.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use switchboard_core::deep_link;
use switchboard_core::files::{key_path, Document, Format, KeyPath};
use switchboard_core::signin::paste;

const CASES: u32 = 10_000;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs one property and prints how many cases it passed.
fn check<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    runner()
        .run(&strategy, test)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    println!("property \u{201c}{name}\u{201d}: {CASES} generated cases passed");
}

/// Text shaped like what people paste or links look like, plus anything at all.
fn pasteish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,80}",
        "(https?|switchboard)://[a-z0-9.:/%?&=#_-]{0,60}",
        "[A-Za-z0-9_~.-]{0,40}#[A-Za-z0-9_~.\u{202E}\u{1b}-]{0,40}",
        "http://(localhost|127\\.0\\.0\\.1):[0-9]{1,5}/[a-z/]{0,12}\\?(code|error|state)=[^&]{0,20}(&(code|state|error_description)=[^&]{0,20}){0,3}",
    ]
}

#[test]
fn the_paste_parser_never_panics() {
    check("paste parser", pasteish(), |text| {
        let _ = paste::parse(&text);
        Ok(())
    });
}

#[test]
fn the_link_parser_never_panics_and_accepts_only_its_four_forms() {
    check("link parser", pasteish(), |text| {
        if let Ok(link) = deep_link::parse(&text) {
            let forms = matches!(
                link,
                deep_link::DeepLink::Use { .. }
                    | deep_link::DeepLink::Next { .. }
                    | deep_link::DeepLink::Connect { .. }
                    | deep_link::DeepLink::Open
            );
            prop_assert!(forms);
            prop_assert!(text.trim().to_ascii_lowercase().starts_with("switchboard:"));
        }
        Ok(())
    });
}

#[test]
fn no_file_content_makes_a_merger_panic() {
    let formats = prop_oneof![Just(Format::Json), Just(Format::Toml), Just(Format::DotEnv)];
    check(
        "mergers on any text",
        (formats, any::<String>(), "[a-z_.]{1,12}"),
        |(format, text, key)| {
            if let Ok(mut doc) = Document::parse(format, Some(&text), "file") {
                let key: KeyPath = key.split('.').map(str::to_owned).collect();
                let _ = doc.set(&key, &json!({"a": [1, "b"], "c": null}), "file");
                let _ = doc.render();
                doc.remove(&key);
                let _ = doc.render();
            }
            Ok(())
        },
    );
}

/// The keys Switchboard owns in each kind of file, set and then removed again.
fn owned(format: Format) -> Vec<KeyPath> {
    match format {
        Format::Json => vec![
            key_path(&["claudeAiOauth"]),
            key_path(&["env", "ANTHROPIC_BASE_URL"]),
            key_path(&["apiKeyHelper"]),
        ],
        Format::Toml => vec![
            key_path(&["model"]),
            key_path(&["model_provider"]),
            key_path(&["model_providers", "switchboard"]),
        ],
        Format::DotEnv => vec![
            key_path(&["GEMINI_API_KEY"]),
            key_path(&["GOOGLE_GEMINI_BASE_URL"]),
        ],
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn a_json_merge_keeps_every_key_it_does_not_own() {
    let users =
        proptest::collection::btree_map("[a-zA-Z_ \u{e9}\u{4e2d}]{1,10}", json_value(), 0..8);
    check("JSON merge keeps the user's keys", users, |users| {
        let mut map: serde_json::Map<String, Value> = users.into_iter().collect();
        map.remove("claudeAiOauth");
        map.remove("apiKeyHelper");
        map.remove("env");
        let original = Value::Object(map.clone());
        let text = serde_json::to_string_pretty(&original).expect("json");
        let mut doc = Document::parse(Format::Json, Some(&text), "settings.json").expect("parse");
        for key in owned(Format::Json) {
            doc.set(&key, &json!("sk-owned"), "settings.json")
                .expect("set");
        }
        let merged: Value = serde_json::from_str(&doc.render()).expect("merged json");
        let keys: Vec<&String> = merged
            .as_object()
            .expect("object")
            .keys()
            .filter(|k| map.contains_key(*k))
            .collect();
        prop_assert_eq!(keys, map.keys().collect::<Vec<_>>(), "order kept");
        for (key, value) in &map {
            prop_assert_eq!(&merged[key], value);
        }
        for key in owned(Format::Json) {
            doc.remove(&key);
        }
        prop_assert_eq!(
            doc.render(),
            format!("{text}\n"),
            "set then cleared: the file as it was"
        );
        Ok(())
    });
}

/// A line of a user's TOML file: a comment, a blank, or `key = value` at the top level.
fn toml_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "# [ -~]{0,30}",
        Just(String::new()),
        (
            "[a-z_]{1,10}",
            prop_oneof![
                "\"[ -!#-~]{0,12}\"",
                "-?[0-9]{1,6}",
                Just("true".to_owned()),
                "\\[ ?[0-9]{1,3}(, [0-9]{1,3}){0,3} ?\\]",
            ]
        )
            .prop_map(|(k, v)| format!("{k} = {v}")),
    ]
}

#[test]
fn a_toml_merge_keeps_every_line_it_does_not_own_byte_for_byte() {
    let file = (
        proptest::collection::vec(toml_line(), 0..10),
        proptest::collection::vec(
            ("[a-z]{1,8}", proptest::collection::vec(toml_line(), 0..4)),
            0..3,
        ),
    );
    check(
        "TOML merge keeps the user's lines",
        file,
        |(top, tables)| {
            let mut text = String::new();
            let mut seen = std::collections::HashSet::new();
            for line in &top {
                let key = line.split(" = ").next().unwrap_or_default();
                if line.contains(" = ")
                    && (!seen.insert(key.to_owned()) || key.starts_with("model"))
                {
                    continue;
                }
                text.push_str(line);
                text.push('\n');
            }
            let mut table_names = std::collections::HashSet::new();
            for (name, lines) in &tables {
                if name.starts_with("model")
                    || seen.contains(name)
                    || !table_names.insert(name.clone())
                {
                    continue;
                }
                text.push_str(&format!("\n[{name}]\n"));
                let mut keys = std::collections::HashSet::new();
                for line in lines {
                    let key = line.split(" = ").next().unwrap_or_default();
                    if line.contains(" = ") && !keys.insert(key.to_owned()) {
                        continue;
                    }
                    text.push_str(line);
                    text.push('\n');
                }
            }
            let Ok(mut doc) = Document::parse(Format::Toml, Some(&text), "config.toml") else {
                // Generated text toml_edit refuses (a key used as both value and table, say).
                return Ok(());
            };
            doc.set(&key_path(&["model"]), &json!("o4"), "config.toml")
                .expect("set");
            doc.set(
                &key_path(&["model_provider"]),
                &json!("switchboard"),
                "config.toml",
            )
            .expect("set");
            doc.set(
                &key_path(&["model_providers", "switchboard"]),
                &json!({"base_url": "http://localhost:1234/v1", "wire_api": "responses"}),
                "config.toml",
            )
            .expect("set");
            let merged = doc.render();
            let mut rest = merged.as_str();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                match rest.find(line) {
                    Some(at) => rest = &rest[at + line.len()..],
                    None => prop_assert!(false, "line {line:?} lost or moved in:\n{merged}"),
                }
            }
            for key in owned(Format::Toml) {
                doc.remove(&key);
            }
            let cleared = doc.render();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                prop_assert!(cleared.contains(line), "line {line:?} lost after clearing");
            }
            prop_assert!(!cleared.contains("switchboard"), "{cleared}");
            Ok(())
        },
    );
}

#[test]
fn a_dotenv_merge_keeps_every_line_it_does_not_own_byte_for_byte() {
    let line = prop_oneof![
        "# [ -~]{0,30}",
        Just(String::new()),
        "[A-Z_]{1,12}=[ -~]{0,20}",
        "export [A-Z_]{1,12}=\"[ -!#-~]{0,20}\"",
        "[ -~]{0,30}",
    ];
    check(
        "dotenv merge keeps the user's lines",
        proptest::collection::vec(line, 0..12),
        |lines| {
            let lines: Vec<String> = lines
                .into_iter()
                .filter(|l| !l.contains("GEMINI_API_KEY") && !l.contains("GOOGLE_GEMINI_BASE_URL"))
                .collect();
            let text = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
            let mut doc = Document::parse(Format::DotEnv, Some(&text), ".env").expect("parse");
            for key in owned(Format::DotEnv) {
                doc.set(&key, &json!("AIza-owned"), ".env").expect("set");
            }
            let merged = doc.render();
            prop_assert!(
                merged.starts_with(&text),
                "the user's lines first, untouched:\n{merged}"
            );
            for key in owned(Format::DotEnv) {
                doc.remove(&key);
            }
            prop_assert_eq!(doc.render(), text);
            Ok(())
        },
    );
}

/// Dates from outside (a provider's answer, a CLI's file) never overflow: an account with
/// any dates at any time gets its lapse warning, never a panic.
#[test]
fn lapse_warnings_take_any_date() {
    use switchboard_core::account::Account;
    use switchboard_core::catalog::{AccountKind, ProviderId};
    let dates = (
        prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()],
        proptest::option::of(prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()]),
        proptest::option::of(prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()]),
        prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()],
    );
    check(
        "lapse_warning over every date",
        dates,
        |(now, refresh_expires_at, refreshed_at, created_at)| {
            let account = Account {
                refresh_expires_at,
                refreshed_at,
                created_at,
                ..Account::new(ProviderId::Claude, AccountKind::Oauth, String::new())
            };
            let _ = account.lapse_warning(now);
            Ok(())
        },
    );
}
