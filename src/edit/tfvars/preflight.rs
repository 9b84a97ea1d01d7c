//! A linear scan of a tfvars text before hcl-edit parses it. hcl-edit's expression parser
//! backtracks through every enclosing level when a deeply nested expression fails to parse: found
//! by cargo fuzz, 23 lines of unclosed `{`/`(` took 11 s, each further level about 2.5× more. Bracket
//! nesting (outside strings, comments and heredocs) deeper than [`MAX_NESTING`] is refused at once.
//! A lone carriage return is refused too: it is not a line break to HCL or to the editor. So is a
//! quoted string that runs past the end of its line outside `${…}`: hcl-edit accepts it,
//! HashiCorp's parser (terraform) does not. The count it returns weighs wide objects, whose cost
//! grows with the square of their keys ([`PAIRS_PER_NODE`]).

use crate::edit::lex::stop_table;
use crate::edit::text::no_lone_carriage_return;
use crate::error::{Error, ErrorCode, Result};

/// Deeper nesting of `{`, `[` and `(` is refused before parsing (the platform's map needs 3).
pub const MAX_NESTING: usize = 12;

/// hcl-edit's object is a vector map: each key it parses is compared with every earlier key of the
/// same object, so an object of `k` keys costs `k(k-1)/2` comparisons (one object of 5,900 keys,
/// 100 KB: 220 ms to parse on the bench machine). The scan counts them as nodes, this many to a
/// node: about 12 ns each, so the node budget holds an object of about 1,500 keys at most (15 ms
/// of comparisons), and small objects (16 keys or fewer) add nothing.
pub const PAIRS_PER_NODE: usize = 128;

/// hcl-edit reads a heredoc a line and a character at a time: 1 MiB of heredoc took it 70-90 ms
/// on the bench machine, about what 32 bytes to a node weighs (a node is about 2.5 µs). A
/// heredoc counts one node per this many bytes, so the node budget refuses a file whose heredocs
/// would take the parser past the time bound (about 380 KB of them) before it is parsed.
pub const HEREDOC_BYTES_PER_NODE: usize = 32;

/// Where the scan is: in code, in a quoted string, or in an interpolation inside one (which is
/// code again, and ends with the `}` that brings the nesting back to `base`).
#[derive(Clone, Copy)]
enum Frame {
    Str,
    Interp { base: usize },
}

/// The bytes the scan acts on inside a quoted string, and in code.
const STR_STOP: [bool; 256] = stop_table(b"\n\\\"$%");
const CODE_STOP: [bool; 256] = stop_table(b"\n#/\",=:<{[(}])");

/// Check a tfvars text; see the module documentation.
pub fn check(text: &str) -> Result<()> {
    scan(text).map(drop)
}

