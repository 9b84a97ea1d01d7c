//! Quoting, the one place that decides how a string is written into another syntax: a message a
//! person reads, a YAML file, an HCL file. One escaper serves all three, so a fix to one syntax's
//! escaping cannot miss the others; each syntax only decides what it does with the characters
//! outside printable ASCII.

// The validation-only build (the browser's) writes no files, so only messages are quoted there.
#![cfg_attr(not(feature = "edit"), allow(dead_code))]

/// The syntax a string is quoted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// A message for a person: everything outside printable ASCII as `\u{XXXX}`, so a hostile value
    /// (newlines, look-alike letters) cannot forge or hide part of a message.
    Message,
    /// A YAML double-quoted scalar: everything outside printable ASCII as `\xXX`, `\uXXXX` or
    /// `\UXXXXXXXX`, so a reviewer sees a look-alike letter for what it is.
    Yaml,
    /// An HCL quoted string: control characters as `\uXXXX`, `${` and `%{` doubled so they are not
    /// read as a template; other text as it is.
    Hcl,
}

fn quote(s: &str, syntax: Syntax) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if syntax == Syntax::Hcl && chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c => {
                let n = c as u32;
                match syntax {
                    Syntax::Message => out.push_str(&format!("\\u{{{n:04X}}}")),
                    Syntax::Yaml if n <= 0xFF => out.push_str(&format!("\\x{n:02X}")),
                    Syntax::Yaml if n <= 0xFFFF => out.push_str(&format!("\\u{n:04X}")),
                    Syntax::Yaml => out.push_str(&format!("\\U{n:08X}")),
                    Syntax::Hcl if n < 0x20 || n == 0x7F => out.push_str(&format!("\\u{n:04X}")),
                    Syntax::Hcl => out.push(c),
                }
            }
        }
    }
    out.push('"');
    out
}

/// Show a user-supplied value in a message: quoted, with control and non-ASCII characters escaped,
/// and cut to its first [`SHOWN_CHARS`] characters (with `…` after the quote) so that a huge value
/// cannot make a huge message.
pub fn show(value: &str) -> String {
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => {
            let mut s = quote(&value[..cut], Syntax::Message);
            s.push('…');
            s
        }
        None => quote(value, Syntax::Message),
    }
}

/// How many characters of a value [`show`] shows.
pub const SHOWN_CHARS: usize = 256;

/// At most `max` characters of `s`, with `…` when cut (long values in messages).
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// A YAML double-quoted scalar.
pub fn yaml_double_quoted(s: &str) -> String {
    quote(s, Syntax::Yaml)
}

/// An HCL quoted string.
pub fn hcl_string(s: &str) -> String {
    quote(s, Syntax::Hcl)
}

/// Is `s` safe as a plain YAML scalar that every YAML 1.1 and 1.2 reader (PyYAML, serde_yaml, the
/// npm `yaml` package) reads back as this string? Conservative: starts with a letter, then only
/// `[A-Za-z0-9._/:?=&-]` and single inner spaces, no `: ` or trailing `:`, and not a word YAML 1.1
/// reads as a boolean or null.
pub fn yaml_plain_ok(s: &str) -> bool {
    const WORDS: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    let b = s.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    if !first.is_ascii_alphabetic() || matches!(last, b':' | b' ') {
        return false;
    }
    // One pass: allowed bytes, and no ": " or double space.
    let mut prev = 0u8;
    for &c in b {
        let ok = c.is_ascii_alphanumeric()
            || matches!(c, b'.' | b'_' | b'/' | b':' | b'?' | b'=' | b'&' | b'-')
            || (c == b' ' && prev != b':' && prev != b' ');
        if !ok {
            return false;
        }
        prev = c;
    }
    b.len() > 5 || !WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// What a YAML mapping key means to the strictest reader, for finding two keys that one reader or
/// another reads as the same: its text, except that the words YAML 1.1 readers (PyYAML) read as a
/// boolean or null, in any case, are one key each (`True`, `"true"`, `yes`, `On` are all `true`;
/// `~`, `null` and the empty key are all null). Which of them was quoted is not known here, so this
/// may call two keys the same that a YAML 1.2 reader keeps apart: those are refused too.
pub fn yaml_key_identity(key: &str) -> std::borrow::Cow<'_, str> {
    const TRUE: &[&str] = &["y", "yes", "on", "true"];
    const FALSE: &[&str] = &["n", "no", "off", "false"];
    const NULL: &[&str] = &["", "~", "null"];
    if key.len() > 5 {
        return key.into(); // longer than every such word: most keys
    }
    let is = |words: &[&str]| words.iter().any(|w| key.eq_ignore_ascii_case(w));
    if is(TRUE) {
        "\u{0}true".into()
    } else if is(FALSE) {
        "\u{0}false".into()
    } else if is(NULL) {
        "\u{0}null".into()
    } else {
        key.into()
    }
}

