//! A strict, linear-time reader for the bulk of the catalog: the entries under `repositories`
//! (a YAML block mapping whose values are block mappings or single-line scalars).
//!
//! Why: a 10,000-entry catalog is ~1.7 MB and serde_yaml reads ~25 MB/s. The editor therefore parses
//! the rest of the file (the "skeleton": the file with the map's interior cut out) with serde_yaml,
//! and the map's entries here, one at a time.
//!
//! It accepts only a subset it models completely and returns `None` for anything else (anchors,
//! tags, block scalars, multi-line scalars, duplicate keys...). `None` sends the caller to the full
//! reference parse, so the subset only decides speed, never the verdict. The property tests in
//! `src/edit/properties.rs` check that whatever it accepts, it reads exactly as serde_yaml does.

use serde_yaml::Value;
use std::borrow::Cow;

use crate::edit::lex::{KeyLog, any_repeat, escape};
use crate::quote::yaml_key_identity;

/// A YAML value as the editors compare it: mappings are ordered lists of pairs, so equality also
/// checks order. `Other` holds scalars outside the subset (numbers, booleans...), only from the
/// reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YVal<'a> {
    Null,
    Str(Cow<'a, str>),
    Map(Vec<(YVal<'a>, YVal<'a>)>),
    Seq(Vec<YVal<'a>>),
    Other(String),
}

/// The pairs of a YAML mapping, in order.
pub type YPairs<'a> = Vec<(YVal<'a>, YVal<'a>)>;

impl<'a> YVal<'a> {
    /// From serde_yaml's value (the reference path); mapping order is the document's.
    pub fn from_serde(v: &Value) -> YVal<'static> {
        match v {
            Value::Null => YVal::Null,
            Value::String(s) => YVal::Str(Cow::Owned(s.clone())),
            Value::Mapping(m) => YVal::Map(
                m.iter()
                    .map(|(k, v)| (YVal::from_serde(k), YVal::from_serde(v)))
                    .collect(),
            ),
            Value::Sequence(s) => YVal::Seq(s.iter().map(YVal::from_serde).collect()),
            Value::Tagged(t) => YVal::Other(format!("{t:?}")),
            other => YVal::Other(
                serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ),
        }
    }

    /// The value of a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&YVal<'a>> {
        match self {
            YVal::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| matches!(k, YVal::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar as text (`None` for null or missing).
    pub fn text(&self) -> Option<String> {
        match self {
            YVal::Null => None,
            YVal::Str(s) => Some(s.to_string()),
            YVal::Other(s) => Some(s.clone()),
            other => Some(format!("{other:?}")),
        }
    }

    /// A string scalar, borrowed.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            YVal::Str(s) => Some(s),
            _ => None,
        }
    }
}

struct YLine<'a> {
    /// Its index among the block's lines (blank and comment lines counted), from 0.
    index: usize,
    /// Its byte span in the block: its first byte, and the byte after its line break.
    span: (usize, usize),
    indent: usize,
    /// The line after the indentation, without its terminator.
    body: &'a str,
}

/// The content lines of a block (blank and comment lines skipped), one line of lookahead.
struct YCursor<'a> {
    rest: &'a str,
    /// The block's length: `len - rest.len()` is the offset of `rest`.
    len: usize,
    /// How many lines have been read (blank and comment lines included).
    lines: usize,
    peeked: Option<Option<YLine<'a>>>,
    /// A line outside the subset (a tab in the indentation) was met.
    bad: bool,
}

impl<'a> YCursor<'a> {
    fn new(block: &'a str) -> Self {
        YCursor {
            rest: block,
            len: block.len(),
            lines: 0,
            peeked: None,
            bad: false,
        }
    }

    fn read(&mut self) -> Option<YLine<'a>> {
        while !self.rest.is_empty() {
            let start = self.len - self.rest.len();
            let (raw, rest) = match memchr::memchr(b'\n', self.rest.as_bytes()) {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => (self.rest, ""),
            };
            self.rest = rest;
            self.lines += 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let indent = raw.bytes().take_while(|&b| b == b' ').count();
            match raw.as_bytes().get(indent) {
                None | Some(b'#') => continue,
                // A stray '\r' or tab elsewhere is rejected by the key and scalar rules.
                Some(b'\t') => {
                    self.bad = true;
                    return None;
                }
                Some(_) => {
                    return Some(YLine {
                        index: self.lines - 1,
                        span: (start, self.len - self.rest.len()),
                        indent,
                        body: &raw[indent..],
                    });
                }
            }
        }
        None
    }

    fn peek(&mut self) -> Option<&YLine<'a>> {
        if self.peeked.is_none() {
            let l = self.read();
            self.peeked = Some(l);
        }
        self.peeked.as_ref().and_then(Option::as_ref)
    }

    fn next(&mut self) -> Option<YLine<'a>> {
        self.peek();
        self.peeked.take().flatten()
    }
}

