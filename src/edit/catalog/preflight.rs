//! A linear scan of a catalog before any YAML parser sees it, for what the reference parser would
//! accept wrongly or only slowly:
//!
//! - flow collections nested more than [`MAX_FLOW_DEPTH`] levels: libyaml (under serde_yaml)
//!   rechecks every open level on every token, so `[[[[…]]]]` costs time quadratic in the depth
//!   (80 KB took 9 s before it was refused anyway at 128 levels);
//! - what YAML 1.2 rejects but libyaml accepts (found by the YAML test suite and by adversarial
//!   files): a comment right after a block scalar indicator (`notes: >#c`) or right after a quoted
//!   scalar (`"value"# c`); a line inside a flow collection or a multi-line quoted scalar that is
//!   not indented past the key it belongs to (a tab is not indentation); leading blank lines of a
//!   block scalar with more spaces than its first content line; and a tag on the top-level node
//!   (`--- !!set`), which PyYAML reads as a set;
//! - characters YAML does not allow anywhere, comments included (control characters such as NUL):
//!   the fast path reads the `repositories` block without libyaml, so they are checked here.
//!
//! It only refuses; it never decides that a file is valid (the reference parse still does). When
//! unsure it lets the text through.

use crate::config::anchor_or_alias;
use crate::edit::lex::stop_table;
use crate::edit::text::{no_lone_carriage_return, position};
use crate::error::{Error, ErrorCode, Result};

/// Deeper flow nesting is refused before parsing.
pub const MAX_FLOW_DEPTH: usize = 64;

fn refuse(line: usize, column: usize, message: String) -> Error {
    Error::new(ErrorCode::Malformed, message).at(line, column)
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// YAML's `c-printable`: tab, line breaks, printable ASCII, NEL and the non-control rest of
/// Unicode but U+FFFE and U+FFFF.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The first byte of an ASCII text that YAML does not allow: a C0 control but tab, LF and CR, or
/// DEL. A chunk at a time without an early exit, which the compiler turns into vector compares
/// (a byte-at-a-time search was 40 % of the scan of a 10,000-entry catalog).
fn unprintable_ascii(b: &[u8]) -> Option<usize> {
    const CHUNK: usize = 64;
    let bad = |c: u8| (c < b' ' && !matches!(c, b'\t' | b'\n' | b'\r')) || c == 0x7f;
    let mut chunks = b.chunks_exact(CHUNK);
    let mut start = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(0u8, |any, &c| any | u8::from(bad(c))) != 0 {
            break;
        }
        start += CHUNK;
    }
    b[start..].iter().position(|&c| bad(c)).map(|p| start + p)
}

/// Check a catalog text; see the module documentation.
pub fn check(text: &str) -> Result<()> {
    scan(text).map(drop)
}

