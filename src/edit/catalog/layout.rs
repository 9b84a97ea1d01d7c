//! Where things stand in a catalog's text, from its lines alone (no parse): the top-level keys and
//! the blocks under them (`Layout`), a key's inline value, blank and comment lines, the file's
//! indentation, and the in-place patches that keep its style (`last_updated` in its quoting, the
//! header of a final block scalar).

use super::LAST_UPDATED;
use crate::edit::text::{self, Line, Lines, Patch, indent_of};
use crate::error::{Error, ErrorCode, Result};

/// What a column-0 line of the document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TopLine {
    /// `key:` with the byte offset just after the colon.
    Key { key: String, after_colon: usize },
    /// `---` or `...`.
    Marker,
    /// Anything else at column 0 (a flow continuation, a complex key...).
    Other,
}

/// Classify a non-blank, non-comment line that starts at column 0.
fn classify(text: &str, line: Line) -> TopLine {
    let s = &text[line.start..line.end];
    let is_marker = |m: &str| {
        s.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    if is_marker("---") || is_marker("...") {
        return TopLine::Marker;
    }
    let (key, rest_at) = match s.as_bytes()[0] {
        q @ (b'"' | b'\'') => {
            let mut i = 1;
            let b = s.as_bytes();
            let mut key = String::new();
            loop {
                if i >= b.len() {
                    return TopLine::Other;
                }
                if b[i] == q {
                    if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        key.push('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                if q == b'"' && b[i] == b'\\' {
                    // Escapes in keys are not needed for the keys we look for.
                    return TopLine::Other;
                }
                let ch = s[i..].chars().next().unwrap_or('\0');
                key.push(ch);
                i += ch.len_utf8();
            }
            let after = i + 1;
            let rest = &s[after..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if !trimmed.starts_with(':') {
                return TopLine::Other;
            }
            (key, after + (rest.len() - trimmed.len()))
        }
        b'?' | b'-' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' => return TopLine::Other,
        _ => {
            let b = s.as_bytes();
            let pos = (0..b.len())
                .find(|&i| b[i] == b':' && (i + 1 == b.len() || matches!(b[i + 1], b' ' | b'\t')));
            match pos {
                Some(p) => (s[..p].trim_end().to_string(), p),
                None => return TopLine::Other,
            }
        }
    };
    TopLine::Key {
        key,
        after_colon: line.start + rest_at + 1,
    }
}

pub(super) fn is_blank(text: &str, line: Line) -> bool {
    text[line.start..line.end].trim().is_empty()
}

pub(super) fn is_comment(text: &str, line: Line) -> bool {
    text[line.start..line.end].trim_start().starts_with('#')
}

/// Where a top-level key stands in the text.
pub(super) struct KeyAt {
    pub(super) line_idx: usize,
    pub(super) after_colon: usize,
}

pub(super) struct Layout<'a> {
    pub(super) lines: Lines<'a>,
    /// The lines that start a top-level element (key, marker or other content), in order.
    pub(super) top: Vec<(usize, TopLine)>,
}

impl<'a> Layout<'a> {
    pub(super) fn new(text: &'a str) -> Layout<'a> {
        let lines = text::lines(text);
        let top = lines
            .iter()
            .enumerate()
            .filter(|&(_, l)| {
                let s = &text[l.start..l.end];
                !(s.is_empty() || s.starts_with([' ', '\t', '#']) || is_blank(text, l))
            })
            .map(|(i, l)| (i, classify(text, l)))
            .collect();
        Layout { lines, top }
    }

    pub(super) fn find_key(&self, key: &str) -> Result<Option<KeyAt>> {
        let mut found = None;
        for &(i, ref t) in &self.top {
            if let TopLine::Key {
                key: k,
                after_colon,
            } = t
            {
                if k == key {
                    if found.is_some() {
                        return Err(Error::new(
                            ErrorCode::Malformed,
                            format!("the top-level key `{key}` appears twice"),
                        )
                        .at(i + 1, 1));
                    }
                    found = Some(KeyAt {
                        line_idx: i,
                        after_colon: *after_colon,
                    });
                }
            }
        }
        Ok(found)
    }

    /// The index of the first line after `from` that starts another top-level element.
    pub(super) fn block_end(&self, from: usize) -> usize {
        let next = self.top.partition_point(|(i, _)| *i <= from);
        self.top.get(next).map_or(self.lines.len(), |(i, _)| *i)
    }

    /// Indentation of the first indented content line of the whole document.
    pub(super) fn indent_unit(&self, text: &str) -> Option<usize> {
        self.lines.iter().find_map(|l| {
            let s = &text[l.start..l.end];
            let n = indent_of(s);
            (n > 0 && !is_blank(text, l) && !is_comment(text, l)).then_some(n)
        })
    }
}

/// Byte range of the scalar value after a key's colon on the same line, or `None` when empty.
pub(super) fn inline_value(
    text: &str,
    line: Line,
    after_colon: usize,
) -> Option<std::ops::Range<usize>> {
    let s = &text[after_colon..line.end];
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    let start = after_colon + lead;
    let v = &text[start..line.end];
    let b = v.as_bytes();
    match b.first()? {
        b'#' => None,
        b'"' => {
            let mut i = 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return Some(start..start + i + 1),
                    _ => i += 1,
                }
            }
            None
        }
        b'\'' => {
            let mut i = 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(start..start + i + 1);
                }
                i += 1;
            }
            None
        }
        _ => {
            let end = (0..b.len())
                .find(|&i| b[i] == b'#' && i > 0 && matches!(b[i - 1], b' ' | b'\t'))
                .unwrap_or(b.len());
            let val = v[..end].trim_end();
            Some(start..start + val.len())
        }
    }
}

