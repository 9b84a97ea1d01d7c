//! Text positions for the editors: line endings, line starts, byte offsets as line and column, and
//! span patches (an edit is a set of non-overlapping patches over the original text, so every byte
//! outside them is copied as it was: a minimal diff by construction).

use std::ops::Range;

/// The line terminator a file uses, judged by its first line break (LF when it has none).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The refusal of a carriage return that no line feed follows, if the text has one. LF and CRLF
/// are the line breaks the editors know; YAML reads a lone CR as one more, HCL as none.
pub fn no_lone_carriage_return(text: &str) -> crate::Result<()> {
    let b = text.as_bytes();
    match memchr::memchr_iter(b'\r', b).find(|&i| b.get(i + 1) != Some(&b'\n')) {
        None => Ok(()),
        Some(at) => {
            let (line, column) = position(text, at);
            Err(crate::Error::new(
                crate::ErrorCode::Unsupported,
                "a carriage return without a line feed (an old Mac line ending); use LF or CRLF line endings",
            )
            .at(line, column))
        }
    }
}

/// One-based (line, column) of a byte offset; the column counts characters.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A line of a text: `start..end` excludes the terminator, `next` is where the following line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

impl Line {
    pub fn has_terminator(&self) -> bool {
        self.next > self.end
    }
}

/// The lines of a text (LF or CRLF), as the offsets where each one starts: 8 bytes a line instead
/// of a [`Line`]'s 24 (a 10,000-entry catalog has 80,000 lines). A final line without terminator is
/// included when non-empty.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Line `i`; `i` must be below [`Lines::len`].
    pub fn get(&self, i: usize) -> Line {
        let bytes = self.text.as_bytes();
        let start = self.starts[i];
        let next = self.starts.get(i + 1).copied().unwrap_or(bytes.len());
        let mut end = next;
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        Line { start, end, next }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Line> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Split a text into lines (LF or CRLF).
pub fn lines(text: &str) -> Lines<'_> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 32);
    if !bytes.is_empty() {
        starts.push(0);
    }
    starts.extend(
        memchr::memchr_iter(b'\n', bytes)
            .map(|nl| nl + 1)
            .filter(|&next| next < bytes.len()),
    );
    Lines { text, starts }
}

/// Number of leading spaces of a line.
pub fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// A replacement of `range` in the original text by `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    pub range: Range<usize>,
    pub with: String,
}

impl Patch {
    pub fn insert(at: usize, with: String) -> Self {
        Patch {
            range: at..at,
            with,
        }
    }
}

/// Apply non-overlapping patches. They are sorted by position; every byte outside the patched
/// ranges is copied as it was. Overlapping patches are an internal fault.
pub fn apply_patches(text: &str, mut patches: Vec<Patch>) -> Result<String, String> {
    patches.sort_by_key(|p| (p.range.start, p.range.end));
    for pair in patches.windows(2) {
        if pair[0].range.end > pair[1].range.start {
            return Err(format!(
                "internal: overlapping edits at bytes {:?} and {:?}",
                pair[0].range, pair[1].range
            ));
        }
    }
    // Built front to back at its exact size: a large file is copied once, not reallocated.
    let len = patches.iter().fold(text.len() as isize, |n, p| {
        n + p.with.len() as isize - (p.range.end as isize - p.range.start as isize)
    });
    let mut out = String::with_capacity(len.max(0) as usize);
    let mut at = 0;
    for p in &patches {
        if p.range.end > text.len()
            || !text.is_char_boundary(p.range.start)
            || !text.is_char_boundary(p.range.end)
        {
            return Err(format!("internal: edit range {:?} out of bounds", p.range));
        }
        out.push_str(&text[at..p.range.start]);
        out.push_str(&p.with);
        at = p.range.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// How many leading bytes `a` and `b` share. Chunks first: comparing 1 MB byte by byte would be
/// a visible share of an edit.
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let chunks = a
        .chunks(64)
        .zip(b.chunks(64))
        .take_while(|(x, y)| x == y)
        .count();
    let from = (chunks * 64).min(a.len()).min(b.len());
    from + a[from..]
        .iter()
        .zip(&b[from..])
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_terminators_apart() {
        let t = "a\r\nb\nc";
        let ls = lines(t);
        assert_eq!(ls.len(), 3);
        assert_eq!(&t[ls.get(0).start..ls.get(0).end], "a");
        assert_eq!(ls.get(0).next, 3);
        assert_eq!(&t[ls.get(1).start..ls.get(1).end], "b");
        assert_eq!(&t[ls.get(2).start..ls.get(2).end], "c");
        assert!(!ls.get(2).has_terminator());
        assert_eq!(lines("").len(), 0);
        let ls = lines("\n\r\n\r");
        assert_eq!(ls.len(), 3);
        assert_eq!((ls.get(1).start, ls.get(1).end, ls.get(1).next), (1, 1, 3));
        assert_eq!(
            (ls.get(2).start, ls.get(2).end),
            (3, 4),
            "a lone CR is content"
        );
    }

    #[test]
    fn patches_apply_back_to_front() {
        let out = apply_patches(
            "abcdef",
            vec![
                Patch::insert(6, "!".into()),
                Patch {
                    range: 1..3,
                    with: "X".into(),
                },
            ],
        )
        .unwrap();
        assert_eq!(out, "aXdef!");
        assert!(
            apply_patches(
                "abc",
                vec![
                    Patch {
                        range: 0..2,
                        with: String::new()
                    },
                    Patch {
                        range: 1..3,
                        with: String::new()
                    }
                ]
            )
            .is_err()
        );
    }
}
