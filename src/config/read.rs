//! Reading `registrar.yaml` (`Config::from_yaml`): within the size limits, refusing anchors,
//! aliases, merge keys and keys written twice (what two YAML readers could read differently), then
//! the typed read and its checks.

use super::Config;
use crate::error::parser_reason_at;
use crate::error::{Error, ErrorCode, Result};
use crate::quote::show;
use serde::Deserialize;

/// A config that two YAML readers could read differently is refused: see [`no_anchors`] and
/// [`one_key_each`].
fn two_meanings(message: String) -> Error {
    Error::new(ErrorCode::InvalidConfig, message)
}

/// No anchor (`&a`) or alias (`*a`) anywhere a node can start: a value written once and read in
/// several places, or a merge, is refused (and an alias can multiply a small file). Conservative:
/// a plain scalar that starts with `&` or `*` and a letter is refused too, quoted it is fine.
fn no_anchors(text: &str) -> Result<()> {
    let b = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut node_start = true;
    // Inside a block scalar: lines indented more than this are its text.
    let mut block: Option<usize> = None;
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if i == line_start && quote.is_none() {
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            let blank = b[i + indent..]
                .iter()
                .take_while(|&&c| c != b'\n')
                .all(|c| c.is_ascii_whitespace());
            if let Some(n) = block {
                if blank || indent > n {
                    let end = b[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |p| i + p + 1);
                    (i, line, line_start) = (end, line + 1, end);
                    continue;
                }
                block = None;
            }
            node_start = true;
        }
        match (quote, c) {
            (_, b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            (Some(b'"'), b'\\') => i += 1,
            (Some(b'\''), b'\'') if b.get(i + 1) == Some(&b'\'') => i += 1,
            (Some(q), c) if c == q => {
                quote = None;
                node_start = false;
            }
            (Some(_), _) => {}
            (None, b'#') if i == 0 || b[i - 1].is_ascii_whitespace() => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                continue;
            }
            (None, b' ' | b'\t' | b'\r') => {}
            (None, b'"' | b'\'') if node_start => quote = Some(c),
            (None, b'[' | b'{' | b',') => node_start = true,
            (None, b':' | b'-' | b'?') if b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) => {
                node_start = true;
            }
            (None, b'|' | b'>') if node_start => {
                block = Some(b[line_start..].iter().take_while(|&&c| c == b' ').count());
                node_start = false;
            }
            (None, b'&' | b'*') if node_start && anchor_or_alias(b, i).is_some() => {
                let what = anchor_or_alias(b, i).unwrap_or_default();
                return Err(two_meanings(format!(
                    "the config has {what} at line {line}; a value written in one place and read in another is refused: write each value out"
                ))
                .at(line, i - line_start + 1));
            }
            (None, _) => node_start = false,
        }
        i += 1;
    }
    Ok(())
}

/// No mapping of the config has a key twice (also keys that read the same: `True` and
/// `"true"`, `a` and `'a'`), nor a merge key `<<`.
fn one_key_each(v: &serde_yaml::Value) -> Result<()> {
    use serde_yaml::Value;
    match v {
        Value::Mapping(m) => {
            let mut seen = std::collections::BTreeSet::new();
            for (k, v) in m {
                let text = match k {
                    Value::String(s) => s.clone(),
                    Value::Bool(b) => b.to_string(),
                    Value::Null => String::new(),
                    Value::Number(n) => n.to_string(),
                    other => format!("{other:?}"),
                };
                if text == "<<" {
                    return Err(two_meanings(
                        "the config has a merge key `<<`; YAML 1.1 readers merge another mapping in, YAML 1.2 readers read a key named \"<<\", so it is refused (write the keys out)".into(),
                    ));
                }
                if !seen.insert(crate::quote::yaml_key_identity(&text).into_owned()) {
                    return Err(two_meanings(format!(
                        "the config has the key {} twice in one mapping (keys that read the same, such as `True` and `\"true\"`, count as one); readers disagree on which one wins, so it is refused",
                        show(&text)
                    )));
                }
                one_key_each(v)?;
            }
            Ok(())
        }
        Value::Sequence(s) => s.iter().try_for_each(one_key_each),
        Value::Tagged(t) => one_key_each(&t.value),
        _ => Ok(()),
    }
}

