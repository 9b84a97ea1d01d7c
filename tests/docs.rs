//! The docs say what the code is, because they are generated from it or checked against it:
//! - the tables of stable codes in `docs/cli.md` are rendered from the typed enums (`ErrorCode`,
//!   `FieldCode`, `PolicyCode`, `GuardCode`): when a code is added or reworded, this test fails
//!   until the docs say the same;
//! - the file-by-file table in `docs/architecture.md` is the first sentence of each source file's
//!   header comment, for every file under `src/` and `js/src/`;
//! - every Markdown file under `docs/` is compiled into the doctests (`src/lib.rs`), so no Rust
//!   example in the docs goes untested;
//! - every relative link in README.md, the top-level guides and `docs/` reaches a file, and a
//!   `#fragment` a heading of it.
//!
//! `UPDATE_DOCS=1 cargo test --test docs` rewrites the generated tables for review.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ecr_registrar::{CodeInfo, stable_codes};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Replace (with `UPDATE_DOCS`) or check the text between `begin` (a whole line) and `end` in
/// `file`.
fn generated_block(file: &str, begin: &str, end: &str, want: &str) {
    let path = root().join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let start = text
        .find(begin)
        .unwrap_or_else(|| panic!("{file} has no line {begin:?}"))
        + begin.len();
    let stop = text[start..]
        .find(end)
        .unwrap_or_else(|| panic!("{file} has no {end:?} after {begin:?}"))
        + start;
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::write(&path, format!("{}{want}{}", &text[..start], &text[stop..])).unwrap();
        return;
    }
    assert_eq!(
        &text[start..stop],
        want,
        "the generated part of {file} differs from the code; run UPDATE_DOCS=1 cargo test --test docs and review the diff"
    );
}

// --- The stable codes --------------------------------------------------------------------------

const CODES_BEGIN: &str =
    "<!-- codes:begin: generated from the enums; UPDATE_DOCS=1 cargo test --test docs -->\n";
const CODES_END: &str = "<!-- codes:end -->";

fn table(title: &str, codes: &[CodeInfo]) -> String {
    let mut t = format!("{title}\n\n| code | meaning |\n| --- | --- |\n");
    for c in codes {
        t.push_str(&format!(
            "| `{}` | {} |\n",
            c.code,
            c.description.replace('|', "\\|")
        ));
    }
    t
}

fn rendered_codes() -> String {
    let codes = stable_codes();
    [
        table(
            "Error codes (`error.code` in JSON output, `err.code` in JavaScript):",
            &codes.error_codes,
        ),
        table(
            "Field codes (`errors[].code` of a validation report or an `invalid_request` error):",
            &codes.field_codes,
        ),
        table(
            "Lifecycle policy codes (`problems[].code` of `lifecycle validate`):",
            &codes.policy_codes,
        ),
        table(
            "Guard codes (`guard.problems[].code` of `changes`):",
            &codes.guard_codes,
        ),
    ]
    .join("\n")
}

#[test]
fn code_tables_are_the_enums() {
    generated_block("docs/cli.md", CODES_BEGIN, CODES_END, &rendered_codes());
}

#[test]
fn every_code_is_unique_and_described() {
    let codes = stable_codes();
    for list in [&codes.error_codes, &codes.field_codes, &codes.policy_codes] {
        let mut seen = std::collections::BTreeSet::new();
        for c in list {
            assert!(seen.insert(&c.code), "{} twice", c.code);
            assert!(
                c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{} is not snake_case",
                c.code
            );
            assert!(
                c.description.ends_with('.'),
                "{}: {}",
                c.code,
                c.description
            );
        }
    }
}

// --- The file-by-file table ----------------------------------------------------------------------

const FILES_BEGIN: &str = "<!-- files:begin: generated from each file's header comment; UPDATE_DOCS=1 cargo test --test docs -->\n";
const FILES_END: &str = "<!-- files:end -->";

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The source files the table lists: Rust under `src/`, TypeScript under `js/src/` but the tests
/// and examples beside each action.
fn source_files() -> Vec<String> {
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    walk(&root().join("js/src"), &mut files);
    let mut out: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| {
            (p.ends_with(".rs") || p.ends_with(".ts") || p.ends_with(".tsx"))
                && !p.ends_with(".d.ts")
                && !p.ends_with(".test.ts")
                && !p.ends_with(".test.tsx")
                && !p.ends_with(".examples.ts")
        })
        .collect();
    // The Rust core and its adapters first, then the JavaScript glue.
    out.sort_by_key(|p| (p.starts_with("js/"), p.clone()));
    out
}

/// The first sentence of the file's header comment: the leading `//!` lines of a Rust file, the
/// leading `//` lines of a TypeScript file, up to the first blank comment line.
fn purpose(path: &str, text: &str) -> Option<String> {
    let marker = if path.ends_with(".rs") { "//!" } else { "//" };
    let mut words = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix(marker) else {
            break;
        };
        if marker == "//" && rest.starts_with('/') {
            break;
        }
        let rest = rest.trim();
        if rest.is_empty() {
            break;
        }
        words.push(rest.to_string());
    }
    if words.is_empty() {
        return None;
    }
    let para = words.join(" ");
    // A sentence ends at ". ", but not after "e.g".
    let mut end = para.len();
    for (i, _) in para.match_indices(". ") {
        let before = &para[..i];
        let abbreviation = ["e.g", "i.e", "etc", "vs"]
            .iter()
            .any(|a| before.ends_with(a));
        if !abbreviation {
            end = i + 1;
            break;
        }
    }
    let sentence = para[..end].trim_end_matches(':').trim_end();
    Some(sentence.replace('|', "\\|"))
}

