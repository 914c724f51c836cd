//! A CLI file parsed just enough to change the keys Switchboard owns and keep everything
//! else: JSON (key order kept), TOML (edited with `toml_edit`, so comments and layout stay)
//! and `.env` files (other lines kept verbatim). Keys are paths: `["env", "AWS_REGION"]`.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
    DotEnv,
}

/// A path of keys into a document, written `env.AWS_REGION` in the store.
pub type KeyPath = Vec<String>;

pub fn key_path(parts: &[&str]) -> KeyPath {
    parts.iter().map(|p| (*p).to_owned()).collect()
}

pub enum Document {
    Json(Map<String, Value>),
    Toml(toml_edit::DocumentMut),
    DotEnv(Vec<String>),
}

/// A CLI file holds tokens and keys: its JSON strings and `.env` lines are wiped when it
/// drops (a TOML document's are inside `toml_edit`, which cannot wipe them).
impl Drop for Document {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        match self {
            Document::Json(map) => {
                for (mut key, mut value) in std::mem::take(map) {
                    key.zeroize();
                    crate::secret::wipe_json(&mut value);
                }
            }
            Document::DotEnv(lines) => lines.zeroize(),
            Document::Toml(_) => {}
        }
    }
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!(
        "{what} is not valid ({detail}); Switchboard left it untouched. Fix or move the file, then try again."
    ))
}

impl Document {
    /// Parses `text` (`None`: the file does not exist yet). `what` names the file in errors.
    pub fn parse(format: Format, text: Option<&str>, what: &str) -> Result<Self> {
        let text = text.unwrap_or_default();
        Ok(match format {
            Format::Json if text.trim().is_empty() => Document::Json(Map::new()),
            Format::Json => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Document::Json(map),
                Ok(_) => return Err(corrupt(what, "it is not a JSON object")),
                Err(e) => return Err(corrupt(what, e)),
            },
            Format::Toml => {
                Document::Toml(text.parse().map_err(|e| corrupt(what, first_line(&e)))?)
            }
            Format::DotEnv => Document::DotEnv(text.lines().map(str::to_owned).collect()),
        })
    }

    pub fn render(&self) -> String {
        match self {
            Document::Json(map) => {
                let mut out = serde_json::to_string_pretty(map).unwrap_or_else(|_| "{}".to_owned());
                out.push('\n');
                out
            }
            Document::Toml(doc) => doc.to_string(),
            Document::DotEnv(lines) if lines.is_empty() => String::new(),
            Document::DotEnv(lines) => {
                let mut out = lines.join("\n");
                out.push('\n');
                out
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Document::Json(map) => map.is_empty(),
            Document::Toml(doc) => doc.as_table().is_empty(),
            Document::DotEnv(lines) => lines.iter().all(|l| l.trim().is_empty()),
        }
    }

    /// Sets `key` to `value`, creating parent objects or tables as needed.
    pub fn set(&mut self, key: &[String], value: &Value, what: &str) -> Result<()> {
        let (leaf, parents) = key.split_last().ok_or_else(|| corrupt(what, "empty key"))?;
        match self {
            Document::Json(map) => {
                let mut current = map;
                for part in parents {
                    let entry = current
                        .entry(part.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    current = entry
                        .as_object_mut()
                        .ok_or_else(|| corrupt(what, format!("{part} is not an object")))?;
                }
                current.insert(leaf.clone(), value.clone());
            }
            Document::Toml(doc) => {
                let mut table = doc.as_table_mut();
                for part in parents {
                    let item = table.entry(part).or_insert_with(|| {
                        let mut t = toml_edit::Table::new();
                        t.set_implicit(true);
                        toml_edit::Item::Table(t)
                    });
                    table = item
                        .as_table_mut()
                        .ok_or_else(|| corrupt(what, format!("{part} is not a table")))?;
                }
                table.insert(leaf, toml_item(value, parents.is_empty()));
            }
            Document::DotEnv(lines) => {
                let line = format!("{leaf}={}", dotenv_value(value));
                match lines
                    .iter()
                    .position(|l| dotenv_key(l) == Some(leaf.as_str()))
                {
                    Some(index) => lines[index] = line,
                    None => lines.push(line),
                }
            }
        }
        Ok(())
    }

    /// Removes `key` if present, and any parent object it leaves empty.
    pub fn remove(&mut self, key: &[String]) {
        match self {
            Document::Json(map) => remove_json(map, key),
            Document::Toml(doc) => remove_toml(doc.as_table_mut(), key),
            Document::DotEnv(lines) => {
                if let Some(leaf) = key.last() {
                    lines.retain(|l| dotenv_key(l) != Some(leaf.as_str()));
                }
            }
        }
    }

    /// The value at `key`, as JSON (TOML and `.env` values as strings, numbers and tables).
    pub fn get(&self, key: &[String]) -> Option<Value> {
        match self {
            Document::Json(map) => {
                let (first, rest) = key.split_first()?;
                rest.iter()
                    .try_fold(map.get(first)?, |v, k| v.get(k))
                    .cloned()
            }
            Document::Toml(doc) => {
                let (first, rest) = key.split_first()?;
                let item = rest
                    .iter()
                    .try_fold(doc.as_item().get(first)?, |i, k| i.get(k))?;
                toml_to_json(item)
            }
            Document::DotEnv(lines) => {
                let leaf = key.last()?;
                lines
                    .iter()
                    .find(|l| dotenv_key(l) == Some(leaf.as_str()))
                    .and_then(|l| l.split_once('='))
                    .map(|(_, v)| Value::String(unquote(v.trim())))
            }
        }
    }
}

fn remove_json(map: &mut Map<String, Value>, key: &[String]) {
    match key {
        [] => {}
        [leaf] => {
            map.shift_remove(leaf);
        }
        [first, rest @ ..] => {
            if let Some(Value::Object(child)) = map.get_mut(first) {
                remove_json(child, rest);
                if child.is_empty() {
                    map.shift_remove(first);
                }
            }
        }
    }
}

fn remove_toml(table: &mut toml_edit::Table, key: &[String]) {
    match key {
        [] => {}
        [leaf] => {
            table.remove(leaf);
        }
        [first, rest @ ..] => {
            if let Some(child) = table.get_mut(first).and_then(toml_edit::Item::as_table_mut) {
                remove_toml(child, rest);
                if child.is_empty() {
                    table.remove(first);
                }
            }
        }
    }
}

/// JSON → TOML: objects directly under a table become `[tables]`, deeper ones inline tables.
fn toml_item(value: &Value, top_level: bool) -> toml_edit::Item {
    match value {
        Value::Object(map) if !top_level || map.values().all(|v| !v.is_object()) => {
            let mut table = toml_edit::Table::new();
            for (k, v) in map {
                let item = match v {
                    Value::Object(_) => {
                        toml_edit::Item::Value(toml_edit::Value::InlineTable(inline_table(v)))
                    }
                    other => toml_item(other, false),
                };
                table.insert(k, item);
            }
            toml_edit::Item::Table(table)
        }
        Value::Object(_) => {
            toml_edit::Item::Value(toml_edit::Value::InlineTable(inline_table(value)))
        }
        other => toml_edit::Item::Value(toml_value(other)),
    }
}

fn inline_table(value: &Value) -> toml_edit::InlineTable {
    let mut table = toml_edit::InlineTable::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            table.insert(k, toml_value(v));
        }
    }
    table
}