impl Config {
    /// Parse `registrar.yaml`. Every key is optional; unknown keys are an error naming the key.
    pub fn from_yaml(text: &str) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        crate::limits::check("the config", text.len(), crate::limits::MAX_CONFIG_BYTES)?;
        // serde_yaml's scanner (unsafe-libyaml) takes time quadratic in the nesting of flow
        // collections (`[[[…]]]` 500,000 deep: minutes) before its own depth limit applies. Every
        // `[` and `{` is counted, wherever it is (comments, quotes): a real config has a few.
        let flow = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
        crate::limits::check(
            "the config's count of `[` and `{`",
            flow,
            crate::limits::MAX_CONFIG_FLOW_OPENINGS,
        )?;
        let invalid = |e: serde_yaml::Error| {
            // The position is kept; the parser's words are cleaned of the file's bytes.
            let err = Error::new(
                ErrorCode::InvalidConfig,
                format!(
                    "invalid config: {}",
                    parser_reason_at(&e.to_string(), e.location().map(|l| (l.line(), l.column())))
                ),
            );
            match e.location() {
                Some(loc) => err.at(loc.line(), loc.column()),
                None => err,
            }
        };
        no_anchors(text)?;
        // The document as plain YAML first: serde_yaml refuses a key written twice there, which
        // the typed read (a map of tiers) would let the last one win.
        // Checked before the typed read, so a merge key is named as such, not as an unknown key.
        let value = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(invalid)?;
        one_key_each(&value)?;
        // The typed read from that same document (1 MB of owners read once, not twice). Where it
        // fails (a scalar the typed read takes as text, such as an owner `1234`, or a real error)
        // the typed read of the text decides, with the error's line and column.
        let config: Config = match Config::deserialize(value) {
            Ok(config) => config,
            Err(_) => serde_yaml::from_str(text).map_err(invalid)?,
        };
        config.check()?;
        Ok(config)
    }
}

/// Whether the byte at `i` opens an anchor (`&name`) or an alias (`*name`) as libyaml reads them
/// (`[A-Za-z0-9_-]` follows), and which, in words: the config reader and the catalog's preflight
/// refuse both, in the same words.
pub(crate) fn anchor_or_alias(b: &[u8], i: usize) -> Option<&'static str> {
    let what = match b.get(i)? {
        b'&' => "an anchor (`&name`)",
        b'*' => "an alias (`*name`)",
        _ => return None,
    };
    b.get(i + 1)
        .is_some_and(|&n| n.is_ascii_alphanumeric() || matches!(n, b'_' | b'-'))
        .then_some(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_reads_what_the_typed_read_of_the_text_reads() {
        // Scalars the plain document types as numbers or booleans, where the config wants text:
        // the typed read of the text takes them as written, and so must the shared parse.
        for text in [
            "owners: [1234, platform-team]\n",
            "environments: [dev, 2026]\nowners: [true]\n",
            "idPrefix: REG_\nowners: [platform-team]\nriskTiers:\n  low: {mutability: MUTABLE, encryption: AES256, retentionImages: 10}\n",
        ] {
            let direct: std::result::Result<Config, _> = serde_yaml::from_str(text);
            let shared = Config::from_yaml(text);
            match direct {
                Ok(d) if d.check().is_ok() => assert_eq!(shared.unwrap(), d, "{text}"),
                _ => assert!(shared.is_err(), "{text}"),
            }
        }
        let c = Config::from_yaml("owners: [1234, platform-team]\n").unwrap();
        assert_eq!(c.owners, ["1234", "platform-team"]);
    }

    #[test]
    fn yaml_overrides_and_unknown_keys() {
        let c = Config::from_yaml("environments: [dev, prod]\nowners: []\n").unwrap();
        assert_eq!(c.environments, ["dev", "prod"]);
        assert!(c.owners.is_empty());
        assert_eq!(c.variable, "ecr_repositories");

        // The unknown key is not echoed (it is the file's bytes); the nearest known key is named.
        let e = Config::from_yaml("environmnets: [dev]\n").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(e.message.contains("`environments`"), "{}", e.message);
        assert_eq!(e.line, Some(1));

        let e = Config::from_yaml("riskTiers:\n  low:\n    mutability: MUTABLE\n    encryption: AES256\n    retentionImages: 5\n    imageScanning: true\n    colour: red\n").unwrap_err();
        assert!(e.message.contains("unknown key"), "{}", e.message);
        assert_eq!(e.line, Some(7), "{}", e.message);
    }
}