/// Check a catalog text and count its YAML nodes (scalars, aliases and collections; keys are
/// scalars): what the reference parser's time grows with.
pub fn scan(text: &str) -> Result<usize> {
    let ascii = text.is_ascii();
    let unprintable = if ascii {
        unprintable_ascii(text.as_bytes())
    } else {
        text.char_indices()
            .find(|&(_, c)| !printable(c))
            .map(|(i, _)| i)
    };
    if let Some(at) = unprintable {
        let (line, column) = position(text, at);
        let c = text[at..].chars().next().unwrap_or('\0');
        return Err(refuse(
            line,
            column,
            format!(
                "the character U+{:04X} is not allowed in YAML, not even in a comment",
                c as u32
            ),
        ));
    }
    // YAML reads a lone CR as a line break, and YAML 1.1 readers (libyaml, PyYAML) also U+0085,
    // U+2028 and U+2029; the editor's line model (LF, CRLF) does not, so none of them is edited.
    no_lone_carriage_return(text)?;
    let yaml11_break = if ascii {
        None // all three are outside ASCII
    } else {
        text.char_indices()
            .find(|&(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
    };
    if let Some((at, c)) = yaml11_break {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "the character U+{:04X} is a line break to YAML 1.1 readers (libyaml, PyYAML) but not to YAML 1.2 ones; the catalog editor does not edit such a file",
                c as u32
            ),
        )
        .at(position(text, at).0, 1));
    }
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
    // Inside a flow collection that is the value of a key or an entry: the indentation of that
    // key's line, which every content line of the collection must exceed.
    let mut flow_owner: Option<usize> = None;
    let mut nodes = 0usize;
    while i < b.len() {
        if i == line_start {
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            // Only a block scalar or a flow collection looks at whether the line is blank.
            let blank = (block_scalar.is_some() || depth > 0)
                && b[i + indent..]
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
            if depth > 0 && !blank {
                let first = b[i + indent];
                if first == b'\t' {
                    return Err(refuse(
                        line,
                        1,
                        "a tab indents this line inside a flow collection; YAML indents with spaces only (PyYAML rejects it)".into(),
                    ));
                }
                if flow_owner.is_some_and(|n| indent <= n) && !matches!(first, b']' | b'}' | b'#') {
                    return Err(refuse(line, 1, under_indented("flow collection")));
                }
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
            // In block context a line may start a node; inside a flow collection only `[`, `{`,
            // `,` and `: ` do (a line break inside a multi-word plain scalar does not).
            if depth == 0 {
                node_start = true;
            }
            // The indentation changes nothing more: step over it (it was counted above).
            i += indent;
            if i == b.len() {
                break;
            }
        }
        if !node_start {
            // Inside a plain scalar (or after a node), only a line break, a comment or `: ` can
            // change the state, and in a flow collection also `,` and brackets: step to the next.
            // The runs are short (a word, a name): a table beats a vector search's set-up.
            let stop = if depth == 0 { &BLOCK_STOP } else { &FLOW_STOP };
            let next = b[i..].iter().position(|&c| stop[usize::from(c)]);
            match next {
                Some(p) => i += p,
                None => break,
            }
        }
        let c = b[i];
        match c {
            b'\n' => {
                i += 1;
                line += 1;
                line_start = i;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                // A blank changes nothing, nor do the spaces after it (an indentation): step over
                // them at once rather than one turn of this loop each.
                while b.get(i + 1) == Some(&b' ') {
                    i += 1;
                }
            }
            b'#' if i == line_start || is_blank(b[i - 1]) => {
                i = next_line(b, i);
                line += 1;
                line_start = i;
                continue;
            }
            b'"' | b'\'' if node_start => {
                let owner = if depth > 0 {
                    flow_owner
                } else {
                    owner_indent(b, line_start, i, before_root)
                };
                let (end, lines) = quoted(b, i, owner)
                    .map_err(|at| refuse(line + at, 1, under_indented("quoted scalar")))?;
                if b.get(end) == Some(&b'#') {
                    return Err(refuse(
                        line + lines,
                        text[..end].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                        "a comment right after a quoted scalar needs a space before '#' (YAML 1.2 rejects it)".into(),
                    ));
                }
                before_root = false;
                node_start = false;
                nodes += 1;
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
                if depth == 0 {
                    flow_owner = owner_indent(b, line_start, i, before_root);
                }
                depth += 1;
                nodes += 1;
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
            b'?' if node_start && b.get(i + 1).is_none_or(|&n| is_blank(n)) => {
                return Err(refuse(
                    line,
                    text[line_start..i].chars().count() + 1,
                    "an explicit key `? ` is not allowed in the catalog: it can make a key of a list or a mapping, which readers turn into different keys; write keys as plain or quoted strings".into(),
                ));
            }
            b'-' if node_start && b.get(i + 1).is_none_or(|&n| is_blank(n)) => {}
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
                let explicit = b[i + 1..j].iter().any(u8::is_ascii_digit);
                if !explicit {
                    leading_blanks(b, next_line(b, i), indent)
                        .map_err(|at| refuse(line + at, 1, "a leading blank line of this block scalar has more spaces than its first line of text; YAML 1.2 rejects it (give the indentation explicitly, e.g. `|2`, or remove the spaces)".into()))?;
                }
                block_scalar = Some(indent);
                nodes += 1;
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
            b'&' | b'*' if node_start && anchor_or_alias(b, i).is_some() => {
                let what = anchor_or_alias(b, i).unwrap_or_default();
                return Err(refuse(
                    line,
                    text[line_start..i].chars().count() + 1,
                    format!(
                        "{what} is not allowed in the catalog: a value written in one place and read in another is refused (an alias can also multiply a small file into a huge one); write each value out"
                    ),
                ));
            }
            b'!' if node_start => {
                return Err(refuse(
                    line,
                    text[line_start..i].chars().count() + 1,
                    "a tag (`!…`) is not allowed in the catalog: readers give a tagged value another type than the text (PyYAML reads `!!binary` as bytes, and a local tag fails its safe_load); write plain values".into(),
                ));
            }
            b'&' | b'!' if node_start => {
                // An anchor before a node: the node starts after it, when a blank follows.
                // Anchors are `[A-Za-z0-9_-]+` to libyaml: `&a:, "x` is an anchor, then a plain scalar.
                let anchor = c == b'&';
                i += 1;
                while i < b.len()
                    && !is_blank(b[i])
                    && (!anchor || b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-'))
                {
                    i += 1;
                }
                node_start = i >= b.len() || is_blank(b[i]);
                continue;
            }
            _ => {
                if node_start && TYPED_START[usize::from(c)] {
                    let flow = depth > 0;
                    // A key must be a string to every reader; a value, the same thing to every
                    // reader (`port: 8080` is a number to all; `description: on` is true to
                    // YAML 1.1 and "on" to YAML 1.2 and to this tool).
                    let (what, scalar, refused) = match plain_key(text, i, flow) {
                        Some(key) => ("key", key, typed_plain(key)),
                        None => {
                            let v = plain_value(text, i, flow);
                            // The top-level `last_updated` is the editors' to write on every
                            // edit: a plain date there (what older scripts wrote, a day of the
                            // calendar) is replaced, not read. Nothing else plain is let through.
                            let rewritten = !flow
                                && text[line_start..].starts_with("last_updated:")
                                && is_plain_date(v);
                            (
                                "value",
                                v,
                                typed_plain(v) && !one_meaning_plain(v) && !rewritten,
                            )
                        }
                    };
                    if refused {
                        return Err(refuse(
                            line,
                            text[line_start..i].chars().count() + 1,
                            format!(
                                "the {what} {} is written plain, and YAML 1.1 readers (PyYAML, the platform's tooling) read it as a boolean, number, date or null where others read {}; quote it",
                                crate::quote::show(scalar),
                                if what == "key" {
                                    "a string"
                                } else {
                                    "a string or another value"
                                }
                            ),
                        ));
                    }
                }
                nodes += usize::from(node_start);
                node_start = false;
                before_root = false;
            }
        }
        i += 1;
    }
    Ok(nodes)
}

/// The bytes that can change the scan's state after a node: in block context, and inside a flow
/// collection.
/// The first bytes of a plain scalar that YAML 1.1 or 1.2 may read as something other than a
/// string ([`typed_plain`]); other plain keys are not looked at.
const TYPED_START: [bool; 256] = stop_table(b"0123456789+-.~yYnNtTfFoO");

/// The plain scalar at `i` when it is a key (a `:` and a blank, or in a flow collection a `,`,
/// `]` or `}`, ends it on its line).
fn plain_key(text: &str, i: usize, flow: bool) -> Option<&str> {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'\n' => return None,
            b',' | b']' | b'}' if flow => return None,
            b'#' if is_blank(b[j - 1]) => return None,
            b':' if b
                .get(j + 1)
                .is_none_or(|&n| is_blank(n) || flow && matches!(n, b',' | b']' | b'}')) =>
            {
                return Some(text[i..j].trim_end_matches([' ', '\t']));
            }
            _ => j += 1,
        }
    }
    None
}

