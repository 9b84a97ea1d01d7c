//! The naming rules, each with the reason a person reads when a name breaks it:
//!
//! 1. the platform's own rule (`namePattern`, default `^[a-z][a-z0-9-]*$`);
//! 2. AWS ECR's repository-name rule from the service model: 2–256 characters matching
//!    `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*` (the OCI rule);
//! 3. Backstage's entity-name rule for the derived entity `ecr-<name>`: 1–63 characters matching
//!    `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`;
//!
//! and the names derived from a request: the governance id, the Backstage entity, Kubernetes
//! object names (DNS-1123), AWS region names and the path segments an environment becomes.
//!
//! The fixed rules run in the browser on every keystroke, so they are plain loops rather than
//! regexes: that keeps the validation-only WebAssembly module small (the regex engine's fast paths
//! are most of its size) and each call well under a microsecond. Each matcher states the regex it
//! implements; the property tests below check them against the `regex` crate, so the two cannot
//! drift.

use crate::limits;
use crate::quote::show;

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
    /// Compile `pattern`; the error is the regex crate's explanation, or why it is too large.
    /// regex-lite has no DFA: matching visits every compiled state for every byte of the value, so
    /// the pattern's length, its compiled size and its nesting are bounded here (`a{1000}{1000}`
    /// would be a million states), and [`Pattern::is_match`] bounds the value.
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        Ok(match pattern {
            DEFAULT_NAME_PATTERN => Pattern::Builtin(matches_default_name),
            DEFAULT_VALUE_PATTERN => Pattern::Builtin(matches_default_value),
            other if other.len() > limits::MAX_PATTERN_BYTES => {
                return Err(PatternError::TooLarge(format!(
                    "it is {} bytes; the limit is {} bytes",
                    other.len(),
                    limits::MAX_PATTERN_BYTES
                )));
            }
            other => Pattern::Regex(
                regex_lite::RegexBuilder::new(other)
                    .size_limit(limits::MAX_PATTERN_COMPILED_BYTES)
                    .nest_limit(limits::MAX_PATTERN_NESTING)
                    .build()
                    .map_err(|e| {
                        let text = e.to_string();
                        if ["limit", "nesting", "too many states", "exhausted"]
                            .iter()
                            .any(|w| text.contains(w))
                        {
                            PatternError::TooLarge(format!(
                                "{text} (compiled size at most {} bytes, groups nested at most {} deep)",
                                limits::MAX_PATTERN_COMPILED_BYTES,
                                limits::MAX_PATTERN_NESTING
                            ))
                        } else {
                            PatternError::Invalid(text)
                        }
                    })?,
            ),
        })
    }

    /// Whether `s` matches. A custom pattern is not run on a value longer than
    /// [`limits::MAX_MATCHED_VALUE_BYTES`]: such a value does not match.
    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Builtin(f) => f(s),
            Pattern::Regex(_) if s.len() > limits::MAX_MATCHED_VALUE_BYTES => false,
            Pattern::Regex(re) => re.is_match(s),
        }
    }
}

/// Why a custom pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Not a regular expression regex-lite reads.
    Invalid(String),
    /// Longer, larger once compiled, or more deeply nested than the limits allow.
    TooLarge(String),
}

impl PatternError {
    /// The error code: `too_large` or `invalid_config`.
    pub fn code(&self) -> crate::error::ErrorCode {
        match self {
            PatternError::Invalid(_) => crate::error::ErrorCode::InvalidConfig,
            PatternError::TooLarge(_) => crate::error::ErrorCode::TooLarge,
        }
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::Invalid(m) | PatternError::TooLarge(m) => f.write_str(m),
        }
    }
}

pub const AWS_NAME_MIN: usize = 2;
pub const AWS_NAME_MAX: usize = 256;
pub const BACKSTAGE_NAME_MAX: usize = 63;
/// Prefix of the Backstage entity derived from a repository name.
pub const ENTITY_PREFIX: &str = "ecr-";

/// Largest `rulePriority` / `countNumber` of a lifecycle policy: the ECR API's integers are 32-bit.
pub const AWS_INT_MAX: u64 = i32::MAX as u64;

pub const DNS1123_MAX: usize = 253;
pub const DNS1123_LABEL_MAX: usize = 63;

