//! A strict, linear-time reader for the bulk of the tfvars file: the items of the `ecr_repositories`
//! map (HCL object items whose values are literals, tuples and objects), and the lexical scans that
//! find the map and its closing brace.
//!
//! Why: hcl-edit's object parser compares every key with all earlier ones (O(n²): 4,000 items take
//! 160 ms). The editor therefore parses the rest of the file (the "skeleton": the file with the
//! map's interior cut out) with hcl-edit, and the map's items here, one at a time.
//!
//! It accepts only a subset it models completely and returns `None` for anything else (templates,
//! heredocs, expressions, duplicate keys...). `None` sends the caller to the full reference parse,
//! so the subset only decides speed, never the verdict. The property tests in
//! `src/edit/properties.rs` check that whatever it accepts, it reads exactly as hcl-rs does.

use std::borrow::Cow;

use crate::edit::lex::{KeyLog, any_repeat, escape, stop_table};

/// An object key: identifier or quoted string, as HCL distinguishes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HKey<'a> {
    Ident(Cow<'a, str>),
    Str(Cow<'a, str>),
}

impl<'a> HKey<'a> {
    pub fn name(&self) -> &str {
        match self {
            HKey::Ident(s) | HKey::Str(s) => s,
        }
    }

    /// The key as Terraform reads it: `foo` and `"foo"` (or `"\u0066oo"`) are the same key.
    pub fn name_cow(&self) -> Cow<'a, str> {
        match self {
            HKey::Ident(s) | HKey::Str(s) => s.clone(),
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
            items.push(item);
        }
        // The same key twice: the reference path refuses it.
        (!any_repeat(&items, |o| Cow::Borrowed(o.key.name()))).then_some(items)
    }
}

/// The items of the object whose `{` is at byte `open`, one at a time, so that two versions of a
/// large map can be compared without holding either. Yields `None` once anything outside the
/// subset is met, and last when a key came twice (so callers read to the end before trusting an
/// item); [`HclItems::close`] is the offset of the `}` after the end.
pub struct HclItems<'a> {
    p: Hcl<'a>,
    /// The keys so far (by name: `foo` and `"foo"` are one key), to reject duplicates once the
    /// object ends; `None` for [`HclItems::mirroring`].
    seen: Option<KeyLog<Cow<'a, str>>>,
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
        (text.as_bytes().get(open) == Some(&b'{')).then(|| Self::at(text, open + 1, check_keys))
    }

    /// The new side of a lockstep walk that starts at byte `at` of `text`, where an item of the
    /// object's top level begins (the [`HclItems::position`] of an old walk before that item).
    pub fn mirroring_at(text: &'a str, at: usize) -> Self {
        Self::at(text, at, false)
    }

    fn at(text: &'a str, i: usize, check_keys: bool) -> Self {
        HclItems {
            p: Hcl {
                s: text,
                b: text.as_bytes(),
                i,
            },
            seen: check_keys.then(KeyLog::new),
            close: None,
            done: false,
        }
    }

    /// Where the walk is: the byte after the item last read (or the `{`). Reading an item looks
    /// at no byte past the position after it (its separator, a line break or `}`, is looked at
    /// and left there).
    pub fn position(&self) -> usize {
        self.p.i
    }

    /// The offset of the closing brace, once every item was read.
    pub fn close(&self) -> Option<usize> {
        self.close
    }

    /// Once every item was read (and none was `None`): the items' keys (by name) as (hash,
    /// index) pairs sorted as [`crate::edit::lex::by_hash_then_key`] sorts them, which the
    /// duplicate-key check did; `None` for [`HclItems::mirroring`].
    pub fn sorted_keys(self) -> Option<Vec<(u64, usize)>> {
        self.close.and(self.seen).map(KeyLog::into_sorted)
    }
}

impl<'a> Iterator for HclItems<'a> {
    type Item = Option<HItem<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.p.item(0) {
            Some(Some(item)) => {
                if let Some(seen) = &mut self.seen {
                    seen.push(item.key.name_cow());
                }
                Some(Some(item))
            }
            // The end; a key read twice makes it a `None`.
            Some(None) => {
                self.done = true;
                if self.seen.as_mut().is_some_and(KeyLog::has_repeat) {
                    return Some(None);
                }
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
#[cfg(test)]
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

/// The bytes [`hcl_close`] acts on once it has found the first item, and inside a string.
const CLOSE_STOP: [bool; 256] = stop_table(b"\"#/<{[(}])");
const CLOSE_STR_STOP: [bool; 256] = stop_table(b"\"\\\n$%");

/// The `}` that closes the object whose `{` is at `open`, and where its first item starts: a quick
/// lexical scan (strings, comments, nesting). Callers check the answer against the real parse.
/// Once the first item is found, the bytes that change nothing are stepped over a run at a time.
pub fn hcl_close(text: &str, open: usize) -> Option<(usize, Option<usize>)> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut first) = (open + 1, 0usize, None);
    while i < b.len() {
        if first.is_some() {
            i += b[i..].iter().position(|&c| CLOSE_STOP[usize::from(c)])?;
        }
        let c = b[i];
        let ws = matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',');
        if !ws && depth == 0 && first.is_none() && c != b'}' && c != b'#' && c != b'/' {
            first = Some(i);
        }
        match c {
            b'"' => {
                i += 1;
                loop {
                    i += b
                        .get(i..)?
                        .iter()
                        .position(|&c| CLOSE_STR_STOP[usize::from(c)])?;
                    match b[i] {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => return None, // a line break, `${` or `%{`: not for the quick scan
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