/// Check a tfvars text and count its syntax nodes, roughly (brackets, `,`, `=`, `:`, strings,
/// heredocs and template sequences), plus each object's key pairs over [`PAIRS_PER_NODE`]: what
/// hcl-edit's time grows with.
pub fn scan(text: &str) -> Result<usize> {
    no_lone_carriage_return(text)?;
    let b = text.as_bytes();
    let (mut i, mut line, mut line_start, mut depth) = (0, 1, 0, 0usize);
    let mut frames: Vec<Frame> = Vec::new();
    let mut nodes = 0usize;
    // One slot per open bracket or interpolation: the keys so far when it is an object (`{` in
    // code; every `=` and `:` at its level counts, which can only overcount).
    let mut open: Vec<Option<usize>> = Vec::new();
    let pairs = |keys: Option<usize>| {
        let k = keys.unwrap_or(0) as u64; // u64: the square of a key count overflows a wasm32 usize
        usize::try_from(k * k.saturating_sub(1) / 2 / PAIRS_PER_NODE as u64).unwrap_or(usize::MAX)
    };
    let at =
        |line: usize, line_start: usize, i: usize| (line, text[line_start..i].chars().count() + 1);
    let too_deep = |l: usize, c: usize| {
        Error::new(
            ErrorCode::Malformed,
            format!(
                "brackets are nested more than {MAX_NESTING} levels deep here; the file is refused before parsing (the HCL parser would take time exponential in the depth)"
            ),
        )
        .at(l, c)
    };
    while i < b.len() {
        // Step over the bytes that change nothing (names, numbers, blanks, a string's text).
        let stop = if matches!(frames.last(), Some(Frame::Str)) {
            &STR_STOP
        } else {
            &CODE_STOP
        };
        match b[i..].iter().position(|&c| stop[usize::from(c)]) {
            Some(p) => i += p,
            None => break,
        }
        let c = b[i];
        if c == b'\n' {
            if matches!(frames.last(), Some(Frame::Str)) {
                return Err(Error::new(
                    ErrorCode::Malformed,
                    "a quoted string runs past the end of its line; HashiCorp's parser (terraform) rejects multi-line quoted strings (use a heredoc)",
                )
                .at(line, 1));
            }
            line += 1;
            line_start = i + 1;
            i += 1;
            continue;
        }
        if let Some(Frame::Str) = frames.last() {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    frames.pop();
                }
                b'$' | b'%' if b.get(i + 1) == Some(&c) => i += 1,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    frames.push(Frame::Interp { base: depth });
                    open.push(None);
                    depth += 1;
                    nodes += 1;
                    i += 1;
                    if depth > MAX_NESTING {
                        let (l, col) = at(line, line_start, i);
                        return Err(too_deep(l, col));
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => i = line_end(b, i) - 1,
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i) - 1,
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                line += text[i..end].matches('\n').count();
                if let Some(p) = text[i..end].rfind('\n') {
                    line_start = i + p + 1;
                }
                i = end - 1;
            }
            b'"' => {
                frames.push(Frame::Str);
                nodes += 1;
            }
            b',' => nodes += 1,
            b'=' | b':' => {
                nodes += 1;
                if let Some(Some(keys)) = open.last_mut() {
                    *keys += 1;
                }
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                // A heredoc: skip to the line holding only its marker.
                let start = i + 2 + usize::from(b.get(i + 2) == Some(&b'-'));
                // The marker, then the line break (LF or CRLF). Any characters but blanks count:
                // the parser's identifiers take combining marks and more, and a budget that
                // counts a heredoc too many only refuses sooner.
                let marker_len = text[start..]
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .map(char::len_utf8)
                    .sum::<usize>();
                let j = start + marker_len;
                let marker = &text[start..j];
                let eol = match (b.get(j), b.get(j + 1)) {
                    (Some(b'\n'), _) => Some(j + 1),
                    (Some(b'\r'), Some(b'\n')) => Some(j + 2),
                    _ => None,
                };
                if let (false, Some(body)) = (marker.is_empty(), eol) {
                    let mut k = body;
                    nodes += 1;
                    line += 1;
                    loop {
                        let end = line_end(b, k);
                        // The closing line: the marker after any indentation, and nothing after
                        // it but the CR of a CRLF (the parser ends a heredoc at no other line).
                        let raw = &text[k..end];
                        let l = raw.strip_suffix('\r').unwrap_or(raw).trim_start();
                        nodes += template_starts(l.as_bytes());
                        k = (end + 1).min(b.len());
                        if l == marker || end >= b.len() {
                            break;
                        }
                        line += 1;
                    }
                    nodes = nodes.saturating_add((k - body) / HEREDOC_BYTES_PER_NODE);
                    line_start = k;
                    i = k;
                    continue;
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                nodes += 1;
                open.push((c == b'{').then_some(0));
                if depth > MAX_NESTING {
                    let (l, col) = at(line, line_start, i);
                    return Err(too_deep(l, col));
                }
            }
            b'}' if matches!(frames.last(), Some(Frame::Interp { base }) if *base + 1 == depth) => {
                frames.pop();
                open.pop();
                depth -= 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                nodes = nodes.saturating_add(open.pop().map_or(0, pairs));
            }
            _ => {}
        }
        i += 1;
    }
    // Objects left open cost the parser as much before it fails.
    Ok(open
        .into_iter()
        .map(pairs)
        .fold(nodes, usize::saturating_add))
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