/// Does `name` satisfy AWS ECR's repository-name rule (length and pattern)?
pub fn is_valid_aws_name(name: &str) -> bool {
    (AWS_NAME_MIN..=AWS_NAME_MAX).contains(&name.len()) && matches_aws_pattern(name)
}

/// Does `name` satisfy Backstage's entity-name rule?
pub fn is_valid_backstage_name(name: &str) -> bool {
    (1..=BACKSTAGE_NAME_MAX).contains(&name.len()) && matches_backstage_pattern(name)
}

/// The Backstage entity name of a repository.
pub fn entity_name(name: &str) -> String {
    format!("{ENTITY_PREFIX}{name}")
}

/// The Backstage entity name of a repository listed by AWS (`sync`): `ecr-` + the name with `/` as
/// `-`. Equal to [`entity_name`] for every name the platform's default rule accepts.
pub fn repository_entity_name(name: &str) -> String {
    format!("{ENTITY_PREFIX}{}", name.replace('/', "-"))
}

/// `prefix` + the name in UPPER_SNAKE case: letters upper-cased, every other character `_`.
pub fn registry_id(prefix: &str, name: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + name.len());
    id.push_str(prefix);
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_uppercase());
        } else {
            id.push('_');
        }
    }
    id
}

/// Describe a character for a message: printable ASCII as `'x'`, anything else with its code point.
pub(crate) fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\n' => "a line break".into(),
        '\r' => "a carriage return".into(),
        '\t' => "a tab".into(),
        c if c.is_ascii_graphic() => format!("'{c}'"),
        c if c.is_ascii() => format!("the control character U+{:04X}", c as u32),
        c => format!(
            "the non-ASCII character U+{:04X} (it may look like an ASCII letter, but it is not one)",
            c as u32
        ),
    }
}

/// A character AWS never allows in a repository name (anything but lowercase letters, digits and
/// the separators `.`, `_`, `-`, `/`).
pub(crate) fn is_disallowed_in_aws_name(c: char) -> bool {
    !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c))
}

/// Why a name fails AWS's pattern, as specifically as possible.
pub(crate) fn aws_reason(name: &str) -> String {
    if let Some((i, c)) = name
        .char_indices()
        .find(|&(_, c)| is_disallowed_in_aws_name(c))
    {
        let hint = if c.is_ascii_uppercase() {
            " (upper-case letters are not allowed)"
        } else {
            ""
        };
        return format!(
            "it contains {} at position {}{hint}; allowed are lowercase letters, digits and the separators '.', '_', '__', '-' and '/'",
            describe_char(c),
            i + 1
        );
    }
    let is_sep = |c: char| matches!(c, '.' | '_' | '-');
    for (ci, component) in name.split('/').enumerate() {
        let label = if name.contains('/') {
            format!("path component {} ({})", ci + 1, show(component))
        } else {
            "the name".to_string()
        };
        let Some(first) = component.chars().next() else {
            return "it has an empty path component (a leading, trailing or doubled '/')".into();
        };
        if is_sep(first) {
            return format!(
                "{label} starts with '{first}'; it must start with a lowercase letter or digit"
            );
        }
        if let Some(last) = component.chars().last().filter(|&c| is_sep(c)) {
            return format!(
                "{label} ends with '{last}'; it must end with a lowercase letter or digit"
            );
        }
        // Runs of separators must be '.', '_', '__' or one or more '-'.
        let bytes = component.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if is_sep(bytes[i] as char) {
                let start = i;
                while i < bytes.len() && is_sep(bytes[i] as char) {
                    i += 1;
                }
                let run = &component[start..i];
                let ok = run == "." || run == "_" || run == "__" || run.bytes().all(|b| b == b'-');
                if !ok {
                    return format!(
                        "{label} has the separator run '{run}'; between letters and digits only '.', '_', '__' or dashes ('-', '--', ...) may stand"
                    );
                }
            } else {
                i += 1;
            }
        }
    }
    "it does not match AWS's repository-name pattern".into()
}