/// Only blank lines and comments: no YAML node at all.
pub(super) fn is_empty_document(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim_start_matches([' ', '\t']);
        t.trim_end().is_empty() || t.starts_with('#')
    })
}

/// `last_updated` set to `today` in place, keeping its quoting style: `None` when the key is
/// missing, `Some(None)` when it already says `today`.
pub(super) fn last_updated_patch(
    text: &str,
    layout: &Layout,
    today: &str,
) -> Result<Option<Option<Patch>>> {
    let Some(k) = layout.find_key(LAST_UPDATED)? else {
        return Ok(None);
    };
    let line = layout.lines.get(k.line_idx);
    let Some(range) = inline_value(text, line, k.after_colon) else {
        // `last_updated:` alone (or with a comment) and nothing indented below it: null.
        let after = text[k.after_colon..line.end].trim_start_matches([' ', '\t']);
        let end = layout.block_end(k.line_idx);
        let nested = (k.line_idx + 1..end).any(|i| {
            let l = layout.lines.get(i);
            !is_blank(text, l) && !is_comment(text, l)
        });
        if nested || !(after.is_empty() || after.starts_with('#')) {
            return Err(Error::new(
                ErrorCode::Unsupported,
                "`last_updated` has no value on its own line; write it as `last_updated: \"YYYY-MM-DD\"`",
            )
            .at(k.line_idx + 1, 1));
        }
        return Ok(Some(Some(Patch::insert(
            k.after_colon,
            format!(" \"{today}\""),
        ))));
    };
    let current = text[range.clone()].trim_matches(['"', '\'']);
    if current == today {
        return Ok(Some(None));
    }
    let with = match text.as_bytes()[range.start] {
        b'\'' => format!("'{today}'"),
        b'"' => format!("\"{today}\""),
        _ => today.to_string(),
    };
    Ok(Some(Some(Patch { range, with })))
}

/// The patch that turns the header of the block scalar holding the file's last line from clip
/// (`|`, `>`, with an optional indentation digit) into strip (`|-`): at the end of a file without a
/// final newline the two read the same, and the strip form stays the same after a line break is
/// added. `Unsupported` when the file ends otherwise.
pub(super) fn strip_final_block_scalar(text: &str, layout: &Layout) -> Result<Patch> {
    let none = || {
        Error::new(
            ErrorCode::Unsupported,
            "the file does not end in a block scalar",
        )
    };
    if text.ends_with('\n') {
        return Err(none());
    }
    let last = (0..layout.lines.len())
        .rev()
        .find(|&i| !is_blank(text, layout.lines.get(i)))
        .ok_or_else(none)?;
    let l = layout.lines.get(last);
    let last_indent = indent_of(&text[l.start..l.end]);
    // The nearest line above that is less indented holds the header.
    let owner = (0..last)
        .rev()
        .find(|&i| {
            let l = layout.lines.get(i);
            !is_blank(text, l) && indent_of(&text[l.start..l.end]) < last_indent
        })
        .ok_or_else(none)?;
    let ol = layout.lines.get(owner);
    let s = &text[ol.start..ol.end];
    let body = s.split(" #").next().unwrap_or(s).trim_end();
    let header_at = body.rfind([' ', '\t']).map_or(0, |p| p + 1);
    let header = &body[header_at..];
    let hb = header.as_bytes();
    let clip = matches!(hb.first(), Some(b'|' | b'>'))
        && hb[1..].iter().all(u8::is_ascii_digit)
        && (header_at == 0 || body[..header_at].trim_end().ends_with([':', '-']));
    if !clip {
        return Err(none());
    }
    Ok(Patch::insert(ol.start + header_at + 1, "-".into()))
}