/// A YAML scalar for a string: plain when [`yaml_plain_ok`], else double-quoted.
pub fn yaml_scalar(s: &str) -> String {
    if yaml_plain_ok(s) {
        s.to_string()
    } else {
        yaml_double_quoted(s)
    }
}

/// A character that must never reach a reader raw: C0 and C1 controls and DEL (a terminal obeys
/// ESC sequences), line and paragraph separators (a line break to some readers only), and every
/// character that renders as nothing or changes how its neighbours render ([`INVISIBLE`]): the
/// bidirectional controls (they reorder what a reviewer sees), zero-width characters, the soft
/// hyphen, tag characters, variation selectors, Hangul fillers, the byte-order mark.
pub fn is_hidden(c: char) -> bool {
    let n = c as u32;
    if n < 0xAD {
        return c.is_control();
    }
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || in_ranges(INVISIBLE, n)
}

/// Whether `c` is blank where it stands alone: white space, or a character drawn as a blank
/// (U+2800 BRAILLE PATTERN BLANK, U+FFFC OBJECT REPLACEMENT CHARACTER, U+1D159 MUSICAL SYMBOL
/// NULL NOTEHEAD). Text of nothing else is empty to a reader (the third issue-23 check); inside
/// text they are characters (braille's word space is U+2800).
pub fn is_blank_looking(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{2800}' | '\u{FFFC}' | '\u{1D159}')
}

