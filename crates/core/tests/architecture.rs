//! The shape of the code, checked: no import circle between the top-level modules of the
//! core or of the desktop app, the vocabulary (`catalog`, `time`, `secret`) imports nothing
//! of the domain, and no code outside `providers/` names a particular provider (it asks the
//! provider instead). Test modules (`#[cfg(test)]` to the end of a file, and files their
//! parent declares under `#[cfg(test)]`) are left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether the module of `path` is declared `#[cfg(test)] mod name;` in its parent
/// (`mod.rs` beside it, or the file named like its folder).
fn declared_for_tests_only(path: &Path) -> bool {
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
        return false;
    };
    let stem = stem.to_string_lossy();
    let parents = [
        dir.join("mod.rs"),
        dir.with_extension("rs"),
        dir.join("lib.rs"),
        dir.join("main.rs"),
    ];
    parents
        .iter()
        .filter(|p| p.as_path() != path)
        .any(|parent| {
            std::fs::read_to_string(parent)
                .is_ok_and(|text| text.contains(&format!("#[cfg(test)]\nmod {stem};")))
        })
}

/// A file's code without its test module and comments.
fn production_code(path: &Path) -> String {
    if declared_for_tests_only(path) {
        return String::new();
    }
    let text = std::fs::read_to_string(path).expect("read source");
    let code = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => &text,
    };
    code.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file of `src/` belongs to (`facade` for `src/facade/exec.rs`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

/// Every `crate::<module>` a piece of code names, including inside `use crate::{a, b::c}`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
        rest = after;
    }
    found
}

/// The module graph of the crate whose sources are in `src`. The crate root (`lib`) is a
/// node too: it declares every module, so a module that uses the root's own items (not a
/// re-export of another module's) closes a circle through it.
fn graph_of(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let src = src.to_path_buf();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let reexported = reexports(&production_code(&src.join("lib.rs")));
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("lib".to_owned(), modules.clone());
    for file in &files {
        let module = module_of(&src, file);
        if !modules.contains(&module) {
            continue;
        }
        let edges = graph.entry(module.clone()).or_default();
        for name in crate_references(&production_code(file)) {
            let target = if modules.contains(&name) {
                name
            } else if let Some(owner) = reexported.get(&name) {
                owner.clone()
            } else {
                "lib".to_owned()
            };
            if target != module {
                edges.insert(target);
            }
        }
    }
    graph
}

/// The names the crate root re-exports, and the module each comes from
/// (`pub use facade::Switchboard;` gives `Switchboard` → `facade`).
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in lib.split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let name = item.trim().rsplit("::").next().unwrap_or_default().trim();
            if !name.is_empty() {
                names.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    names
}

/// A circle through `start`, if there is one.
fn circle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let here = path.last().cloned().unwrap_or_else(|| start.to_owned());
    for next in graph.get(&here).into_iter().flatten() {
        if next == start {
            let mut circle = path.clone();
            circle.insert(0, start.to_owned());
            circle.push(start.to_owned());
            return Some(circle);
        }
        if !path.contains(next) && next.as_str() > start {
            path.push(next.clone());
            if let Some(found) = circle_from(graph, start, path) {
                return Some(found);
            }
            path.pop();
        }
    }
    None
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    graph_of(&root().join("src"))
}

fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    graph
        .keys()
        .filter_map(|start| circle_from(graph, start, &mut Vec::new()))
        .map(|c| c.join(" -> "))
        .collect()
}

#[test]
fn the_core_modules_import_each_other_without_a_circle() {
    let graph = graph();
    assert!(graph.len() > 10, "the graph was read: {graph:?}");
    let circles = circles(&graph);
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_app_modules_import_each_other_without_a_circle() {
    let graph = graph_of(&root().join("../../src-tauri/src"));
    assert!(graph.len() >= 5, "the graph was read: {graph:?}");
    let circles = circles(&graph);
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_vocabulary_imports_nothing_of_the_domain() {
    let graph = graph();
    for leaf in ["catalog", "time", "secret", "text"] {
        let imports = &graph[leaf];
        assert!(imports.is_empty(), "{leaf} imports {imports:?}");
    }
}

#[test]
fn no_code_outside_the_providers_names_a_provider() {
    let workspace = root().join("../..").canonicalize().expect("workspace");
    let mut files = Vec::new();
    for dir in ["crates/core/src", "crates/cli/src", "src-tauri/src"] {
        rust_files(&workspace.join(dir), &mut files);
    }
    let providers = workspace.join("crates/core/src/providers");
    let catalog = workspace.join("crates/core/src/catalog.rs");
    let mut offenders = Vec::new();
    for file in files {
        if file.starts_with(&providers) || file == catalog {
            continue;
        }
        let code = production_code(&file);
        for (number, line) in code.lines().enumerate() {
            let names_one = line.match_indices("ProviderId::").any(|(at, _)| {
                line[at + "ProviderId::".len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| {
                        c.is_ascii_uppercase() && !line[at..].starts_with("ProviderId::ALL")
                    })
            });
            if names_one {
                offenders.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "ask the provider (providers::get(id)) instead of naming one:\n{}",
        offenders.join("\n")
    );
}

/// What only a provider knows of its CLI's places: the variables that move its files and
/// the dirs they default to. Outside `providers/` none is named (each provider declares
/// its own, and `CliPaths` is a home plus an environment), so a CLI's places change in one
/// module.
#[test]
fn no_code_outside_the_providers_names_a_cli_variable_or_dir() {
    const PLACES: [&str; 13] = [
        "CLAUDE_CONFIG_DIR",
        "CODEX_HOME",
        "GEMINI_CLI_HOME",
        "GROK_HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "\".claude",
        "\".codex",
        "\".gemini",
        "\".grok",
        "\".bob",
        "\".local/share",
        "\".config",
    ];
    let workspace = root().join("../..").canonicalize().expect("workspace");
    let mut files = Vec::new();
    for dir in ["crates/core/src", "crates/cli/src", "src-tauri/src"] {
        rust_files(&workspace.join(dir), &mut files);
    }
    let providers = workspace.join("crates/core/src/providers");
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&providers)) {
        for (number, line) in production_code(file).lines().enumerate() {
            if let Some(place) = PLACES.iter().find(|p| line.contains(**p)) {
                offenders.push(format!("{}:{}: {place}", file.display(), number + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "a CLI's variables and dirs belong to its provider (Provider::cli_variables, exec_variables):\n{}",
        offenders.join("\n")
    );
}