/// The entries of a YAML block (the value of a top-level key, every content line indented), one
/// at a time, so that two versions of a large block can be compared without holding either.
/// Yields `None` once anything outside the subset is met, and last when a key or governance id
/// came twice (so callers read to the end before trusting an entry); the caller then uses the
/// reference parser.
pub struct YamlEntries<'a> {
    cur: YCursor<'a>,
    indent: usize,
    /// The keys so far, to reject duplicates once the block ends; `None` for
    /// [`YamlEntries::mirroring`].
    seen: Option<KeyLog<Cow<'a, str>>>,
    /// The governance ids so far (`metadata.id`), to reject one used twice.
    ids: KeyLog<Cow<'a, str>>,
    /// Whether every key in `seen` is the entry's key as read (not another spelling of its
    /// identity, as `yes` for `true`): then `seen`, once sorted, orders the entries' keys too.
    keys_as_read: bool,
    done: bool,
    /// The index among the block's lines of the key of the entry last read.
    key_line: usize,
    /// The byte span of that key's line ([`YLine::span`]).
    key_span: (usize, usize),
}

impl<'a> YamlEntries<'a> {
    /// `None` when the block does not start like a block mapping (or has no entries).
    pub fn new(block: &'a str) -> Option<Self> {
        Self::walk(block, true)
    }

    /// For the new side of a lockstep walk: each key will be compared with the old side's key,
    /// and those are already checked to be unique, so no duplicate-key set is kept.
    pub fn mirroring(block: &'a str) -> Option<Self> {
        Self::walk(block, false)
    }

    fn walk(block: &'a str, check_keys: bool) -> Option<Self> {
        let mut cur = YCursor::new(block);
        let indent = cur.peek()?.indent;
        (indent > 0).then(|| YamlEntries {
            cur,
            indent,
            seen: check_keys.then(KeyLog::new),
            ids: KeyLog::new(),
            keys_as_read: true,
            done: false,
            key_line: 0,
            key_span: (0, 0),
        })
    }
}

impl<'a> Iterator for YamlEntries<'a> {
    type Item = Option<(YVal<'a>, YVal<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let indent = self.indent;
        let Some(line) = self.cur.peek() else {
            self.done = true;
            // The end: a key or a governance id read twice is a `None` too.
            let repeat =
                self.seen.as_mut().is_some_and(KeyLog::has_repeat) || self.ids.has_repeat();
            return (self.cur.bad || repeat).then_some(None);
        };
        if line.indent != indent {
            self.done = true;
            return Some(None);
        }
        self.key_line = line.index;
        self.key_span = line.span;
        // Keys that read the same (`yes` and `"true"`), a merge key, or a governance id used
        // twice: the reference path refuses them, with a message. Keys and ids are logged here
        // and checked at the end of the block.
        let ids = &mut self.ids;
        let entry = yaml_entry(&mut self.cur, indent).filter(|(k, v)| match (k, &mut self.seen) {
            (YVal::Str(s), Some(seen)) => {
                // Most keys are their own identity: the borrowed key goes in, no copy.
                let id = yaml_key_identity(s);
                if *id == **s {
                    seen.push(s.clone());
                } else {
                    seen.push(Cow::Owned(id.into_owned()));
                    self.keys_as_read = false;
                }
                if let Some(YVal::Str(id)) = v.get("metadata").and_then(|m| m.get("id")) {
                    ids.push(id.clone());
                }
                true
            }
            (YVal::Str(_), None) => true,
            _ => false,
        });
        if entry.is_none() || self.cur.bad {
            self.done = true;
            return Some(None);
        }
        Some(entry)
    }
}