/// `YYYY-MM-DD`, a day of the calendar, as a plain scalar (`2026-02-30` is no date: PyYAML's
/// `safe_load` raises on it, another reader moves it to March; so does year 0).
fn is_plain_date(s: &str) -> bool {
    crate::date::is_iso_date(s) && !s.starts_with("0000")
}

/// The first line of the plain scalar at `i` that is not a key: up to a comment, the line's end
/// or, in a flow collection, a `,`, `]` or `}`. (A value that goes on over more lines is a string
/// to every reader unless its first line alone is typed; such a value is refused, to be quoted.)
fn plain_value(text: &str, i: usize, flow: bool) -> &str {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'\n' | b'\r' => break,
            b',' | b']' | b'}' if flow => break,
            b'#' if is_blank(b[j - 1]) => break,
            _ => j += 1,
        }
    }
    text[i..j].trim_end_matches([' ', '\t'])
}

/// Whether this typed plain scalar reads as the same value to YAML 1.1 (PyYAML) and YAML 1.2 (its
/// core schema): a decimal integer without leading zeros or `_`, a decimal fraction with digits
/// on both sides of the point, `true`/`false` and `null` in their three spellings, `~`, and
/// `.inf`/`.nan`. Anything else [`typed_plain`] flags (`yes`, `on`, `1_000`, `010`, `0o17`,
/// `1:30`, `1e3`, dates) reads differently to the two.
fn one_meaning_plain(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(t, ".inf" | ".Inf" | ".INF") || (t == s && matches!(t, ".nan" | ".NaN" | ".NAN")) {
        return true;
    }
    let decimal = |d: &str| {
        !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()) && (d == "0" || !d.starts_with('0'))
    };
    match t.split_once('.') {
        None => decimal(t),
        Some((int, frac)) => {
            decimal(int) && !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
        }
    }
}

