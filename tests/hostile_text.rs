//! Issue 21, item 6: untrusted text is shown literally wherever it lands. Values in pull request
//! bodies (names, owners, requesters, domains, file names, an update's "Before" column read from
//! the catalog) stay inside one Markdown code span or table cell and add no heading, table row or
//! HTML element; no control, line-separator or bidirectional character reaches a body, a terminal
//! or a CI log raw; `changes --format github` prints one annotation per guard problem that no file
//! name can forge another workflow command into.
//!
//! The Markdown checks are structural, after CommonMark and GitHub's table rules: fenced blocks,
//! code spans (a backtick run closed by the next run of the same length), headings, table cells
//! (split at every `|` not escaped, code spans included). The expected visible form of a value is
//! written here independently of the crate's escaper.
#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use ecr_registrar::{
    Config, Files, Request, UpdateRequest, Validator, pull_request, update as update_registry,
};

/// The hostile values: each tries to close its span or cell, start a block, inject HTML, or hide
/// or reorder text.
const HOSTILE: &[&str] = &[
    "x`y",
    "``a",
    "ends`",
    "a|b",
    "<script>alert(1)</script>",
    "v\n## Approved",
    "v\r\n| forged | row |",
    "a\u{2028}b\u{2029}c",
    "\u{1b}[2Jcleared",
    "p\u{202E}gnp.exe",
    "r\u{2066}x\u{2069}\u{200F}\u{061C}",
    "c1\u{9b}31m",
    " padded ",
    "&amp; *em* [l](http://x)",
    "tag\u{E0041}\u{E007F}soft\u{AD}hy",
    "vs\u{FE0F}\u{E0100}\u{206A}\u{206F}x",
    "hangul\u{115F}\u{1160}\u{3164}\u{FFA0}",
    "zw\u{200B}\u{2060}\u{2064}\u{FEFF}\u{180E}\u{034F}",
];

/// The characters no reader may get raw (independent of the crate's list): controls, line and
/// paragraph separators, every format character (general category Cf, Unicode 16: bidirectional
/// controls, zero-width characters, the soft hyphen, tags…) and the other default-ignorable code
/// points (DerivedCoreProperties.txt: variation selectors, Hangul fillers…), which render as
/// nothing or change how their neighbours render.
fn hidden(c: char) -> bool {
    const CF: &[(u32, u32)] = &[
        (0xAD, 0xAD),
        (0x600, 0x605),
        (0x61C, 0x61C),
        (0x6DD, 0x6DD),
        (0x70F, 0x70F),
        (0x890, 0x891),
        (0x8E2, 0x8E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];
    const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
        (0x34F, 0x34F),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x2065, 0x2065),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0xE0000, 0xE0FFF),
    ];
    let n = c as u32;
    n < 0x20
        || (0x7f..=0x9f).contains(&n)
        || matches!(n, 0x2028 | 0x2029)
        || CF
            .iter()
            .chain(DEFAULT_IGNORABLE)
            .any(|&(lo, hi)| (lo..=hi).contains(&n))
}