/// How many `${` and `%{` a heredoc line holds (each a template sequence, a node to the parser):
/// one search for `{` per line, where two substring searchers per line cost more than the scan of
/// a file of many short lines.
fn template_starts(line: &[u8]) -> usize {
    memchr::memchr_iter(b'{', line)
        .filter(|&p| p > 0 && matches!(line[p - 1], b'$' | b'%'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_at_once() {
        let deep = format!("x = {}1{}\n", "{a = ".repeat(13), "}".repeat(13));
        let e = check(&deep).unwrap_err();
        assert_eq!((e.code, e.line), (ErrorCode::Malformed, Some(1)));
        let ok = format!("x = {}1{}\n", "[".repeat(12), "]".repeat(12));
        assert!(check(&ok).is_ok());
    }

    #[test]
    fn template_starts_counts_what_two_substring_searches_count() {
        for l in [
            "",
            "{",
            "${",
            "%{",
            "$${x}",
            "${${",
            "%${",
            "a ${b} %{ if c }",
            "{{${%{",
            "$",
            "%",
        ] {
            assert_eq!(
                super::template_starts(l.as_bytes()),
                l.matches("${").count() + l.matches("%{").count(),
                "{l:?}"
            );
        }
    }

    #[test]
    fn brackets_in_strings_comments_and_heredocs_do_not_count() {
        let many = "{".repeat(40);
        for text in [
            format!("x = \"{many}\"\n"),
            format!("x = 1 # {many}\n"),
            format!("x = 1 // {many}\n"),
            format!("x = 1 /* {many}\n{many} */\n"),
            format!("x = <<EOT\n{many}\nEOT\ny = 1\n"),
            format!("x = <<-EOT\n  {many}\n  EOT\n"),
            format!("x = \"a\\\"{many}\"\n"),
        ] {
            assert!(check(&text).is_ok(), "{text}");
        }
    }

    /// `x = { k0 = "x" … }` with `keys` keys.
    fn object_of(keys: usize) -> String {
        let mut text = String::from("x = {\n");
        for i in 0..keys {
            text.push_str(&format!("  k{i} = \"x\"\n"));
        }
        text + "}\n"
    }

    #[test]
    fn a_wide_object_costs_the_square_of_its_keys() {
        // `=`, `{`, and `=` and a string per key: linear up to 16 keys.
        for k in [0, 1, 16] {
            assert_eq!(scan(&object_of(k)).unwrap(), 2 + 2 * k);
        }
        assert_eq!(scan(&object_of(17)).unwrap(), 2 + 2 * 17 + 1);
        assert_eq!(
            scan(&object_of(5_900)).unwrap(),
            2 + 2 * 5_900 + 5_900 * 5_899 / 2 / PAIRS_PER_NODE
        );
        // Nested objects count apart; a list's items are not keys; neither are an
        // interpolation's, and its `}` does not close the object.
        let nested = "x = { a = { b = 1, c = 2 }, d = [1, 2], e = \"${f}\" }\n";
        assert_eq!(scan(nested).unwrap(), 15);
        // An object left open is counted too.
        let open = object_of(100);
        assert_eq!(scan(&open[..open.len() - 2]).unwrap(), scan(&open).unwrap());
    }

    #[test]
    fn multi_line_quoted_strings_are_refused_but_not_interpolations() {
        let e = check("x = \"a\nb\"\n").unwrap_err();
        assert_eq!((e.code, e.line), (ErrorCode::Malformed, Some(1)));
        assert!(check("x = \"${upper(\n\"a\")}\"\n").is_ok());
        assert!(check("x = \"a ${1 +\n2} b $${x\" \n").is_ok());
        // Brackets inside an interpolation count; inside the string around it they do not.
        let deep = format!("x = \"${{{}1{}}}\"\n", "[".repeat(12), "]".repeat(12));
        assert_eq!(check(&deep).unwrap_err().code, ErrorCode::Malformed);
        assert!(check(&format!("x = \"{}\"\n", "{[(".repeat(20))).is_ok());
    }

    #[test]
    fn lone_carriage_returns_are_refused() {
        assert!(check("a = 1\r\nb = 2\r\n").is_ok());
        let e = check("a = 1\rb = 2\n").unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
    }
}
