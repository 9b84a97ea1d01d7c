//! Strict, linear-time parsers for the bulk of the two files: the entries under `repositories`
//! (YAML block mappings of scalars) and the items of the `ecr_repositories` map (HCL object items
//! of literals).
//!
//! Why: a 10,000-entry catalog is ~1.7 MB; serde_yaml reads ~25 MB/s, and hcl-edit's object parser
//! compares every key with all earlier ones (O(n²): 4,000 items take 160 ms). The editors therefore
//! parse the rest of each file (the "skeleton": the file with the map's interior cut out) with the
//! reference parser, and the map's entries here, one at a time.
//!
//! Both parsers accept only a subset they model completely and return `None` for anything else
//! (anchors, tags, block scalars, multi-line scalars, templates, heredocs, expressions, duplicate
//! keys...). `None` sends the caller to the full reference parse, so the subset only decides speed,
//! never the verdict. `tests/properties.rs` checks that whatever they accept, they read exactly as
//! serde_yaml and hcl-rs do.

use serde_yaml::Value;
use std::borrow::Cow;
use std::hash::{BuildHasherDefault, Hasher};

/// A small multiply-rotate hasher (as rustc's FxHash) for the duplicate-key sets: the keys come
/// from the platform's own repository, and SipHash was a tenth of a 10,000-entry edit.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(buf))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;

// ---------------------------------------------------------------------------------------------
// YAML: a block mapping whose values are block mappings or single-line scalars.
// ---------------------------------------------------------------------------------------------

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
    indent: usize,
    /// The line after the indentation, without its terminator.
    body: &'a str,
}

/// The content lines of a block (blank and comment lines skipped), one line of lookahead.
struct YCursor<'a> {
    rest: &'a str,
    peeked: Option<Option<YLine<'a>>>,
    /// A line outside the subset (a tab in the indentation) was met.
    bad: bool,
}

impl<'a> YCursor<'a> {
    fn new(block: &'a str) -> Self {
        YCursor {
            rest: block,
            peeked: None,
            bad: false,
        }
    }