fn rendered_files() -> String {
    let mut t = String::from("| file | what it is for |\n| --- | --- |\n");
    for f in source_files() {
        let text = fs::read_to_string(root().join(&f)).unwrap();
        let what = purpose(&f, &text)
            .unwrap_or_else(|| "*(no header comment yet: say in one line what it is for)*".into());
        t.push_str(&format!("| `{f}` | {what} |\n"));
    }
    t
}

#[test]
fn the_file_table_is_the_files() {
    generated_block(
        "docs/architecture.md",
        FILES_BEGIN,
        FILES_END,
        &rendered_files(),
    );
}

#[test]
fn the_purpose_is_the_first_sentence() {
    let rs = "//! First, e.g. this. second one.\n//! more\n//!\n//! Other paragraph.\nuse x;\n";
    assert_eq!(purpose("a.rs", rs).unwrap(), "First, e.g. this.");
    let ts = "// Shared: a | b\n// and c:\n//\n// rest\nimport x;\n";
    assert_eq!(purpose("a.ts", ts).unwrap(), "Shared: a \\| b and c");
    assert_eq!(purpose("a.ts", "import x;\n"), None);
    assert_eq!(purpose("a.rs", "/// item doc\nfn f() {}\n"), None);
}

// --- The examples in the docs are doctests -------------------------------------------------------

fn docs_markdown() -> Vec<String> {
    let mut files = Vec::new();
    walk(&root().join("docs"), &mut files);
    let mut out: Vec<String> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            p.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_doc_is_compiled_into_the_doctests() {
    let lib = fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let mut missing = Vec::new();
    for f in std::iter::once("README.md".to_string()).chain(docs_markdown()) {
        if !lib.contains(&format!("include_str!(\"../{f}\")")) {
            missing.push(f);
        }
    }
    assert!(
        missing.is_empty(),
        "add #[doc = include_str!(\"../<file>\")] to the doctest module in src/lib.rs for {missing:?}, so their Rust examples run"
    );
    // The guides exist and hold the Rust examples that used to be in the README.
    assert!(docs_markdown().len() >= 6, "{:?}", docs_markdown());
    let all: String = docs_markdown()
        .iter()
        .map(|f| fs::read_to_string(root().join(f)).unwrap())
        .collect();
    assert!(all.contains("```rust\n"), "no Rust example in docs/");
}

// --- Links ---------------------------------------------------------------------------------------

/// GitHub's anchor for a heading: lowercase; letters, digits, `-` and `_` kept, spaces to `-`,
/// everything else dropped; a repeated anchor gets `-1`, `-2`, ….
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let slug: String = heading
            .trim()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => {
                    Some(c.to_lowercase().next().unwrap())
                }
                _ => None,
            })
            .collect();
        let mut candidate = slug.clone();
        let mut n = 0;
        while !out.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{slug}-{n}");
        }
    }
    out
}

/// The relative link targets of a Markdown text, outside code blocks and code spans.
fn links(markdown: &str) -> Vec<String> {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut out = Vec::new();
    let mut fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        // Drop code spans: every other piece between backticks.
        let prose: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
            .join(" ");
        for c in link.captures_iter(&prose) {
            let target = c[1].to_string();
            if !target.contains("://") && !target.starts_with("mailto:") {
                out.push(target);
            }
        }
    }
    out
}

#[test]
fn relative_links_reach_a_file_and_a_heading() {
    let mut pages: Vec<String> = [
        "README.md",
        "CONTRIBUTING.md",
        "SECURITY.md",
        "BENCHMARKS.md",
    ]
    .iter()
    .map(|s| s.to_string())
    .filter(|f| root().join(f).exists())
    .collect();
    pages.extend(docs_markdown());
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let text = fs::read_to_string(root().join(page)).unwrap();
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        for target in links(&text) {
            checked += 1;
            let (file, fragment) = match target.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (target.as_str(), None),
            };
            let path = if file.is_empty() {
                root().join(page)
            } else {
                root().join(dir).join(file)
            };
            if !path.exists() {
                broken.push(format!("{page}: {target}: no such file"));
                continue;
            }
            if let Some(fragment) = fragment {
                let target_text = fs::read_to_string(&path).unwrap_or_default();
                if !anchors(&target_text).contains(fragment) {
                    broken.push(format!("{page}: {target}: no such heading"));
                }
            }
        }
    }
    assert!(checked >= 30, "only {checked} links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn anchors_follow_github() {
    let a = anchors(
        "# Title\n## `sync --promote`\n## Several accounts (`sync.targets`)\n```sh\n# not a heading\n```\n## Title\n",
    );
    let want: BTreeSet<String> = [
        "title",
        "sync---promote",
        "several-accounts-synctargets",
        "title-1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(a, want);
}