fn toml_value(value: &Value) -> toml_edit::Value {
    match value {
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => n
            .as_i64()
            .map(Into::into)
            .unwrap_or_else(|| n.as_f64().unwrap_or_default().into()),
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => {
            let mut array = toml_edit::Array::new();
            for item in items {
                array.push(toml_value(item));
            }
            toml_edit::Value::Array(array)
        }
        Value::Object(_) => toml_edit::Value::InlineTable(inline_table(value)),
        Value::Null => "".into(),
    }
}

fn toml_to_json(item: &toml_edit::Item) -> Option<Value> {
    match item {
        toml_edit::Item::Value(v) => Some(toml_value_to_json(v)),
        toml_edit::Item::Table(t) => Some(Value::Object(
            t.iter()
                .filter_map(|(k, v)| Some((k.to_owned(), toml_to_json(v)?)))
                .collect(),
        )),
        _ => None,
    }
}

fn toml_value_to_json(value: &toml_edit::Value) -> Value {
    match value {
        toml_edit::Value::String(s) => Value::String(s.value().clone()),
        toml_edit::Value::Integer(i) => Value::from(*i.value()),
        toml_edit::Value::Float(f) => Value::from(*f.value()),
        toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
        toml_edit::Value::Datetime(d) => Value::String(d.value().to_string()),
        toml_edit::Value::Array(a) => Value::Array(a.iter().map(toml_value_to_json).collect()),
        toml_edit::Value::InlineTable(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.to_owned(), toml_value_to_json(v)))
                .collect(),
        ),
    }
}

/// The variable a `.env` line sets (`KEY=...` or `export KEY=...`), if it sets one.
fn dotenv_key(line: &str) -> Option<&str> {
    let line = line.trim_start();
    if line.starts_with('#') {
        return None;
    }
    let line = line.strip_prefix("export ").unwrap_or(line);
    line.split_once('=').map(|(k, _)| k.trim())
}