/// Why a derived entity name fails Backstage's pattern.
pub(crate) fn backstage_reason(entity: &str) -> String {
    if let Some(c) = entity
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
    {
        return format!(
            "it contains {}, which Backstage entity names do not allow (letters, digits, '-', '_' and '.' only)",
            describe_char(c)
        );
    }
    if let Some(c) = entity.chars().last().filter(|c| !c.is_ascii_alphanumeric()) {
        return format!(
            "it ends with '{c}'; Backstage entity names must end with a letter or digit"
        );
    }
    "it does not match Backstage's entity-name pattern".into()
}

/// Why a name fails the platform's default pattern `^[a-z][a-z0-9-]*$`, or `None` for a custom one.
pub(crate) fn platform_reason(name: &str, pattern: &str) -> Option<String> {
    if pattern != DEFAULT_NAME_PATTERN {
        return None;
    }
    let first = name.chars().next()?;
    if !first.is_ascii_lowercase() {
        return Some(format!(
            "it must start with a lowercase letter a-z, but starts with {}",
            describe_char(first)
        ));
    }
    let (i, c) = name
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))?;
    Some(format!(
        "it contains {} at position {}; only lowercase letters, digits and '-' are allowed",
        describe_char(c),
        i + 1
    ))
}

/// Why `name` is not a DNS-1123 subdomain (Kubernetes object names), or `None` when it is one.
pub fn dns1123_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > DNS1123_MAX {
        return Some(format!(
            "it is {} characters; Kubernetes allows at most {DNS1123_MAX}",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'))
    {
        return Some(format!(
            "it contains {}; only lowercase letters, digits, '-' and '.' are allowed",
            show(&c.to_string())
        ));
    }
    for label in name.split('.') {
        let b = label.as_bytes();
        match (b.first(), b.last()) {
            (None, _) | (_, None) => return Some("it has an empty part between dots".into()),
            (Some(f), Some(l)) if !f.is_ascii_alphanumeric() || !l.is_ascii_alphanumeric() => {
                return Some(format!(
                    "the part {} must start and end with a letter or digit",
                    show(label)
                ));
            }
            _ => {}
        }
    }
    // Manifests are YAML; a name YAML 1.1 reads as something else (kubectl and Argo CD read
    // schema-less YAML that way) is not a name there: the words for true and false, and binary
    // numbers, refused on every path alike (every other shape, dates and numbers, is quoted by the
    // writer, `yaml_out`).
    let binary = name
        .strip_prefix("0b")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b == b'0' || b == b'1'));
    if matches!(name, "y" | "n" | "yes" | "no" | "on" | "off") || binary {
        return Some(format!(
            "{} is read by YAML 1.1 readers (kubectl, Argo CD) as a {}, not a name",
            show(name),
            if binary { "number" } else { "boolean" }
        ));
    }
    None
}

/// The geographic prefixes of AWS region names (`us-east-1`, `il-central-1`, `mx-central-1`).
const REGION_AREAS: &[&str] = &["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us"];
/// The partitions that put a word between area and direction (`us-gov-west-1`, `us-iso-east-1`).
const REGION_PARTITIONS: &[&str] = &["gov", "iso", "isob", "isoe", "isof"];
/// The directions of AWS region names.
const REGION_DIRECTIONS: &[&str] = &[
    "central",
    "east",
    "north",
    "northeast",
    "northwest",
    "south",
    "southeast",
    "southwest",
    "west",
];

/// Region names as AWS spells them: an area, an optional partition, a direction and a number
/// (`eu-west-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-7`), and the European Sovereign
/// Cloud's, which name a country instead of a partition (`eusc-de-east-1`). `mars-west-1`,
/// `eu-west` or `eu-west-01` do not have the shape.
pub fn is_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    let (area, direction, number) = match parts.as_slice() {
        [a, d, n] if REGION_AREAS.contains(a) => (*a, *d, *n),
        [a, p, d, n] if REGION_AREAS.contains(a) && REGION_PARTITIONS.contains(p) => (*a, *d, *n),
        [a, c, d, n]
            if *a == "eusc" && c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase()) =>
        {
            (*a, *d, *n)
        }
        _ => return false,
    };
    !area.is_empty()
        && REGION_DIRECTIONS.contains(&direction)
        && (1..=2).contains(&number.len())
        && !number.starts_with('0')
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The DNS suffix of a region's partition, for its service endpoints (`api.ecr.<region>.<suffix>`):
/// China's, the European Sovereign Cloud's and the isolated partitions' differ from `amazonaws.com`.
pub fn partition_dns_suffix(region: &str) -> &'static str {
    match region.split('-').take(2).collect::<Vec<_>>()[..] {
        ["cn", _] => "amazonaws.com.cn",
        ["eusc", _] => "amazonaws.eu",
        [_, "iso"] => "c2s.ic.gov",
        [_, "isob"] => "sc2s.sgov.gov",
        [_, "isoe"] => "cloud.adc-e.uk",
        [_, "isof"] => "csp.hci.ic.gov",
        _ => "amazonaws.com",
    }
}

