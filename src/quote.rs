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

/// A YAML scalar for a string: plain when [`yaml_plain_ok`], else double-quoted.
pub fn yaml_scalar(s: &str) -> String {
    if yaml_plain_ok(s) {
        s.to_string()
    } else {
        yaml_double_quoted(s)
    }
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
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "abc…");
    }
}