fn dotenv_value(value: &Value) -> String {
    let raw = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@+=,".contains(c))
    {
        raw
    } else {
        format!("\"{}\"", raw.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn unquote(value: &str) -> String {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .map(|v| v.replace("\\\"", "\"").replace("\\\\", "\\"))
        .unwrap_or_else(|| value.to_owned())
}

fn first_line(err: &impl std::fmt::Display) -> String {
    err.to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn k(parts: &[&str]) -> KeyPath {
        key_path(parts)
    }

    #[test]
    fn json_keeps_order_and_foreign_keys_and_prunes_what_it_emptied() {
        let text = r#"{"zeta":1,"hooks":{"PreToolUse":[]},"env":{"KEEP":"1"},"alpha":true}"#;
        let mut doc = Document::parse(Format::Json, Some(text), "settings.json").expect("parse");
        doc.set(&k(&["env", "AWS_REGION"]), &json!("us-east-1"), "s")
            .expect("set");
        doc.set(&k(&["apiKeyHelper"]), &json!("sb"), "s")
            .expect("set");
        let rendered = doc.render();
        let keys: Vec<_> = serde_json::from_str::<Map<String, Value>>(&rendered)
            .expect("json")
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["zeta", "hooks", "env", "alpha", "apiKeyHelper"]);
        doc.remove(&k(&["env", "AWS_REGION"]));
        doc.remove(&k(&["apiKeyHelper"]));
        let back: Value = serde_json::from_str(&doc.render()).expect("json");
        assert_eq!(back, serde_json::from_str::<Value>(text).expect("orig"));
        let mut fresh = Document::parse(Format::Json, None, "x").expect("empty");
        fresh.set(&k(&["env", "A"]), &json!("1"), "x").expect("set");
        fresh.remove(&k(&["env", "A"]));
        assert!(
            fresh.is_empty(),
            "an object emptied by the removal goes too"
        );
    }

    #[test]
    fn toml_keeps_comments_and_unrelated_tables() {
        let text =
            "# my settings\nmodel = \"o3\" # favourite\n\n[profiles.work]\nmodel = \"gpt-5\"\n";
        let mut doc = Document::parse(Format::Toml, Some(text), "config.toml").expect("parse");
        doc.set(&k(&["cli_auth_credentials_store"]), &json!("file"), "c")
            .expect("set");
        doc.set(
            &k(&["model_providers", "switchboard"]),
            &json!({"name": "Switchboard", "base_url": "http://localhost:1234/v1", "query_params": {"api-version": "x"}}),
            "c",
        )
        .expect("set table");
        let rendered = doc.render();
        assert!(
            rendered.contains("# my settings") && rendered.contains("# favourite"),
            "{rendered}"
        );
        assert!(
            rendered.contains("[model_providers.switchboard]"),
            "{rendered}"
        );
        assert!(
            rendered.contains("query_params = { api-version = \"x\" }"),
            "{rendered}"
        );
        assert_eq!(
            doc.get(&k(&["model_providers", "switchboard", "name"])),
            Some(json!("Switchboard"))
        );
        doc.remove(&k(&["model_providers", "switchboard"]));
        doc.remove(&k(&["cli_auth_credentials_store"]));
        assert_eq!(doc.render(), text);
    }

    #[test]
    fn dotenv_replaces_appends_and_removes_only_its_lines() {
        let text = "# keys\nexport OTHER=1\nGEMINI_API_KEY=old\n";
        let mut doc = Document::parse(Format::DotEnv, Some(text), ".env").expect("parse");
        doc.set(&k(&["GEMINI_API_KEY"]), &json!("AIza new"), ".env")
            .expect("set");
        doc.set(
            &k(&["GOOGLE_GEMINI_BASE_URL"]),
            &json!("https://gw.example"),
            ".env",
        )
        .expect("set");
        assert_eq!(
            doc.render(),
            "# keys\nexport OTHER=1\nGEMINI_API_KEY=\"AIza new\"\nGOOGLE_GEMINI_BASE_URL=https://gw.example\n"
        );
        assert_eq!(doc.get(&k(&["GEMINI_API_KEY"])), Some(json!("AIza new")));
        doc.remove(&k(&["GEMINI_API_KEY"]));
        doc.remove(&k(&["GOOGLE_GEMINI_BASE_URL"]));
        assert_eq!(doc.render(), "# keys\nexport OTHER=1\n");
    }

    #[test]
    fn corrupt_files_are_refused_without_echoing_content() {
        for (format, text) in [
            (Format::Json, "{\"a\": sk-secret"),
            (Format::Json, "[1]"),
            (Format::Toml, "a = = sk-secret"),
        ] {
            let err = Document::parse(format, Some(text), "auth.json")
                .err()
                .expect("refused");
            assert!(err.to_string().contains("left it untouched"), "{err}");
        }
        let mut doc = Document::parse(Format::Json, Some(r#"{"env":"flat"}"#), "s").expect("parse");
        assert!(doc.set(&k(&["env", "X"]), &json!("1"), "s").is_err());
    }
}
