//! The fixed naming rules (AWS ECR, Backstage, and the platform's default patterns) as hand-written
//! matchers.
//!
//! They run in the browser on every keystroke, so they are plain loops rather than regexes: that keeps
//! the validation-only WebAssembly module small (the regex engine's fast paths are most of its size)
//! and each call well under a microsecond. Each matcher states the regex it implements; property
//! tests (`tests/properties.rs`) check them against the `regex` crate on generated and arbitrary
//! strings, so the two cannot drift.

/// AWS ECR's repository-name pattern, full match (the current AWS service model; the OCI rule).
pub const AWS_NAME_RE: &str =
    r"^(?:[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*)$";
/// Backstage's entity-name pattern (without the length limit).
pub const BACKSTAGE_NAME_RE: &str = r"^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
/// The platform's default name pattern.
pub const DEFAULT_NAME_PATTERN: &str = "^[a-z][a-z0-9-]*$";
/// The default pattern for owner, requester and domain when no list is configured.
pub const DEFAULT_VALUE_PATTERN: &str = "^[a-z0-9-]+$";

fn lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// [`AWS_NAME_RE`]: '/'-separated components; each starts and ends with `[a-z0-9]`, and each
/// maximal run of `.`, `_`, `-` between them is `.`, `_`, `__` or dashes only.
pub fn matches_aws_pattern(name: &str) -> bool {
    name.split('/').all(|component| {
        let b = component.as_bytes();
        let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
            return false;
        };
        if !lower_alnum(first) || !lower_alnum(last) {
            return false;
        }
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                c if lower_alnum(c) => i += 1,
                b'.' | b'_' | b'-' => {
                    let start = i;
                    while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
                        i += 1;
                    }
                    let run = &b[start..i];
                    let ok = run == b"."
                        || run == b"_"
                        || run == b"__"
                        || run.iter().all(|&c| c == b'-');
                    if !ok {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        true
    })
}

/// [`BACKSTAGE_NAME_RE`]: letters, digits, `-`, `_`, `.`; first and last a letter or digit.
pub fn matches_backstage_pattern(name: &str) -> bool {
    let b = name.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// [`DEFAULT_NAME_PATTERN`].
pub fn matches_default_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase) && b.iter().all(|&c| lower_alnum(c) || c == b'-')
}

/// [`DEFAULT_VALUE_PATTERN`].
pub fn matches_default_value(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|c| lower_alnum(c) || c == b'-')
}

/// A configurable pattern: the default ones run as the matchers above, any other through regex-lite
/// (the same engine on every target, so a custom pattern gives the same verdict everywhere).
#[derive(Debug, Clone)]
pub enum Pattern {
    Builtin(fn(&str) -> bool),
    Regex(regex_lite::Regex),
}

impl Pattern {
    /// Compile `pattern`; the error is the regex crate's explanation.
    pub fn new(pattern: &str) -> Result<Pattern, regex_lite::Error> {
        Ok(match pattern {
            DEFAULT_NAME_PATTERN => Pattern::Builtin(matches_default_name),
            DEFAULT_VALUE_PATTERN => Pattern::Builtin(matches_default_value),
            other => Pattern::Regex(regex_lite::Regex::new(other)?),
        })
    }

    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Builtin(f) => f(s),
            Pattern::Regex(re) => re.is_match(s),
        }
    }
}