    fn read(&mut self) -> Option<YLine<'a>> {
        while !self.rest.is_empty() {
            let (raw, rest) = match memchr::memchr(b'\n', self.rest.as_bytes()) {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => (self.rest, ""),
            };
            self.rest = rest;
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
/// Yields `None` once anything outside the subset is met; the caller then uses the reference parser.
pub struct YamlEntries<'a> {
    cur: YCursor<'a>,
    indent: usize,
    /// The keys so far, to reject duplicates; `None` for [`YamlEntries::mirroring`].
    seen: Option<FxSet<Cow<'a, str>>>,
    done: bool,
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
            // About one entry per 128 bytes in the platform's layout: no rehashing on the way.
            seen: check_keys
                .then(|| FxSet::with_capacity_and_hasher(block.len() / 128, Default::default())),
            done: false,
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
            return (self.cur.bad).then_some(None);
        };
        if line.indent != indent {
            self.done = true;
            return Some(None);
        }
        // Duplicate keys: the reference parser reports them.
        let entry = yaml_entry(&mut self.cur, indent).filter(|(k, _)| match (k, &mut self.seen) {
            (YVal::Str(s), Some(seen)) => seen.insert(s.clone()),
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

/// Parse the lines of a YAML block into its entries, or `None` outside the subset.
pub fn yaml_block(block: &str) -> Option<YPairs<'_>> {
    match YamlEntries::new(block) {
        Some(entries) => entries.collect(),
        None => YCursor::new(block).peek().is_none().then(Vec::new),
    }
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
        let pair = yaml_entry(cur, indent)?;
        let key = pair.0.as_str();
        if map.iter().any(|(k, _)| k.as_str() == key) {
            return None; // duplicate key: the reference parser reports it
        }
        map.push(pair);
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
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
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
    let b = s.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if date {
        return true;
    }
    b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.last() != Some(&b' ')
        && b.iter().all(|&c| PLAIN[c as usize])
        // Single inner spaces; most scalars have none, so look for a pair only when there is one.
        && !(b.contains(&b' ') && b.windows(2).any(|w| w == b"  "))
        && !(matches!(b.len(), 4 | 5)
            && matches!(
                s,
                "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            ))
}

/// The escape sequence at byte `i` (a backslash): the character and the bytes it takes. YAML
/// double-quoted strings also know `\/`, `\0` and `\xNN`; anything else is outside the subset.
fn escape(s: &str, i: usize, yaml: bool) -> Option<(char, usize)> {
    let hex = |n: usize| -> Option<char> {
        let h = s.get(i + 2..i + 2 + n)?;
        char::from_u32(u32::from_str_radix(h, 16).ok()?)
    };
    Some(match *s.as_bytes().get(i + 1)? {
        b'\\' => ('\\', 2),
        b'"' => ('"', 2),
        b'n' => ('\n', 2),
        b't' => ('\t', 2),
        b'r' => ('\r', 2),
        b'u' => (hex(4)?, 6),
        b'U' => (hex(8)?, 10),
        b'/' if yaml => ('/', 2),
        b'0' if yaml => ('\0', 2),
        b'x' if yaml => (hex(2)?, 4),
        _ => return None,
    })
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

// ---------------------------------------------------------------------------------------------
// HCL: object items whose values are literals, tuples and objects.
// ---------------------------------------------------------------------------------------------

/// An object key: identifier or quoted string, as HCL distinguishes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HKey<'a> {
    Ident(Cow<'a, str>),
    Str(Cow<'a, str>),
}

impl HKey<'_> {
    pub fn name(&self) -> &str {
        match self {
            HKey::Ident(s) | HKey::Str(s) => s,
        }
    }
}

/// An HCL value without decoration. `Other` holds any expression outside the literal subset, in a
/// structural (decoration-free) rendering; it only appears on the reference path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HVal<'a> {
    Str(Cow<'a, str>),
    Num(Cow<'a, str>),
    Bool(bool),
    Null,
    Tuple(Vec<HVal<'a>>),
    Obj(Vec<(HKey<'a>, HVal<'a>)>),
    Other(String),
}

impl<'a> HVal<'a> {
    pub fn get(&self, key: &str) -> Option<&HVal<'a>> {
        match self {
            HVal::Obj(items) => items.iter().find(|(k, _)| k.name() == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string literal, borrowed.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HVal::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<String> {
        match self {
            HVal::Str(s) | HVal::Num(s) => Some(s.to_string()),
            HVal::Other(s) => Some(s.clone()),
            HVal::Bool(b) => Some(b.to_string()),
            HVal::Null => None,
            other => Some(format!("{other:?}")),
        }
    }
}

/// One item of the map: key, its byte span, value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HItem<'a> {
    pub key: HKey<'a>,
    pub key_start: usize,
    pub value: HVal<'a>,
}

struct Hcl<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Hcl<'a> {
    /// Skip blanks and comments; with `newlines`, line breaks too. `None` on `/*` (not modelled).
    fn skip(&mut self, newlines: bool) -> Option<()> {
        while self.i < self.b.len() {
            match self.b[self.i] {
                b' ' | b'\t' => self.i += 1,
                b'\r' if self.b.get(self.i + 1) == Some(&b'\n') && newlines => self.i += 2,
                b'\n' if newlines => self.i += 1,
                b'#' => self.skip_line_comment(),
                b'/' if self.b.get(self.i + 1) == Some(&b'/') => self.skip_line_comment(),
                b'/' if self.b.get(self.i + 1) == Some(&b'*') => return None,
                _ => break,
            }
        }
        Some(())
    }

    fn skip_line_comment(&mut self) {
        while self.i < self.b.len() && self.b[self.i] != b'\n' && self.b[self.i] != b'\r' {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            self.i += 1;
        }
        Some(&self.s[start..self.i])
    }

    /// A quoted string without templates; borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Borrowed(&self.s[start..self.i - 1]));
                }
                b'\\' | b'\n' | b'\r' | b'$' | b'%' => break,
                _ => self.i += 1,
            }
        }
        let mut out = self.s[start..self.i].to_string();
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\n' | b'\r' => return None,
                b'$' | b'%' if self.b.get(self.i + 1) == Some(&b'{') => return None,
                b'$' | b'%' if self.b.get(self.i + 1) == Some(&c) => return None,
                b'\\' => {
                    let (ch, used) = escape(self.s, self.i, false)?;
                    out.push(ch);
                    self.i += used;
                }
                _ => {
                    let ch = self.s[self.i..].chars().next()?;
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<HVal<'a>> {
        if depth > 32 {
            return None;
        }
        match self.peek()? {
            b'"' => Some(HVal::Str(self.string()?)),
            b'{' => {
                self.i += 1;
                let items = self.items(depth + 1)?;
                Some(HVal::Obj(
                    items.into_iter().map(|it| (it.key, it.value)).collect(),
                ))
            }
            b'[' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    self.skip(true)?;
                    if self.peek()? == b']' {
                        self.i += 1;
                        return Some(HVal::Tuple(out));
                    }
                    out.push(self.value(depth + 1)?);
                    self.skip(true)?;
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {}
                        _ => return None,
                    }
                }
            }
            b'0'..=b'9' => {
                // Non-negative integers only (`-3` is a unary operation to hcl-edit).
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let text = &self.s[start..self.i];
                if (text.len() > 1 && text.starts_with('0')) || text.len() > 15 {
                    return None;
                }
                if self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
                {
                    return None;
                }
                Some(HVal::Num(Cow::Borrowed(text)))
            }
            _ => {
                let id = self.ident()?;
                if self.peek().is_some_and(|c| matches!(c, b'.' | b'(' | b'[')) {
                    return None;
                }
                match id {
                    "true" => Some(HVal::Bool(true)),
                    "false" => Some(HVal::Bool(false)),
                    "null" => Some(HVal::Null),
                    _ => None,
                }
            }
        }
    }

    /// Object items up to and including the closing brace.
    /// The next object item, `Some(None)` after the closing brace, `None` outside the subset.
    fn item(&mut self, depth: usize) -> Option<Option<HItem<'a>>> {
        self.skip(true)?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(None);
        }
        let key_start = self.i;
        let key = match self.peek()? {
            b'"' => HKey::Str(self.string()?),
            _ => match self.ident()? {
                "true" | "false" | "null" => return None,
                id => HKey::Ident(Cow::Borrowed(id)),
            },
        };
        self.skip(false)?;
        match self.peek()? {
            b'=' | b':' => self.i += 1,
            _ => return None,
        }
        self.skip(false)?;
        let value = self.value(depth)?;
        self.skip(false)?;
        match self.peek()? {
            b',' => self.i += 1,
            b'\n' | b'\r' | b'}' => {}
            _ => return None,
        }
        Some(Some(HItem {
            key,
            key_start,
            value,
        }))
    }

    /// The items of a (small, nested) object up to and including its closing brace.
    fn items(&mut self, depth: usize) -> Option<Vec<HItem<'a>>> {
        // Room for a typical entry's fields up front: growing 0 → 4 → 8 was a tenth of the
        // instructions of a 10,000-entry walk (callgrind).
        let mut items: Vec<HItem<'a>> = Vec::with_capacity(8);
        while let Some(item) = self.item(depth)? {
            if items.iter().any(|o| o.key == item.key) {
                return None; // duplicate key: the reference parser reports it
            }
            items.push(item);
        }
        Some(items)
    }
}