/// The ECR console's page of a region's private repositories, where the partition has a public
/// console this link can name (the commercial, China and GovCloud partitions); `None` elsewhere
/// (the European Sovereign Cloud, the isolated partitions), rather than a link that leads nowhere.
pub fn ecr_console_url(region: &str) -> Option<String> {
    let page = format!("ecr/private-registry/repositories?region={region}");
    match region.split('-').take(2).collect::<Vec<_>>()[..] {
        ["cn", _] => Some(format!("https://console.amazonaws.cn/{page}")),
        ["us", "gov"] => Some(format!("https://console.amazonaws-us-gov.com/{page}")),
        ["eusc", _] | [_, "iso" | "isob" | "isoe" | "isof"] => None,
        _ => Some(format!("https://{region}.console.aws.amazon.com/{page}")),
    }
}

/// The message for a region [`is_region`] refuses; `subject` names it as the caller sees it
/// (`region "europe"`, or a config key such as `` `region` ``).
pub(crate) fn not_a_region(subject: &str) -> String {
    format!("{subject} is not an AWS region name such as eu-west-2")
}

/// Is `s` usable as one relative path segment (no separators, no `.`/`..`, no control chars)?
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Is `p` a relative path made of safe segments?
pub(crate) fn is_safe_relative_path(p: &str) -> bool {
    !p.is_empty()
        && p.split('/')
            .all(|seg| is_safe_segment(seg) || seg == "{environment}")
}

/// The hand-written matchers equal the regexes they implement.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    // --- The hand-written naming matchers equal the regexes they implement --------------------------

    /// Strings dense in the characters the rules care about, so that both verdicts are common.
    fn rule_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9._/-]{0,12}",
            "[a-c0-1._/-]{0,8}",
            "[a-zA-Z0-9._-]{0,10}",
            "([a-z0-9]{1,3}(\\.|_|__|-{1,3})?){0,4}(/[a-z0-9]{1,3}((\\.|_|__|-+)[a-z0-9]{1,2})?){0,2}",
            ".{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn naming_matchers_equal_their_regexes(s in rule_text()) {
                    let re = |p: &str| regex::Regex::new(p).unwrap();
            prop_assert_eq!(matches_aws_pattern(&s), re(AWS_NAME_RE).is_match(&s), "aws {:?}", s);
            prop_assert_eq!(matches_backstage_pattern(&s), re(BACKSTAGE_NAME_RE).is_match(&s), "backstage {:?}", s);
            prop_assert_eq!(matches_default_name(&s), re(DEFAULT_NAME_PATTERN).is_match(&s), "name {:?}", s);
            prop_assert_eq!(matches_default_value(&s), re(DEFAULT_VALUE_PATTERN).is_match(&s), "value {:?}", s);
        }
    }

    #[test]
    fn naming_matcher_properties_are_not_vacuous() {
        // The generator must reach both verdicts of every matcher, or the property proves little.
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let matchers: [fn(&str) -> bool; 4] = [
            matches_aws_pattern,
            matches_backstage_pattern,
            matches_default_name,
            matches_default_value,
        ];
        let mut seen = [[0usize; 2]; 4];
        for _ in 0..2000 {
            let s = rule_text().new_tree(&mut runner).unwrap().current();
            for (i, m) in matchers.iter().enumerate() {
                seen[i][m(&s) as usize] += 1;
            }
        }
        for (i, [no, yes]) in seen.iter().enumerate() {
            assert!(
                *no > 100 && *yes > 100,
                "matcher {i}: {yes} matches, {no} non-matches"
            );
        }
    }
}