/// Whether YAML 1.1 (PyYAML) or YAML 1.2 may resolve this plain scalar to something other than a
/// string: null, a boolean (1.1 also reads `yes`, `no`, `on`, `off`, `y`, `n`), an integer or a
/// float in any notation (`010`, `0x1f`, `1_000`, `1:30`, `.5`, `1e3`, `.inf`), or a date.
fn typed_plain(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let b = t.as_bytes();
    if matches!(t, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    match b {
        [b'0', b'x' | b'o' | b'b', rest @ ..] if !rest.is_empty() => {
            rest.iter().all(|c| c.is_ascii_hexdigit() || *c == b'_')
        }
        [first, ..] if first.is_ascii_digit() || *first == b'.' => {
            let date = b.len() >= 6
                && b[..4].iter().all(u8::is_ascii_digit)
                && b[4] == b'-'
                && b[5].is_ascii_digit();
            let mut exponent = false;
            let mut k = 0;
            let number = loop {
                match b.get(k) {
                    None => break b.iter().any(u8::is_ascii_digit),
                    Some(b'0'..=b'9' | b'_' | b'.' | b':') => {}
                    Some(b'e' | b'E') if !exponent => {
                        exponent = true;
                        if matches!(b.get(k + 1), Some(b'+' | b'-')) {
                            k += 1;
                        }
                    }
                    Some(_) => break false,
                }
                k += 1;
            };
            date || number
        }
        _ => false,
    }
}

const BLOCK_STOP: [bool; 256] = stop_table(b"\n#:");
const FLOW_STOP: [bool; 256] = stop_table(b"\n#:,[]{}");

fn next_line(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p + 1)
}

/// The end of the quoted scalar opening at `i`, and how many line breaks it holds. An unclosed
/// scalar runs to the end (the parser reports it). With `owner`, every continuation line that is
/// not blank must be indented by more spaces; `Err` is the number of the first one that is not,
/// counted from the opening line.
fn quoted(b: &[u8], i: usize, owner: Option<usize>) -> std::result::Result<(usize, usize), usize> {
    let q = b[i];
    let mut j = i + 1;
    let mut lines = 0;
    while j < b.len() {
        match b[j] {
            b'\\' if q == b'"' => j += 1,
            b'\'' if q == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 1,
            c if c == q => return Ok((j + 1, lines)),
            b'\n' => {
                lines += 1;
                let spaces = b[j + 1..].iter().take_while(|&&c| c == b' ').count();
                let rest = &b[j + 1 + spaces..];
                let blank = rest
                    .iter()
                    .take_while(|&&c| c != b'\n')
                    .all(|&c| is_blank(c));
                if owner.is_some_and(|n| spaces <= n) && !blank {
                    return Err(lines);
                }
            }
            _ => {}
        }
        j += 1;
    }
    Ok((b.len(), lines))
}