/// Whether `n` is in one of `ranges`: sorted, disjoint, inclusive code point ranges.
pub(crate) fn in_ranges(ranges: &[(u32, u32)], n: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < n {
                std::cmp::Ordering::Less
            } else if lo > n {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The invisible characters, as sorted inclusive ranges: every format character (general
/// category Cf, Unicode 16: U+00AD, U+0600–U+0605, U+061C, U+06DD, U+070F, U+0890–U+0891, U+08E2,
/// U+180E, U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+206F, U+FEFF, U+FFF9–U+FFFB,
/// U+110BD, U+110CD, U+13430–U+1343F, U+1BCA0–U+1BCA3, U+1D173–U+1D17A, U+E0001, U+E0020–U+E007F)
/// and the other default-ignorable code points (DerivedCoreProperties.txt: U+034F, U+115F–U+1160,
/// U+17B4–U+17B5, U+180B–U+180F, U+2065, U+3164, U+FE00–U+FE0F, U+FFA0, U+FFF0–U+FFF8,
/// U+E0000–U+E0FFF), which a font draws as nothing.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// `s` with every [`is_hidden`] character but those `keep` allows written visibly as `\u{XXXX}`.
fn visible_but(s: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_hidden(c) && !keep(c)) {
        return s.into();
    }
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hidden(c) && !keep(c) {
            let _ = write!(out, "\\u{{{:04X}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A value on one line of text for a person (a terminal, a log): every [`is_hidden`] character,
/// line breaks and tabs included, written as `\u{XXXX}`, so the value can neither send control
/// sequences nor start a line of its own. Unquoted: for values already framed (file names).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    visible_but(s, |_| false)
}

/// Text the CLI writes to a terminal: like [`visible`], but the text's own line breaks and tabs
/// stay (the CLI's layout). Every byte of standard output and standard error passes through it.
pub fn terminal(s: &str) -> std::borrow::Cow<'_, str> {
    visible_but(s, |c| matches!(c, '\n' | '\t'))
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// A value as a Markdown code span that nothing in it can close or escape (CommonMark 6.1): a
/// backtick fence longer than any backtick run inside, padded with a space when the value starts
/// or ends with a backtick or a space (the one space CommonMark strips), and hidden characters
/// (line breaks, ESC, bidirectional controls…) as `\u{XXXX}`. Inside a code span `<`, `&`, `*` and
/// `\` are literal. Not for a table cell: see [`md_code_cell`].
pub fn md_code(v: &str) -> String {
    let v = visible(v);
    let fence = "`".repeat(longest_run(&v, '`') + 1);
    let pad = v.starts_with(['`', ' ']) || v.ends_with(['`', ' ']);
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{v}{pad}{fence}")
}

/// [`md_code`] for a cell of a GitHub Markdown table: `|` ends a cell even inside a code span, so
/// it is written `\|`, which the table reads as a literal `|` in the span.
pub fn md_code_cell(v: &str) -> String {
    md_code(v).replace('|', "\\|")
}

/// A fenced code block's fence for `body`: backticks, more than any run at a line start inside.
pub fn md_fence(body: &str) -> String {
    "`".repeat((longest_run(body, '`') + 1).max(3))
}

/// A value as Markdown text outside a code span: every ASCII punctuation character
/// backslash-escaped (CommonMark 2.4), `<` and `&` as HTML entities (no tag, no entity can start),
/// hidden characters as `\u{XXXX}`, so it renders as exactly these characters on one line.
pub fn md_text(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 8);
    for c in visible(v).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A one-line value as Markdown text that reads as itself where it is rendered (Backstage renders
/// an entity's `metadata.description` as Markdown): the characters that start links, images, HTML,
/// emphasis, code or tables are backslash-escaped, and so is a start a block would take (`#`, `-`,
/// `+`, `>`, `1.`); other punctuation stays as written, so plain text is unchanged. An `_` between
/// two letters or digits (`my_app`) opens and closes no emphasis (CommonMark's intraword rule)
/// and stays as written: plain-text views (the catalog table) show the value without backslashes.
pub fn md_inline(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 8);
    let digits = v.bytes().take_while(u8::is_ascii_digit).count();
    let b = v.as_bytes();
    for (i, c) in v.char_indices() {
        let block_start = (i == 0 && matches!(c, '#' | '-' | '+' | '>' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        let intraword = c == '_'
            && i > 0
            && b[i - 1].is_ascii_alphanumeric()
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
        if block_start
            || (!intraword
                && matches!(
                    c,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '&' | '~'
                ))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The message of a GitHub workflow command (`::error …::message`), escaped as the runner
/// unescapes it: `%` → `%25`, CR → `%0D`, LF → `%0A`, so a value cannot end the command's line and
/// start another (`::add-mask::`, `::stop-commands::`, a second annotation). Other hidden
/// characters are written `\u{XXXX}`.
pub fn gh_data(s: &str) -> String {
    visible_but(s, |c| matches!(c, '\n' | '\r'))
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a GitHub workflow command (`file=`, `title=`): [`gh_data`], and `:` →
/// `%3A`, `,` → `%2C`, so a value cannot end the property list or add a property.
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_escape_hostile_text() {
        assert_eq!(show("a\"b\nc"), "\"a\\\"b\\nc\"");
        assert_eq!(show("pаy"), "\"p\\u{0430}y\"");
        assert_eq!(show("\u{7f}"), "\"\\u{007F}\"");
    }

    #[test]
    fn yaml_escapes_everything_outside_printable_ascii() {
        assert_eq!(yaml_double_quoted("x\"\n\u{2028}"), "\"x\\\"\\n\\u2028\"");
        assert_eq!(yaml_double_quoted("é\u{1F600}"), "\"\\xE9\\U0001F600\"");
        assert_eq!(yaml_scalar("payments-api"), "payments-api");
        assert_eq!(yaml_scalar("dev"), "dev");
        assert_eq!(yaml_scalar("AWS ECR Registry"), "AWS ECR Registry");
        for s in [
            "yes", "No", "null", "1x", "a: b", "a:", "", " a", "a  b", "~",
        ] {
            assert!(yaml_scalar(s).starts_with('"'), "{s:?}");
        }
    }

    #[test]
    fn hcl_doubles_template_openers() {
        assert_eq!(hcl_string("${x} %{y} $ %"), "\"$${x} %%{y} $ %\"");
        assert_eq!(hcl_string("a\u{1}é"), "\"a\\u0001é\"");
    }

    #[test]
    fn markdown_code_spans_cannot_be_closed() {
        assert_eq!(md_code("payments-api"), "`payments-api`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("``x"), "``` ``x ```");
        assert_eq!(md_code(" a "), "`  a  `");
        assert_eq!(md_code("x\n## Approved"), "`x\\u{000A}## Approved`");
        assert_eq!(md_code("\u{1b}[2J\u{202e}"), "`\\u{001B}[2J\\u{202E}`");
        assert_eq!(md_code_cell("a|b"), "`a\\|b`");
        assert_eq!(md_fence("x\n```\n"), "````");
    }

    #[test]
    fn markdown_text_is_inert() {
        assert_eq!(md_text("<script>*x*"), "&lt;script&gt;\\*x\\*");
        // `\u{2028}` shown, its punctuation escaped: it renders as the six characters.
        assert_eq!(md_text("a\u{2028}# b"), "a\\\\u\\{2028\\}\\# b");
    }

    #[test]
    fn hidden_characters_are_shown() {
        for c in [
            '\u{0}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{9b}',
            '\u{2028}',
            '\u{2029}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{200e}',
            '\u{200f}',
            '\u{61c}',
            '\u{ad}',
            '\u{200b}',
            '\u{2060}',
            '\u{2064}',
            '\u{206a}',
            '\u{206f}',
            '\u{feff}',
            '\u{180e}',
            '\u{34f}',
            '\u{fe00}',
            '\u{fe0f}',
            '\u{115f}',
            '\u{1160}',
            '\u{3164}',
            '\u{ffa0}',
            '\u{fff9}',
            '\u{1d173}',
            '\u{e0001}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{e0100}',
            '\u{e01ef}',
        ] {
            assert!(is_hidden(c), "{c:?}");
            assert_eq!(visible(&c.to_string()), format!("\\u{{{:04X}}}", c as u32));
        }
        for c in [
            'a',
            'é',
            ' ',
            'ж',
            '€',
            '\u{ac}',
            '\u{ae}',
            '\u{2070}',
            '\u{fe10}',
            '\u{1f600}',
            '\u{2800}',
            '\u{2801}',
            '\u{fffd}',
            '\u{1d15a}',
        ] {
            assert!(!is_hidden(c), "{c:?}");
        }
        assert_eq!(terminal("a\n\tb\u{1b}[2J"), "a\n\tb\\u{001B}[2J");
        assert_eq!(visible("a\u{e0041}\u{ad}.txt"), "a\\u{E0041}\\u{00AD}.txt");
        assert!(INVISIBLE.windows(2).all(|w| w[0].1 < w[1].0));
    }

    #[test]
    fn workflow_commands_cannot_be_forged() {
        assert_eq!(gh_data("50%\r\n::add-mask::x"), "50%25%0D%0A::add-mask::x");
        assert_eq!(
            gh_property("a,line=1::x\n::error::y"),
            "a%2Cline=1%3A%3Ax%0A%3A%3Aerror%3A%3Ay"
        );
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "abc…");
    }
}