/// What a reader must see for `v`: hidden characters as `\u{XXXX}`, the rest as it is.
fn shown(v: &str) -> String {
    v.chars()
        .map(|c| {
            if hidden(c) {
                format!("\\u{{{:04X}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A line of Markdown: its code spans' contents and the text outside them (CommonMark 6.1).
fn spans(line: &str) -> (Vec<String>, String) {
    let b: Vec<char> = line.chars().collect();
    let (mut spans, mut outside) = (Vec::new(), String::new());
    let run_at = |i: usize| b[i..].iter().take_while(|&&c| c == '`').count();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '\\' && i + 1 < b.len() {
            outside.push(b[i]);
            outside.push(b[i + 1]);
            i += 2;
            continue;
        }
        if b[i] != '`' {
            outside.push(b[i]);
            i += 1;
            continue;
        }
        let n = run_at(i);
        let mut j = i + n;
        let close = loop {
            if j >= b.len() {
                break None;
            }
            if b[j] == '`' {
                let m = run_at(j);
                if m == n {
                    break Some(j);
                }
                j += m;
            } else {
                j += 1;
            }
        };
        match close {
            Some(j) => {
                let mut s: String = b[i + n..j].iter().collect();
                if s.len() > 2 && s.starts_with(' ') && s.ends_with(' ') && s.trim() != "" {
                    s = s[1..s.len() - 1].to_string();
                }
                spans.push(s);
                i = j + n;
            }
            None => {
                outside.extend(&b[i..i + n]);
                i += n;
            }
        }
    }
    (spans, outside)
}

/// The cells of a table row: split at every `|` not escaped (GitHub splits before it reads code
/// spans), `\|` read as `|`.
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = row.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    // The row's leading and trailing pipes.
    cells.remove(0);
    cells.pop();
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Check a body's structure: only `headings`, tables of `columns` cells per row, no HTML outside
/// code, no hidden character; every code span's content returned (table cells unescaped).
fn structure(body: &str, headings: &[&str], columns: usize) -> Vec<String> {
    assert!(
        !body.chars().any(|c| c != '\n' && hidden(c)),
        "a hidden character reached the body:\n{body:?}"
    );
    let mut all = Vec::new();
    let mut fence: Option<String> = None;
    for line in body.split('\n') {
        let ticks: String = line.chars().take_while(|&c| c == '`').collect();
        if let Some(f) = &fence {
            if ticks.len() >= f.len() && line.trim_start_matches('`').trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if ticks.len() >= 3 {
            fence = Some(ticks);
            continue;
        }
        if line.trim_start().starts_with('#') {
            assert!(
                headings.iter().any(|h| line.starts_with(h)),
                "an unexpected heading: {line:?}"
            );
        }
        if line.starts_with('|') {
            let cs = cells(line);
            assert_eq!(cs.len(), columns, "a table row with other cells: {line:?}");
            for c in cs {
                let (s, outside) = spans(&c);
                assert!(!outside.contains('<'), "HTML outside code in {line:?}");
                all.extend(s);
            }
        } else {
            let (s, outside) = spans(line);
            assert!(!outside.contains('<'), "HTML outside code in {line:?}");
            all.extend(s);
        }
    }
    assert!(fence.is_none(), "a fenced block never closes:\n{body}");
    all
}

fn request(v: &str) -> Request {
    Request {
        name: v.into(),
        owner: v.into(),
        requester: Some(v.into()),
        domain: Some(v.into()),
        environment: "dev".into(),
        risk: "low".into(),
        id: None,
        ..Request::default()
    }
}

#[test]
fn a_new_request_body_shows_every_hostile_value_in_one_span() {
    let config = Config::default();
    let headings = [
        "## New ECR repository ",
        "### Security controls of the ",
        "### Files",
        "### Targeted plan",
    ];
    for v in HOSTILE {
        let pr = pull_request(&config, &request(v), v, "terraform plan", &[v]);
        let spans = structure(&pr.body, &headings, 2);
        let want = shown(v);
        // Repository, governance id, owner, requester, domain in the table; the heading; the file.
        let n = spans.iter().filter(|s| **s == want).count();
        assert!(
            n >= 7,
            "{v:?} shown literally in {n} spans, not 7; spans: {spans:?}\n{}",
            pr.body
        );
        assert!(
            !pr.title.chars().any(hidden),
            "a hidden character in the title {:?}",
            pr.title
        );
    }
}

#[test]
fn an_update_body_shows_the_catalogs_before_value_literally() {
    let catalog =
        include_str!("../examples/platform/docs/20-contracts/resource-catalogs/ecr-catalog.yaml");
    let tfvars = include_str!("../examples/platform/envs/dev/terraform.tfvars");
    let v = Validator::new(&Config::default()).unwrap();
    let headings = [
        "## Update ECR repository ",
        "### Files",
        "### Targeted plan",
    ];
    for h in HOSTILE {
        // The catalog holds the hostile owner as a YAML double-quoted scalar.
        let mut q = String::from("\"");
        for c in h.chars() {
            match c {
                '"' | '\\' => {
                    q.push('\\');
                    q.push(c);
                }
                ' '..='~' => q.push(c),
                c if (c as u32) > 0xFFFF => q.push_str(&format!("\\U{:08X}", c as u32)),
                c => q.push_str(&format!("\\u{:04X}", c as u32)),
            }
        }
        q.push('"');
        let catalog = catalog.replace("owner: database-team", &format!("owner: {q}"));
        let out = update_registry(
            &v,
            &UpdateRequest {
                name: "ledger-sync".into(),
                environment: "dev".into(),
                owner: Some("sre-team".into()),
                ..Default::default()
            },
            &Files {
                catalog: Some(catalog),
                tfvars: Some(tfvars.into()),
            },
            "2026-12-01",
        )
        .unwrap();
        let body = &out.pull_request.body;
        let spans = structure(body, &headings, 3);
        assert!(
            spans.contains(&shown(h)),
            "the before value {h:?} is not one span: {spans:?}\n{body}"
        );
        assert!(
            body.contains("| owner | "),
            "the owner row is missing:\n{body}"
        );
    }
}

// ---- The terminal and GitHub workflow commands: `changes` over file names a PR chose ----

struct Repo(tempfile::TempDir);

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let r = Repo(dir);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/platform");
        copy_dir(&src, r.path());
        r.git(&["init", "-q", "-b", "main"]);
        r.commit("the platform");
        r.git(&["tag", "base"]);
        r
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn git(&self, args: &[&str]) {
        let o = Std::new("git")
            .arg("-C")
            .arg(self.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {o:?}");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    fn changes(&self, format: &str) -> (i32, String, String) {
        let o = Command::cargo_bin("ecr-registrar")
            .unwrap()
            .args(["changes", "--base", "base", "--format", format, "--repo"])
            .arg(self.path())
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// File names that try to clear the terminal, reorder a line, forge log lines and workflow
/// commands, and add annotation properties.
const HOSTILE_FILES: &[&str] = &[
    "clear\u{1b}[2J\u{1b}[1;1H.txt",
    "gnp\u{202E}exe.txt",
    "x\n::add-mask::secret-value\n::stop-commands::tok\n::error file=README.md::forged",
    "a,line=9,title=ok::50%25 done",
    "b\r::set-output name=x::y",
    "sep\u{2028}arated",
    "envs/dev/a\u{E0041}\u{AD}.txt",
    "fill\u{3164}\u{FE0F}\u{200B}\u{2064}\u{E0100}.txt",
];

fn hostile_repo() -> Repo {
    let r = Repo::new();
    for (i, name) in HOSTILE_FILES.iter().enumerate() {
        std::fs::write(r.path().join(name), format!("{i}\n")).unwrap();
    }
    r.commit("hostile file names");
    r
}

#[test]
fn changes_text_output_sends_no_control_character_to_the_terminal() {
    let r = hostile_repo();
    let (code, out, err) = r.changes("text");
    assert_eq!(code, 1, "{out}{err}");
    for text in [&out, &err] {
        assert!(
            !text.chars().any(|c| c != '\n' && hidden(c)),
            "a raw control character reached the terminal: {text:?}"
        );
    }
    // One problem line per file: a file name starts no line of its own.
    let problems = out
        .lines()
        .filter(|l| l.contains("[unexpected_file]"))
        .count();
    assert_eq!(problems, HOSTILE_FILES.len(), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("::")),
        "a workflow command in the text output:\n{out}"
    );
}

#[test]
fn changes_json_output_escapes_hidden_characters_and_reads_back_the_same() {
    // JSON escapes (`\uXXXX`, a surrogate pair past U+FFFF): no raw hidden character reaches
    // the terminal, and a JSON reader gets each file name back exactly.
    let r = hostile_repo();
    let (code, out, err) = r.changes("json");
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        !out.chars().any(|c| c != '\n' && hidden(c)),
        "a raw hidden character in the JSON: {out:?}"
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = report["guard"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    for name in HOSTILE_FILES {
        assert!(files.contains(name), "{name:?} not read back: {files:?}");
    }
}

/// GitHub's unescaping of a workflow command property or message.
fn unescape(s: &str, property: bool) -> String {
    let mut out = s.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        out = out.replace("%3A", ":").replace("%2C", ",");
    }
    out.replace("%25", "%")
}

#[test]
fn changes_github_format_prints_one_unforgeable_annotation_per_problem() {
    let r = hostile_repo();
    let (_, json, _) = r.changes("json");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let problems = report["guard"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), HOSTILE_FILES.len());

    let (code, out, err) = r.changes("github");
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains('\r'), "a carriage return in the log: {out:?}");
    let lines: Vec<&str> = out.lines().collect();
    // Every line a runner reads as a command is one of ours: an `::error` per problem.
    let commands: Vec<&&str> = lines.iter().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), problems.len(), "{out}");
    let mut files = BTreeMap::new();
    for l in &commands {
        let rest = l.strip_prefix("::error ").unwrap_or_else(|| panic!("{l}"));
        let (props, message) = rest.split_once("::").unwrap();
        let props: Vec<(&str, &str)> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap_or_else(|| panic!("{p} in {l}")))
            .collect();
        let keys: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        assert!(
            keys == ["file", "title"] || keys == ["file", "line", "title"],
            "forged properties {keys:?} in {l}"
        );
        assert!(
            !message.contains('\n') && !unescape(message, false).is_empty(),
            "{l}"
        );
        files.insert(unescape(props[0].1, true), l.to_string());
    }
    // Each hostile name is one annotation's file, shown (hidden characters visible), and nothing
    // else was forged.
    for name in HOSTILE_FILES {
        assert!(
            files.contains_key(&shown(name)),
            "{name:?} is not an annotation's file: {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    assert!(!out.contains("\n::add-mask::") && !out.starts_with("::add-mask::"));
}

#[test]
fn changes_github_format_on_a_clean_change_prints_no_error() {
    let r = Repo::new();
    let (code, out, _) = r.changes("github");
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("::error"), "{out}");
}

#[test]
fn changes_markdown_format_shows_each_file_name_in_one_span() {
    let r = hostile_repo();
    let (code, out, err) = r.changes("markdown");
    assert_eq!(code, 1, "{out}{err}");
    let spans = structure(&out, &["### Registry changes"], 0);
    for name in HOSTILE_FILES {
        assert!(
            spans.contains(&shown(name)),
            "{name:?} is not one code span: {spans:?}\n{out}"
        );
    }
    // The messages repeat the names outside code: as inert text, never a link or emphasis.
    assert!(!out.contains("::add-mask::") || !out.lines().any(|l| l.starts_with("::")));
}
