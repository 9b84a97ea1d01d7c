//! What the CLI prints: standard output that stops quietly when the reader goes away, and the
//! typed JSON reports of the commands (`--format json`).

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Write;

use ecr_registrar::quote::{is_hidden, terminal};
use ecr_registrar::{Error, ErrorCode, FileChange, SyncReport, unified_diff};
use serde::Serialize;

/// Why a command stopped: a core error, or a closed standard output (`| head`), which is not an
/// error to report.
#[derive(Debug)]
pub enum Failure {
    Core(Error),
    BrokenPipe,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Core(Error::new(
                ErrorCode::Io,
                format!("cannot write to standard output: {e}"),
            ))
        }
    }
}

/// Print `text` to standard output for a person: no control sequence, line or paragraph separator
/// or bidirectional control from a value reaches the terminal; each is shown as `\u{XXXX}`
/// ([`terminal`]). The text's own line breaks and tabs stay.
pub fn print(text: impl Display) -> Result<(), Failure> {
    write_out(&terminal(&text.to_string()))
}

/// The syntax of a document [`print_document`] prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Json,
    Yaml,
}

/// Print a document for a program (JSON, or YAML with double-quoted strings): hidden characters
/// inside its strings as the escape its syntax reads as the same character, so the document means
/// the same and still no control byte or invisible character reaches a terminal.
pub fn print_document(text: impl Display, syntax: Document) -> Result<(), Failure> {
    write_out(&escaped_document(&text.to_string(), syntax))
}

fn write_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `text` with every hidden character but line breaks and tabs escaped: `\uXXXX`, and past
/// U+FFFF the UTF-16 surrogate pair JSON reads as one character (the tag character U+E0041 is
/// `\uDB40\uDC41`) or YAML's `\UXXXXXXXX`. Our JSON emitter writes them only inside strings;
/// the crate's YAML emitter double-quotes every string that holds one, and the Crossplane
/// manifests (serde_yaml's) hold validated values only.
pub fn escaped_document(text: &str, syntax: Document) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_hidden(c) && !matches!(c, '\n' | '\t'))
    {
        return text.into();
    }
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !is_hidden(c) || matches!(c, '\n' | '\t') {
            out.push(c);
        } else if syntax == Document::Yaml && (c as u32) > 0xFFFF {
            let _ = write!(out, "\\U{:08X}", c as u32);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04X}");
            }
        }
    }
    out.into()
}

/// Print `text` and a newline.
pub fn println(text: impl Display) -> Result<(), Failure> {
    print(format_args!("{text}\n"))
}

/// Pretty JSON of a value.
pub fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Print a value as pretty JSON and a newline ([`print_document`]).
pub fn print_json<T: Serialize>(v: &T) -> Result<(), Failure> {
    print_document(format_args!("{}\n", json(v)), Document::Json)
}

/// One file of a `--format json` report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport<'a> {
    path: &'a str,
    changed: bool,
    created: bool,
    /// The unified diff, in a dry run.
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
}

impl<'a> FileReport<'a> {
    /// A change, with its diff against `old` when `dry_run`.
    pub fn new(change: &'a FileChange, old: Option<&str>, dry_run: bool) -> Self {
        FileReport {
            path: &change.path,
            changed: change.changed,
            created: change.created && change.changed,
            diff: (dry_run && change.changed)
                .then(|| unified_diff(&change.path, old, &change.text)),
        }
    }
}

/// What `sync --format json` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncJsonReport<'a> {
    pub report: &'a SyncReport,
    /// With `--promote`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promotion: Option<&'a ecr_registrar::Promotion>,
    pub dry_run: bool,
    pub check: bool,
    pub files: Vec<FileReport<'a>>,
}

/// What `--format json` prints for a failure.
#[derive(Serialize)]
pub struct ErrorReport<'a> {
    pub error: &'a Error,
}
