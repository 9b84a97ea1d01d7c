//! A linear scan of a catalog before any YAML parser sees it, for what the reference parser would
//! accept wrongly or only slowly:
//!
//! - flow collections nested more than [`MAX_FLOW_DEPTH`] levels: libyaml (under serde_yaml)
//!   rechecks every open level on every token, so `[[[[…]]]]` costs time quadratic in the depth
//!   (80 KB took 9 s before it was refused anyway at 128 levels);
//! - what YAML 1.2 and PyYAML (the platform's own reader) reject but libyaml accepts: a comment
//!   right after a block scalar indicator (`notes: >#c`), a tab indenting a line inside a flow
//!   collection, and a tag on the top-level node (`--- !!set`), which PyYAML reads as a set.
//!
//! It only refuses; it never decides that a file is valid (the reference parse still does). When
//! unsure it lets the text through.

use crate::error::{Error, ErrorCode, Result};

/// Deeper flow nesting is refused before parsing.
pub const MAX_FLOW_DEPTH: usize = 64;

fn refuse(line: usize, column: usize, message: String) -> Error {
    Error::new(ErrorCode::Malformed, message).at(line, column)
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Check a catalog text; see the module documentation.
pub fn check(text: &str) -> Result<()> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = 0;
    let mut depth = 0usize;
    // At the start of a node: a flow collection, a quoted scalar, a tag or a block scalar may begin.
    let mut node_start = true;
    // The root node of the current document has not begun yet.
    let mut before_root = true;
    // Inside a block scalar: lines more indented than this (or blank) are its content.
    let mut block_scalar: Option<usize> = None;
    while i < b.len() {
        if i == line_start {
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            let blank = b[i + indent..]
                .iter()
                .take_while(|&&c| c != b'\n')
                .all(|&c| is_blank(c));
            if let Some(n) = block_scalar {
                if blank || indent > n {
                    i = next_line(b, i);
                    line += 1;
                    line_start = i;
                    continue;
                }
                block_scalar = None;
            }
            if depth > 0 && b[i] == b'\t' {
                return Err(refuse(
                    line,
                    1,
                    "a tab indents this line inside a flow collection; YAML indents with spaces only (PyYAML rejects it)".into(),
                ));
            }
            if depth == 0
                && (b[i..].starts_with(b"---") || b[i..].starts_with(b"..."))
                && b.get(i + 3).is_none_or(|&c| is_blank(c))
            {
                before_root = b[i] == b'-';
                node_start = true;
                i += 3;
                continue;
            }
            if depth == 0 && b[i] == b'%' {
                i = next_line(b, i);
                line += 1;
                line_start = i;
                continue;
            }
            node_start = true;
        }
        let c = b[i];
        match c {
            b'\n' => {
                i += 1;
                line += 1;
                line_start = i;
                continue;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == line_start || is_blank(b[i - 1]) => {
                i = next_line(b, i);
                line += 1;
                line_start = i;
                continue;
            }
            b'"' | b'\'' if node_start || depth > 0 && is_token_start(b, i) => {
                let (end, lines) = quoted(b, i);
                before_root = false;
                node_start = false;
                line += lines;
                if lines > 0 {
                    line_start = b[..end]
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |p| p + 1);
                }
                i = end;
                continue;
            }
            b'[' | b'{' if node_start || depth > 0 => {
                depth += 1;
                before_root = false;
                if depth > MAX_FLOW_DEPTH {
                    return Err(refuse(
                        line,
                        text[line_start..i].chars().count() + 1,
                        format!(
                            "flow collections are nested more than {MAX_FLOW_DEPTH} levels deep here; the catalog is refused before parsing (a YAML parser would take time quadratic in the depth)"
                        ),
                    ));
                }
                node_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                node_start = false;
            }
            b',' if depth > 0 => node_start = true,
            b':' if b
                .get(i + 1)
                .is_none_or(|&n| is_blank(n) || depth > 0 && matches!(n, b',' | b']' | b'}')) =>
            {
                node_start = true;
            }
            b'-' | b'?' if node_start && b.get(i + 1).is_none_or(|&n| is_blank(n)) => {}
            b'|' | b'>' if node_start && depth == 0 => {
                // The header: chomping and indentation indicators, then blanks before any comment.
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], b'+' | b'-' | b'0'..=b'9') {
                    j += 1;
                }
                if b.get(j) == Some(&b'#') {
                    return Err(refuse(
                        line,
                        text[line_start..j].chars().count() + 1,
                        "a comment after a block scalar indicator needs a space before '#' (YAML 1.2 and PyYAML reject it)".into(),
                    ));
                }
                let indent = b[line_start..].iter().take_while(|&&c| c == b' ').count();
                block_scalar = Some(indent);
                before_root = false;
                i = next_line(b, i);
                line += 1;
                line_start = i;
                continue;
            }
            b'!' if node_start && depth == 0 && before_root => {
                return Err(refuse(
                    line,
                    text[line_start..i].chars().count() + 1,
                    "the catalog's top-level node has a tag; it must be a plain mapping (PyYAML would read `!!set` and others as another type)".into(),
                ));
            }
            b'&' | b'!' if node_start => {
                // An anchor or a tag before a node: the node starts after it.
                while i < b.len() && !is_blank(b[i]) {
                    i += 1;
                }
                continue;
            }
            _ => {
                node_start = false;
                before_root = false;
            }
        }
        i += 1;
    }
    Ok(())
}