/// A block scalar without an indentation indicator takes its indentation from its first line of
/// text; blank lines before it may not have more spaces. `Err` is the line (counted from the
/// header) where the text starts, when they do. Lines at or below `owner` end the scalar.
fn leading_blanks(b: &[u8], mut at: usize, owner: usize) -> std::result::Result<(), usize> {
    let mut widest = 0;
    let mut lines = 1;
    while at < b.len() {
        let spaces = b[at..].iter().take_while(|&&c| c == b' ').count();
        let end = next_line(b, at);
        let blank = b[at + spaces..end]
            .iter()
            .all(|&c| is_blank(c) && c != b'\t');
        if !blank {
            return if spaces > owner && widest > spaces {
                Err(lines)
            } else {
                Ok(())
            };
        }
        widest = widest.max(spaces);
        at = end;
        lines += 1;
    }
    Ok(())
}

/// The indentation that the continuation lines of a node opening at `at` must exceed: that of
/// its key's line when the node follows its key (or `- `) on the same line. A root node has no
/// such bound, and neither (here) does a node that starts its own line: its key is on a line
/// above, and finding it is not worth the risk of refusing a valid file.
fn owner_indent(b: &[u8], line_start: usize, at: usize, root: bool) -> Option<usize> {
    let indent = b[line_start..].iter().take_while(|&&c| c == b' ').count();
    (!root && at > line_start + indent).then_some(indent)
}

