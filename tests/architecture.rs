//! The layout's rules, checked on the source rather than promised in the docs:
//! - the core's modules (every top-level module of `src/` but the adapters) import each other
//!   without a cycle, and in the order of `LAYERS` below (docs/architecture.md describes them);
//! - the strict subset readers are private to `src/edit/`: no file outside it names them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The core's modules from the leaves up (docs/architecture.md, "The rules that keep it so"). A
/// module may import only modules listed before it.
const LAYERS: &[&str] = &[
    "quote",
    "nfc",
    "date",
    "error",
    "yaml_out",
    "limits",
    "naming",
    "registry",
    "config",
    "validate",
    "terraform",
    "edit",
    "lifecycle",
    "pull_request",
    "request",
    "changes",
    "scaffold",
    "day2",
    "crossplane",
    "sync",
    "argocd",
];

/// The adapters: they may use everything, and nothing in the core uses them.
const ADAPTERS: &[&str] = &["lib", "main", "wasm", "cli"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/edit/catalog/mod.rs` → `edit`; `src/naming.rs` → `naming`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file names as `crate::<module>`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `crate::{a, b}` groups and items of lib.rs itself (`crate::VERSION`, `crate::Error`).
        if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            out.insert(name);
        }
    }
    out
}

fn sources() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    (src, files)
}

#[test]
fn core_modules_import_down_the_layers_only() {
    let (src, files) = sources();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let from = module_of(&src, f);
        if ADAPTERS.contains(&from.as_str()) {
            continue;
        }
        assert!(
            LAYERS.contains(&from.as_str()),
            "src/{from} is not in the layer list of tests/architecture.rs (LAYERS)"
        );
        let text = fs::read_to_string(f).unwrap();
        for to in crate_paths(&text) {
            if to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut wrong = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            assert!(
                !ADAPTERS.contains(&to.as_str()),
                "src/{from} uses the adapter {to}"
            );
            match (rank(from), rank(to)) {
                (Some(a), Some(b)) if b < a => {}
                _ => wrong.push(format!("{from} → {to}")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layer order (a cycle, or a module reaching up): {wrong:?}"
    );
    // The check sees real imports: the editors use the text layer, scaffold the editors.
    assert!(edges["scaffold"].contains("edit") && edges["validate"].contains("naming"));
}

#[test]
fn the_subset_readers_are_private_to_edit() {
    let (src, files) = sources();
    let mut seen_inside = 0;
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let names_reader = ["yaml_subset", "hcl_subset", "YamlEntries", "HclItems"]
            .iter()
            .any(|n| text.contains(n));
        if f.starts_with(src.join("edit")) {
            seen_inside += usize::from(names_reader);
        } else {
            assert!(
                !names_reader,
                "{} names a subset reader; they are private to src/edit/",
                f.display()
            );
        }
    }
    assert!(
        seen_inside >= 2,
        "the check found no reader inside src/edit/"
    );
    // And nothing outside the crate can: tests and benches use the public API only.
    for dir in ["tests", "benches"] {
        let mut files = Vec::new();
        rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
        for f in files.iter().filter(|f| !f.ends_with("architecture.rs")) {
            let text = fs::read_to_string(f).unwrap();
            assert!(
                !text.contains("yaml_subset") && !text.contains("hcl_subset"),
                "{} names a subset reader",
                f.display()
            );
        }
    }
}