impl YamlEntries<'_> {
    /// Once every entry was read (and none was `None`): the entries' keys as (hash, index)
    /// pairs sorted as [`crate::edit::lex::by_hash_then_key`] sorts them, when the duplicate-key
    /// check sorted exactly those keys.
    pub fn sorted_keys(self) -> Option<Vec<(u64, usize)>> {
        (self.done && self.keys_as_read)
            .then_some(self.seen)
            .flatten()
            .map(KeyLog::into_sorted)
    }

    /// The index among the block's lines (from 0, blank and comment lines counted) of the key of
    /// the entry last read.
    pub fn key_line(&self) -> usize {
        self.key_line
    }

    /// The byte span in the block of the line of the key of the entry last read: its first
    /// byte and the byte after its line break.
    pub fn key_span(&self) -> (usize, usize) {
        self.key_span
    }

    /// The indentation of the block's keys.
    pub fn indent(&self) -> usize {
        self.indent
    }
}

/// Parse the lines of a YAML block into its entries, or `None` outside the subset.
#[cfg(test)]
pub fn yaml_block(block: &str) -> Option<YPairs<'_>> {
    yaml_block_lines(block).map(|b| b.pairs)
}

/// A block read by [`yaml_block_lines`].
pub struct YBlock<'a> {
    pub pairs: YPairs<'a>,
    /// The index among the block's lines (from 0) of each entry's key.
    pub lines: Vec<usize>,
    /// The entries' keys sorted (see [`YamlEntries::sorted_keys`]), when the reader sorted them.
    pub sorted_keys: Option<Vec<(u64, usize)>>,
}

/// [`yaml_block`] with the index among the block's lines (from 0) of each entry's key, found on
/// the way (a second scan for them was a tenth of reading a large catalog), and the keys as the
/// duplicate-key check sorted them.
pub fn yaml_block_lines(block: &str) -> Option<YBlock<'_>> {
    let Some(mut entries) = YamlEntries::new(block) else {
        return YCursor::new(block).peek().is_none().then(|| YBlock {
            pairs: Vec::new(),
            lines: Vec::new(),
            sorted_keys: None,
        });
    };
    let (mut pairs, mut lines) = (Vec::new(), Vec::new());
    while let Some(entry) = entries.next() {
        pairs.push(entry?);
        lines.push(entries.key_line());
    }
    Some(YBlock {
        pairs,
        lines,
        sorted_keys: entries.sorted_keys(),
    })
}

/// One `key: value` at `indent` (the value possibly a nested block mapping).
fn yaml_entry<'a>(cur: &mut YCursor<'a>, indent: usize) -> Option<(YVal<'a>, YVal<'a>)> {
    let line = cur.next()?;
    let (key, rest) = yaml_key(line.body)?;
    let rest = strip_comment(rest)?;
    let value = if rest.is_empty() {
        match cur.peek() {
            Some(next) if next.indent > indent => {
                let inner = next.indent;
                YVal::Map(yaml_mapping(cur, inner)?)
            }
            _ => YVal::Null,
        }
    } else {
        let v = yaml_scalar(rest)?;
        if cur.peek().is_some_and(|n| n.indent > indent) {
            return None; // a continuation line: multi-line scalar or worse
        }
        v
    };
    Some((YVal::Str(key), value))
}

/// A nested block mapping at `indent` (small: duplicate keys are found by comparison).
fn yaml_mapping<'a>(cur: &mut YCursor<'a>, indent: usize) -> Option<YPairs<'a>> {
    // Room for a typical entry's fields up front (see `Hcl::items`).
    let mut map: YPairs<'a> = Vec::with_capacity(8);
    while cur.peek().is_some_and(|l| l.indent == indent) {
        map.push(yaml_entry(cur, indent)?);
    }
    // Keys that read the same (a YAML 1.1 boolean or null word as what it reads as): the
    // reference path refuses them.
    fn identity<'k>((k, _): &'k (YVal<'_>, YVal<'_>)) -> Cow<'k, str> {
        k.as_str().map_or(Cow::Borrowed(""), yaml_key_identity)
    }
    if any_repeat(&map, identity) {
        return None;
    }
    if cur.peek().is_some_and(|l| l.indent > indent) {
        return None;
    }
    Some(map)
}

/// `key:` then the rest of the line after the colon.
fn yaml_key(body: &str) -> Option<(Cow<'_, str>, &str)> {
    let (key, after) = match body.as_bytes().first()? {
        b'"' | b'\'' => {
            let (v, len) = quoted(body)?;
            (v, &body[len..])
        }
        _ => {
            let colon = body.bytes().position(|b| b == b':')?;
            let k = &body[..colon];
            if !plain_is_string(k) {
                return None;
            }
            (Cow::Borrowed(k), &body[colon..])
        }
    };
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ')) || key == "<<" {
        return None; // `<<` is a merge key to YAML 1.1 readers: the reference path refuses it
    }
    Some((key, after))
}