fn next_line(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p + 1)
}

/// Whether a quote at `i` (inside a flow collection) opens a quoted scalar.
fn is_token_start(b: &[u8], i: usize) -> bool {
    i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':')
}

/// The end of the quoted scalar opening at `i`, and how many line breaks it holds. An unclosed
/// scalar runs to the end (the parser reports it).
fn quoted(b: &[u8], i: usize) -> (usize, usize) {
    let q = b[i];
    let mut j = i + 1;
    let mut lines = 0;
    while j < b.len() {
        match b[j] {
            b'\\' if q == b'"' => j += 1,
            b'\'' if q == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 1,
            c if c == q => return (j + 1, lines),
            b'\n' => lines += 1,
            _ => {}
        }
        j += 1;
    }
    (b.len(), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<(usize, String)> {
        check(text)
            .err()
            .map(|e| (e.line.unwrap_or(0), e.message.clone()))
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_once() {
        let deep = format!(
            "repositories: {{}}\nd: {}{}\n",
            "[".repeat(40_000),
            "]".repeat(40_000)
        );
        let (line, m) = refused(&deep).unwrap();
        assert_eq!(line, 2);
        assert!(m.contains("64 levels"), "{m}");
        let ok = format!("d: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(refused(&ok), None);
        let mixed = format!("d: {}1{}\n", "[{a: ".repeat(40), "}]".repeat(40));
        assert!(refused(&mixed).is_some());
    }

    #[test]
    fn brackets_in_scalars_comments_and_block_scalars_do_not_count() {
        let many = "[".repeat(100);
        for text in [
            format!("a: x{many}\n"),
            format!("a: \"{many}\"\n"),
            format!("a: '{many}'\n"),
            format!("a: 1 # {many}\n"),
            format!("a: |\n  {many}\n  {many}\nb: 1\n"),
            format!("a: >-\n\n  {many}\n"),
            format!("a: [\"{many}\", '{many}']\n"),
        ] {
            assert_eq!(refused(&text), None, "{text}");
        }
    }

    #[test]
    fn what_pyyaml_rejects_is_refused() {
        assert!(
            refused("notes: >#c\n  text\n")
                .unwrap()
                .1
                .contains("block scalar")
        );
        assert!(refused("notes: |-#c\n  text\n").is_some());
        assert_eq!(refused("notes: > # c\n  text\n"), None);
        let (line, m) = refused("repositories: {}\nxs: [\n\ta, b]\n").unwrap();
        assert_eq!(line, 3);
        assert!(m.contains("tab"), "{m}");
        assert_eq!(refused("xs: [\n  a,\tb]\n"), None);
        assert!(
            refused("--- !!set\nrepositories: {}\n")
                .unwrap()
                .1
                .contains("tag")
        );
        assert!(refused("!!map\nrepositories: {}\n").is_some());
        assert_eq!(refused("---\nrepositories: !!map {}\n"), None);
        assert_eq!(refused("%YAML 1.2\n---\nrepositories: {}\n"), None);
    }
}