/// The items of the object whose `{` is at byte `open`, one at a time, so that two versions of a
/// large map can be compared without holding either. Yields `None` once anything outside the
/// subset (or a duplicate key) is met; [`HclItems::close`] is the offset of the `}` after the end.
pub struct HclItems<'a> {
    p: Hcl<'a>,
    /// The keys so far, to reject duplicates; `None` for [`HclItems::mirroring`].
    seen: Option<FxSet<HKey<'a>>>,
    close: Option<usize>,
    done: bool,
}

impl<'a> HclItems<'a> {
    pub fn new(text: &'a str, open: usize) -> Option<Self> {
        Self::walk(text, open, true)
    }

    /// For the new side of a lockstep walk: each key will be compared with the old side's key,
    /// and those are already checked to be unique, so no duplicate-key set is kept.
    pub fn mirroring(text: &'a str, open: usize) -> Option<Self> {
        Self::walk(text, open, false)
    }

    fn walk(text: &'a str, open: usize, check_keys: bool) -> Option<Self> {
        (text.as_bytes().get(open) == Some(&b'{')).then(|| HclItems {
            p: Hcl {
                s: text,
                b: text.as_bytes(),
                i: open + 1,
            },
            // About one item per 128 bytes in `terraform fmt` layout: no rehashing on the way.
            seen: check_keys.then(|| {
                FxSet::with_capacity_and_hasher((text.len() - open) / 128, Default::default())
            }),
            close: None,
            done: false,
        })
    }

    /// The offset of the closing brace, once every item was read.
    pub fn close(&self) -> Option<usize> {
        self.close
    }
}

impl<'a> Iterator for HclItems<'a> {
    type Item = Option<HItem<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.p.item(0) {
            Some(Some(item))
                if self
                    .seen
                    .as_mut()
                    .is_none_or(|seen| seen.insert(item.key.clone())) =>
            {
                Some(Some(item))
            }
            Some(None) => {
                self.done = true;
                self.close = Some(self.p.i - 1);
                None
            }
            _ => {
                self.done = true;
                Some(None)
            }
        }
    }
}