fn under_indented(what: &str) -> String {
    format!(
        "this line of a multi-line {what} is not indented past the key it belongs to; YAML 1.2 rejects it (indent it with spaces)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_keys_that_yaml_1_1_reads_as_other_types_are_refused() {
        for key in [
            "yes",
            "No",
            "OFF",
            "on",
            "y",
            "true",
            "False",
            "null",
            "~",
            "1000",
            "1_000",
            "010",
            "8",
            "0x1f",
            "0o17",
            "0b101",
            "1:30",
            "1.5",
            ".5",
            "1e3",
            "-1",
            "+.inf",
            ".NaN",
            "2026-01-05",
        ] {
            // As a value too, when the two YAML versions read it differently (the hostile
            // suite's F6: `description: on` passed the guard, and PyYAML reads True where the tool
            // and the YAML 1.2 readers read "on").
            let as_value = !one_meaning_plain(key);
            for text in [
                format!("{key}: a\n"),
                format!("repositories:\n  {key}:\n    metadata: {{}}\n"),
                format!("x: {{{key}: 1}}\n"),
                format!("- {key}: 1\n"),
            ]
            .into_iter()
            .chain(
                [
                    format!("a: {key}\n"),
                    format!("a: {key} # note\n"),
                    format!("- {key}\n"),
                    format!("x: [a, {key}]\n"),
                    format!("repositories:\n  r:\n    metadata:\n      description: {key}\n"),
                ]
                .into_iter()
                .filter(|_| as_value),
            ) {
                let e = check(&text).expect_err(&text);
                assert!(e.message.contains("quote it"), "{text}: {e}");
            }
            // Quoted, it is one string to every reader.
            for text in [
                format!("\"{key}\": a\n"),
                format!("'{key}': a\n"),
                format!("a: \"{key}\"\n"),
                format!("- '{key}'\n"),
            ] {
                assert!(check(&text).is_ok(), "{text}");
            }
        }
        for key in [
            "yesterday",
            "one",
            "no-cache",
            "3d-render",
            "1password",
            "tfvars",
            ".hidden",
        ] {
            assert!(check(&format!("{key}: a\n")).is_ok(), "{key}");
            assert!(check(&format!("a: {key}\n")).is_ok(), "{key}");
        }
        // The top-level `last_updated` may be a plain date (each edit replaces its value), and
        // nothing else plain (the third hostile suite's F11: `last_updated: on` passed).
        assert!(check("last_updated: 2026-01-09\nrepositories: {}\n").is_ok());
        assert!(check("last_updated: 2024-02-29\nrepositories: {}\n").is_ok());
        for v in [
            "on",
            "2026-01-09T10:00:00Z",
            "1_000",
            "2026-02-30",
            "2026-13-45",
            "0000-00-00",
            "2025-02-29",
        ] {
            let text = format!("last_updated: {v}\nrepositories: {{}}\n");
            assert!(check(&text).is_err(), "{text}");
        }
        assert!(check("x:\n  last_updated: 2026-01-09\n").is_err());
        // A value every reader reads as the same number, boolean or null is not refused.
        for value in [
            "0", "8", "1000", "-1", "+1", "1.5", "0.25", "true", "False", "null", "~", ".inf",
            "-.Inf", ".NaN",
        ] {
            assert!(check(&format!("a: {value}\n")).is_ok(), "{value}");
            assert!(check(&format!("a: [{value}]\n")).is_ok(), "{value}");
        }
        let e = check("? [a, b]\n: 1\n").unwrap_err();
        assert!(e.message.contains("explicit key"), "{e}");
    }

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
        // A tag anywhere (issue 21, item 7: PyYAML reads `!!binary` as bytes, the editors text).
        assert!(
            refused("---\nrepositories: !!map {}\n")
                .unwrap()
                .1
                .contains("a tag")
        );
        assert_eq!(refused("%YAML 1.2\n---\nrepositories: {}\n"), None);
    }

    #[test]
    fn control_characters_are_refused_even_in_comments() {
        // Found by cargo fuzz: a NUL in a comment inside the `repositories` block was edited.
        let (line, m) = refused("repositories:\n  # a \u{0} b\n  a: {}\n").unwrap();
        assert_eq!(line, 2);
        assert!(m.contains("U+0000"), "{m}");
        assert!(refused("a: \u{7f}\n").is_some());
        assert!(refused("a: \u{9b}\n").is_some());
        assert_eq!(refused("a: \"tab\there, é\"\n"), None);
        // Found by cargo fuzz: U+2029 in a comment is a line break to libyaml.
        for c in ['\u{85}', '\u{2028}', '\u{2029}'] {
            let text = format!("repositories:   # a{c}main: x\n");
            assert!(refused(&text).unwrap().1.contains("YAML 1.1"), "{c:?}");
        }
        // Found by cargo fuzz: libyaml reads a lone CR as a line break, the editor did not.
        assert!(
            refused("repositories:\n# a\rb: 1\n")
                .unwrap()
                .1
                .contains("carriage return")
        );
        assert_eq!(refused("a: 1\r\nb: 2\r\n"), None);
        // Found by cargo fuzz: a `"` after a space inside a multi-word plain scalar in a flow
        // collection is not a quote.
        let text = "x: [Ssi-o0\"ri(es:\n   oewr n0Gieste entry with key \"own]\nr: \"a\"\n";
        assert_eq!(refused(text), None);
        // Found by cargo fuzz: libyaml's anchors end at ':'; what follows is a plain scalar. Anchors
        // are refused now (issue 21): for being one, not for the quote after it.
        assert!(
            refused("\nowntq:\n   &nmo:, \"tKK\nr: \"a\"\n")
                .unwrap()
                .1
                .contains("anchor")
        );
    }

    #[test]
    fn what_the_yaml_test_suite_marks_invalid_is_refused() {
        // 9C9N, QB6E, DK95#1, S98Z, SU5Z: libyaml accepts each.
        for (text, line) in [
            ("---\nflow: [a,\nb,\nc]\n", 3),
            ("---\nquoted: \"a\nb\nc\"\n", 3),
            ("foo: \"bar\n\tbaz\"\n", 2),
            ("empty block scalar: >\n \n  \n   \n # comment\n", 5),
            ("key: \"value\"# invalid comment\n", 1),
        ] {
            let got = refused(text);
            assert_eq!(got.as_ref().map(|g| g.0), Some(line), "{text:?}: {got:?}");
        }
        // What the suite and the `yaml` package accept stays accepted.
        for text in [
            "key: [\n  a\n]\n",
            "key: {\n  a: 1\n}\n",
            "key: [a,\n# c\n  b]\n",
            "- [a,\n b]\n",
            "[a,\nb]\n",
            "foo: \"bar\n  \tbaz\"\n",
            "foo: \"bar\n\n  baz\"\n",
            "\"top\nlevel\"\n",
            "a: |2\n   \n  x\n",
            "a: >\n\n  x\n",
            "key: \"value\" # fine\n",
            "x:\n  \" 1st\n\n  \t3rd \"\n",
            "x:\n  {\n  foo: bar\n  }\n",
        ] {
            assert_eq!(refused(text), None, "{text:?}");
        }
    }
}