/// The value part without its trailing comment; `None` when the value is outside the subset.
fn strip_comment(rest: &str) -> Option<&str> {
    let v = rest.trim_start_matches(' ');
    if v.is_empty() || v.starts_with('#') {
        return Some("");
    }
    match v.as_bytes()[0] {
        b'"' | b'\'' => {
            let (_, len) = quoted(v)?;
            let tail = v[len..].trim_start_matches(' ');
            (tail.is_empty()
                || (tail.starts_with('#') && len < v.len() && v.as_bytes()[len] == b' '))
                .then_some(&v[..len])
        }
        _ => {
            let b = v.as_bytes();
            let end = (1..b.len())
                .find(|&i| b[i] == b'#' && b[i - 1] == b' ')
                .unwrap_or(b.len());
            Some(v[..end].trim_end_matches(' '))
        }
    }
}

fn yaml_scalar(v: &str) -> Option<YVal<'_>> {
    match v.as_bytes()[0] {
        b'"' | b'\'' => Some(YVal::Str(quoted(v)?.0)),
        _ if v == "{}" => Some(YVal::Map(Vec::new())),
        _ if v == "[]" => Some(YVal::Seq(Vec::new())),
        _ if plain_is_string(v) => Some(YVal::Str(Cow::Borrowed(v))),
        _ => None,
    }
}

/// Bytes allowed in a plain scalar of the subset.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'/' | b'@' | b'+' | b' ');
        c += 1;
    }
    t
};

/// A plain scalar that every YAML reader takes as this very string: starts with a letter (or is a
/// `YYYY-MM-DD` date, a string in YAML 1.2), simple characters, single inner spaces, not a keyword.
fn plain_is_string(s: &str) -> bool {
    if crate::date::is_date_shaped(s) {
        return true;
    }
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.last() != Some(&b' ')
        && single_spaced_plain(b)
        && !(matches!(b.len(), 4 | 5)
            && matches!(
                s,
                "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            ))
}

/// Every byte allowed in a plain scalar of the subset ([`PLAIN`]), and no two spaces in a row:
/// one pass (a search for a space and then for a pair, per scalar, was a tenth of the read).
fn single_spaced_plain(b: &[u8]) -> bool {
    let mut after_space = false;
    for &c in b {
        let space = c == b' ';
        if !PLAIN[usize::from(c)] || (space && after_space) {
            return false;
        }
        after_space = space;
    }
    true
}

/// The value of the one-line quoted scalar at the start of `s` (a quoted key), as YAML reads it.
pub fn quoted_key(s: &str) -> Option<Cow<'_, str>> {
    quoted(s).map(|(key, _)| key)
}

/// A one-line quoted scalar at the start of `s`: (value, bytes consumed). Borrowed when it has
/// no escapes.
fn quoted(s: &str) -> Option<(Cow<'_, str>, usize)> {
    let b = s.as_bytes();
    let q = b[0];
    if let Some(end) = b[1..]
        .iter()
        .position(|&c| c == q || c == b'\\' || c < 0x20 && c != b'\t')
    {
        let end = end + 1;
        if b[end] == q && !(q == b'\'' && b.get(end + 1) == Some(&b'\'')) {
            return Some((Cow::Borrowed(&s[1..end]), end + 1));
        }
    }
    let mut out = String::new();
    let mut i = 1;
    while i < b.len() {
        let c = b[i];
        if c == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            return Some((Cow::Owned(out), i + 1));
        }
        if q == b'"' && c == b'\\' {
            let (ch, used) = escape(s, i, true)?;
            out.push(ch);
            i += used;
            continue;
        }
        if c < 0x20 && c != b'\t' {
            return None;
        }
        let ch = s[i..].chars().next()?;
        out.push(ch);
        i += ch.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_subset() {
        let m = yaml_block(
            "  a:\n    metadata:\n      id: X\n      d: \"2026-01-05\" # c\n  # comment\n  b: {}\n",
        )
        .unwrap();
        let v: Value =
            serde_yaml::from_str("a:\n  metadata:\n    id: X\n    d: \"2026-01-05\"\nb: {}\n")
                .unwrap();
        assert_eq!(YVal::Map(m), YVal::from_serde(&v));
        assert!(yaml_block("  a: &x 1\n").is_none());
        assert!(yaml_block("  a: 12\n").is_none());
        assert!(yaml_block("  a: b\n    c\n").is_none());
        assert!(yaml_block("  a: 1\n  a: 2\n").is_none());
        assert!(yaml_block("  - a\n").is_none());
    }
}