/// Parse the object whose `{` is at byte `open` of `text`: its items and the offset of its `}`.
pub fn hcl_object(text: &str, open: usize) -> Option<(Vec<HItem<'_>>, usize)> {
    let mut it = HclItems::new(text, open)?;
    let items = it.by_ref().collect::<Option<Vec<_>>>()?;
    Some((items, it.close()?))
}

/// Find `variable = {` as a top-level attribute: the offset of its `{`. A quick scan that knows
/// strings, comments and heredocs; whatever it finds is confirmed by the reference parser on the
/// skeleton, so a wrong guess only costs the fast path.
pub fn hcl_find_attr(text: &str, variable: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut depth: i32 = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map(|e| i + 2 + e + 2)?;
                continue;
            }
            b'"' => {
                i += 1;
                let mut interp = 0;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 1,
                        b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                            interp += 1;
                            i += 1;
                        }
                        b'}' if interp > 0 => interp -= 1,
                        b'"' if interp == 0 => break,
                        b'\n' if interp == 0 => return None,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' if text[i..].starts_with("<<") => {
                // Heredoc: skip to the line that holds only the marker.
                let rest = &text[i + 2..];
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                let marker: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if marker.is_empty() {
                    return None;
                }
                let nl = text[i..].find('\n').map(|e| i + e + 1)?;
                let mut j = nl;
                loop {
                    let end = text[j..].find('\n').map_or(text.len(), |e| j + e);
                    if text[j..end].trim() == marker {
                        i = end;
                        break;
                    }
                    if end >= text.len() {
                        return None;
                    }
                    j = end + 1;
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth -= 1;
                i += 1;
            }
            _ if line_start && depth == 0 && text[i..].starts_with(variable) => {
                let mut j = i + variable.len();
                let ws = |j: &mut usize| {
                    while *j < b.len() && (b[*j] == b' ' || b[*j] == b'\t') {
                        *j += 1;
                    }
                };
                ws(&mut j);
                if b.get(j) == Some(&b'=') && b.get(j + 1) != Some(&b'=') {
                    j += 1;
                    ws(&mut j);
                    if b.get(j) == Some(&b'{') {
                        // The first one: a second definition makes the skeleton check fail.
                        return Some(j);
                    }
                }
                i += variable.len();
            }
            _ => i += 1,
        }
        line_start = false;
    }
    None
}

/// The `}` that closes the object whose `{` is at `open`, and where its first item starts: a quick
/// lexical scan (strings, comments, nesting). Callers check the answer against the real parse.
pub fn hcl_close(text: &str, open: usize) -> Option<(usize, Option<usize>)> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut first) = (open + 1, 0usize, None);
    while i < b.len() {
        let c = b[i];
        let ws = matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',');
        if !ws && depth == 0 && first.is_none() && c != b'}' && c != b'#' && c != b'/' {
            first = Some(i);
        }
        match c {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    match b[i] {
                        b'\\' => i += 2,
                        b'\n' | b'$' | b'%' => return None,
                        _ => i += 1,
                    }
                }
            }
            b'#' => i = text[i..].find('\n').map_or(b.len(), |e| i + e),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |e| i + e)
            }
            b'/' | b'<' => return None,
            b'{' | b'[' | b'(' => depth += 1,
            b'}' if depth == 0 => return Some((i, first)),
            b'}' | b']' | b')' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        i += 1;
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

    #[test]
    fn hcl_subset() {
        let t = "x = {\n  \"a\" = { metadata = { id = \"X\", n = 3 } } # c\n  b = [1, \"}\"]\n}\n";
        let open = hcl_find_attr(t, "x").unwrap();
        let (items, close) = hcl_object(t, open).unwrap();
        assert_eq!(close, t.len() - 2);
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].value.get("metadata").unwrap().get("n"),
            Some(&HVal::Num("3".into()))
        );
        assert!(hcl_object("{ a = var.x }", 0).is_none());
        assert!(hcl_object("{ a = \"${x}\" }", 0).is_none());
        assert!(hcl_object("{ a = 1\n a = 2 }", 0).is_none());
        assert_eq!(
            hcl_find_attr("y = <<EOT\nx = {\nEOT\nx = {}\n", "x"),
            Some(24)
        );
    }
}
