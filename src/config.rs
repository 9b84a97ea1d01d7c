//! Platform configuration. The defaults are the platform's own: the request template's enums
//! (owners, domains, environments, risk), the risk settings policy (controls per tier), the catalog
//! and tfvars paths of the request flow, and the catalog header of the governance catalog.
//!
//! A platform overrides any of it in `registrar.yaml` at the root of its repository; every key is
//! optional and unknown keys are an error that names the key.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[cfg(feature = "edit")]
use crate::error::parser_reason_at;
use crate::error::{Error, ErrorCode, Result};
use crate::naming::{
    self, Pattern, is_safe_relative_path, is_safe_segment, is_valid_backstage_name,
};
use crate::quote::show;

/// The security controls of one risk tier (from `ecr-risk-settings.yaml`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RiskControls {
    /// `MUTABLE` or `IMMUTABLE`.
    pub mutability: String,
    /// `AES256` or `KMS`.
    pub encryption: String,
    /// How many images the lifecycle policy keeps.
    pub retention_images: u32,
    /// Scan images on push.
    pub image_scanning: bool,
    /// Enhanced (continuous) scanning rather than basic scan-on-push.
    #[serde(default)]
    pub enhanced_scanning: bool,
    /// What the tier is meant for, shown to requesters.
    #[serde(default)]
    pub use_for: String,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
/// The platform's configuration (`registrar.yaml`); every key is optional.
pub struct Config {
    /// Teams that may own a registry. Empty: any value matching `valuePattern`.
    pub owners: Vec<String>,
    /// Allowed domains. Empty: any value matching `valuePattern`.
    pub domains: Vec<String>,
    /// Allowed requesters. Empty: any value matching `valuePattern`.
    pub requesters: Vec<String>,
    /// Environments; each is a directory under `envs/`. Only these are accepted.
    pub environments: Vec<String>,
    /// Risk tiers in order, with their controls.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, RiskControls>"))]
    pub risk_tiers: IndexMap<String, RiskControls>,
    /// The platform's own naming rule, checked before AWS's and Backstage's.
    pub name_pattern: String,
    /// Pattern for owner, requester and domain when no list is configured.
    pub value_pattern: String,
    /// Prefix of the governance id (`REGISTRY_PAYMENTS_API`).
    pub id_prefix: String,
    /// Catalog path inside the platform repo.
    pub catalog_path: String,
    /// tfvars path inside the platform repo; `{environment}` is replaced.
    pub tfvars_path: String,
    /// The tfvars map that holds the repositories, and the Terraform module of the targeted plan.
    pub variable: String,
    /// Status of a newly requested registry in the catalog.
    pub initial_status: String,
    /// Text of a new catalog file; `{today}` is replaced. Must parse to a mapping.
    pub catalog_header: String,
    /// `sync`: the Backstage entities rendered from AWS.
    pub sync: SyncConfig,
    /// Let the guard pass a change that Terraform performs by destroying and recreating the
    /// repository (every image in it is deleted), when a reviewer also says so (`changes
    /// --allow-replace`, given by the apply workflow for a reviewer's label). Off by default.
    pub allow_replacements: bool,
}

/// Settings of `sync` (ECR → Backstage entities), after the platform's runbook RB-0025 and ADR-0132.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SyncConfig {
    /// Name of the registry `Resource` (the platform itself uses `goldenpath-ecr-registry`).
    pub registry_name: String,
    /// Title of the registry `Resource`.
    pub registry_title: String,
    /// Owner of the registry, the system and the domain; of a repository when neither the catalog
    /// nor its AWS `owner` tag names one.
    pub owner: String,
    /// The `System` the registry belongs to.
    pub system: String,
    /// The `Domain` of that system.
    pub domain: String,
    /// How many repositories the registry's description lists before "… and M more".
    pub describe_limit: usize,
    /// Where the registry and repository entities are written (one multi-document file).
    pub entities_path: String,
    /// Where the `System` entity is written.
    pub system_path: String,
    /// Where the `Domain` entity is written.
    pub domain_path: String,
    /// A `Location` listing the three files above.
    pub location_path: String,
    /// The AWS accounts and regions `sync` lists, each holding one environment. Empty: one region,
    /// the ambient credentials (`--region`), as before.
    pub targets: Vec<SyncTarget>,
}

/// One AWS account and region that `sync` lists, and the environment it holds.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncTarget {
    /// A configured environment.
    pub environment: String,
    /// The AWS region, e.g. `eu-west-2`.
    pub region: String,
    /// The 12-digit account, checked against the caller identity when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub account: Option<String>,
    /// A role to assume for this target (STS AssumeRole), e.g. `arn:aws:iam::111111111111:role/ecr-sync`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub role_arn: Option<String>,
    /// The external id the role's trust policy requires, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub external_id: Option<String>,
}

impl SyncTarget {
    /// The account this target lists: `account`, else the one in `roleArn`.
    pub fn expected_account(&self) -> Option<&str> {
        self.account
            .as_deref()
            .or_else(|| self.role_arn.as_deref().and_then(|a| a.split(':').nth(4)))
    }
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            registry_name: "ecr-registry".into(),
            registry_title: "AWS ECR Registry".into(),
            owner: "platform-team".into(),
            system: "container-registry".into(),
            domain: "delivery".into(),
            describe_limit: 100,
            entities_path: "catalog/resources/ecr-registry.yaml".into(),
            system_path: "catalog/systems/container-registry.yaml".into(),
            domain_path: "catalog/domains/delivery.yaml".into(),
            location_path: "catalog/locations/ecr-registry.yaml".into(),
            targets: Vec::new(),
        }
    }
}

/// The text of a new catalog file (`{today}` is replaced): the platform's standard header.
pub const DEFAULT_CATALOG_HEADER: &str = "\
version: \"1.0\"
domain: delivery
owner: platform-team
last_updated: \"{today}\"
managed_by: platform-team
physical_registry: \"goldenpath-idp-main\"
repositories: {}
";

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn tier(
    mutability: &str,
    encryption: &str,
    keep: u32,
    enhanced: bool,
    use_for: &str,
) -> RiskControls {
    RiskControls {
        mutability: mutability.into(),
        encryption: encryption.into(),
        retention_images: keep,
        image_scanning: true,
        enhanced_scanning: enhanced,
        use_for: use_for.into(),
    }
}

impl Default for Config {
    fn default() -> Self {
        let mut risk_tiers = IndexMap::new();
        risk_tiers.insert(
            "low".into(),
            tier(
                "MUTABLE",
                "AES256",
                20,
                false,
                "Development, testing, experiments",
            ),
        );
        risk_tiers.insert(
            "medium".into(),
            tier(
                "MUTABLE",
                "AES256",
                30,
                false,
                "Staging, internal tools, non-critical production",
            ),
        );
        risk_tiers.insert(
            "high".into(),
            tier(
                "IMMUTABLE",
                "KMS",
                50,
                true,
                "Production, customer-facing, PCI/HIPAA",
            ),
        );
        Config {
            owners: strings(&[
                "platform-team",
                "security-team",
                "operations-team",
                "sre-team",
                "app-team",
                "database-team",
            ]),
            domains: strings(&[
                "platform-core",
                "delivery",
                "observability",
                "governance",
                "security",
                "cost",
                "application",
            ]),
            requesters: Vec::new(),
            environments: strings(&["dev", "test", "staging", "prod"]),
            risk_tiers,
            name_pattern: naming::DEFAULT_NAME_PATTERN.into(),
            value_pattern: naming::DEFAULT_VALUE_PATTERN.into(),
            id_prefix: "REGISTRY_".into(),
            catalog_path: "docs/20-contracts/resource-catalogs/ecr-catalog.yaml".into(),
            tfvars_path: "envs/{environment}/terraform.tfvars".into(),
            variable: "ecr_repositories".into(),
            initial_status: "pending".into(),
            catalog_header: DEFAULT_CATALOG_HEADER.into(),
            allow_replacements: false,
            sync: SyncConfig::default(),
        }
    }
}

/// Why a configured path (`/`-separated, relative to the repository) could leave the repository or
/// mean two things, or `None`: absolute, `..` or `.`, an empty component (`a//b`, a leading or
/// trailing `/`), a backslash (a separator on Windows), NUL or another control character, or a
/// component that is `.git` in any case (also with trailing dots or spaces, which Windows drops,
/// and its 8.3 short name `GIT~1`). The CLI checks every path again as it resolves it.
pub fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("is empty");
    }
    if path.starts_with('/') {
        return Some("is absolute");
    }
    if path.contains('\\') {
        return Some("contains a backslash");
    }
    if path.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    if path.len() > 1 && path.as_bytes()[1] == b':' {
        return Some("starts with a drive letter");
    }
    for component in path.split('/') {
        match component {
            "" => return Some("has an empty component"),
            "." | ".." => return Some("contains `.` or `..`"),
            c if is_git_dir_name(c) => return Some("points into `.git`"),
            _ => {}
        }
    }
    None
}

/// Is `name` the `.git` directory to some file system: any case, trailing dots or spaces, or the
/// 8.3 short name?
pub fn is_git_dir_name(name: &str) -> bool {
    let trimmed = name.trim_end_matches(['.', ' ']);
    trimmed.eq_ignore_ascii_case(".git") || trimmed.eq_ignore_ascii_case("git~1")
}

/// A config that two YAML readers could read differently is refused: see [`no_anchors`] and
/// [`one_key_each`].
#[cfg(feature = "edit")]
fn two_meanings(message: String) -> Error {
    Error::new(ErrorCode::InvalidConfig, message)
}

/// No anchor (`&a`) or alias (`*a`) anywhere a node can start: a value written once and read in
/// several places, or a merge, is refused (and an alias can multiply a small file). Conservative:
/// a plain scalar that starts with `&` or `*` and a letter is refused too, quoted it is fine.
#[cfg(feature = "edit")]
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
            (None, b'&' | b'*')
                if node_start
                    && b.get(i + 1).is_some_and(|&n| {
                        n.is_ascii_alphanumeric() || matches!(n, b'_' | b'-')
                    }) =>
            {
                let what = if c == b'&' {
                    "an anchor (`&name`)"
                } else {
                    "an alias (`*name`)"
                };
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
#[cfg(feature = "edit")]
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
    #[cfg(feature = "edit")]
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
        one_key_each(&serde_yaml::from_str::<serde_yaml::Value>(text).map_err(invalid)?)?;
        let config: Config = serde_yaml::from_str(text).map_err(invalid)?;
        config.check()?;
        Ok(config)
    }

    /// Check the values that the editors and validators rely on.
    pub fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::new(ErrorCode::InvalidConfig, m));
        if self.environments.is_empty() {
            return bad("config: `environments` must list at least one environment".into());
        }
        // Messages name the key, never the value: a config is a file, and no error echoes a file.
        for (i, env) in self.environments.iter().enumerate() {
            if !is_safe_segment(env) {
                return bad(format!(
                    "config: `environments[{i}]` is not a safe directory name (letters, digits, '-', '_', '.'; not '.' or '..')"
                ));
            }
        }
        if self.risk_tiers.is_empty() {
            return bad("config: `riskTiers` must define at least one tier".into());
        }
        for (pattern, key) in [
            (&self.name_pattern, "namePattern"),
            (&self.value_pattern, "valuePattern"),
        ] {
            if let Err(e) = Pattern::new(pattern) {
                let what = match e.code() {
                    ErrorCode::TooLarge => "is too large",
                    _ => "is not a valid regular expression",
                };
                return Err(Error::new(e.code(), format!("config: `{key}` {what}: {e}")));
            }
        }
        for (name, key) in [
            (&self.sync.registry_name, "sync.registryName"),
            (&self.sync.system, "sync.system"),
            (&self.sync.domain, "sync.domain"),
            (&self.sync.owner, "sync.owner"),
        ] {
            if !is_valid_backstage_name(name) {
                return bad(format!(
                    "config: `{key}` is not a valid Backstage entity name (1-63 letters, digits, '-', '_', '.'; starting and ending with a letter or digit)"
                ));
            }
        }
        // Only `sync` (not in the browser's validation-only build) reads the targets.
        #[cfg(feature = "edit")]
        self.check_targets()?;
        if !self.tfvars_path.contains("{environment}") {
            return bad("config: `tfvarsPath` must contain `{environment}`".into());
        }
        for (path, key) in [
            (&self.tfvars_path, "tfvarsPath"),
            (&self.catalog_path, "catalogPath"),
            (&self.sync.entities_path, "sync.entitiesPath"),
            (&self.sync.system_path, "sync.systemPath"),
            (&self.sync.domain_path, "sync.domainPath"),
            (&self.sync.location_path, "sync.locationPath"),
        ] {
            if let Some(why) = path_problem(path) {
                return bad(format!(
                    "config: `{key}` {why}; it must be a relative path inside the repository"
                ));
            }
            if !is_safe_relative_path(path) {
                return bad(format!(
                    "config: `{key}` must be a relative path without `..`"
                ));
            }
        }
        // An environment is a path component of `tfvarsPath`: `{environment}` must not become `.git`.
        for (i, env) in self.environments.iter().enumerate() {
            if let Some(why) = path_problem(&self.tfvars_path_for(env)) {
                return bad(format!(
                    "config: `tfvarsPath` for `environments[{i}]` {why}; it must be a relative path inside the repository"
                ));
            }
        }
        let ident_ok = |s: &str| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if !ident_ok(&self.variable) {
            return bad("config: `variable` is not an HCL identifier".into());
        }
        if self.id_prefix.is_empty()
            || !self
                .id_prefix
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return bad("config: `idPrefix` must be upper-case letters, digits and '_'".into());
        }
        Ok(())
    }

    #[cfg(feature = "edit")]
    fn check_targets(&self) -> Result<()> {
        let bad = |i: usize, m: String| {
            Err(Error::new(
                ErrorCode::InvalidConfig,
                format!("config: `sync.targets[{i}]`: {m}"),
            ))
        };
        let account_ok = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
        let mut seen = std::collections::BTreeSet::new();
        for (i, t) in self.sync.targets.iter().enumerate() {
            if !self.environments.contains(&t.environment) {
                return bad(i, "`environment` is not one of `environments`".into());
            }
            if !crate::naming::is_region(&t.region) {
                return bad(i, crate::naming::not_a_region("`region`"));
            }
            if let Some(a) = &t.account {
                if !account_ok(a) {
                    return bad(i, "`account` is not a 12-digit AWS account id".into());
                }
            }
            if let Some(arn) = &t.role_arn {
                let parts: Vec<&str> = arn.splitn(6, ':').collect();
                let role_ok = parts.len() == 6
                    && parts[0] == "arn"
                    && parts[1].starts_with("aws")
                    && parts[2] == "iam"
                    && parts[3].is_empty()
                    && account_ok(parts[4])
                    && parts[5].strip_prefix("role/").is_some_and(|r| {
                        !r.is_empty()
                            && r.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_/-".contains(&b))
                    });
                if !role_ok {
                    return bad(
                        i,
                        "`roleArn` is not an IAM role ARN such as arn:aws:iam::111111111111:role/ecr-sync".into(),
                    );
                }
                if t.account.as_deref().is_some_and(|a| a != parts[4]) {
                    return bad(i, "`roleArn` is in another account than `account`".into());
                }
            }
            if t.external_id.is_some() && t.role_arn.is_none() {
                return bad(i, "externalId is only used with roleArn".into());
            }
            if !seen.insert((
                t.environment.as_str(),
                t.region.as_str(),
                t.expected_account(),
            )) {
                return bad(
                    i,
                    "the same environment, region and account are listed twice".into(),
                );
            }
        }
        Ok(())
    }

    /// The tfvars path of an environment (the environment must already be validated).
    pub fn tfvars_path_for(&self, environment: &str) -> String {
        self.tfvars_path.replace("{environment}", environment)
    }

    /// Why moving a registry from one risk tier to another makes Terraform replace it (destroy and
    /// recreate, deleting every image), or `None` when it is changed in place. The AWS provider
    /// cannot change `encryption_configuration` of an `aws_ecr_repository` in place; tag mutability,
    /// scanning and the lifecycle policy it can.
    pub fn replacement(&self, from: &str, to: &str) -> Option<String> {
        let (a, b) = (self.risk_tiers.get(from)?, self.risk_tiers.get(to)?);
        (a.encryption != b.encryption).then(|| {
            format!(
                "the encryption changes from {} to {} (tier {} to {}), which AWS cannot change in place",
                show(&a.encryption),
                show(&b.encryption),
                show(from),
                show(to)
            )
        })
    }

    /// The risk tier names in order, for messages.
    pub fn risk_names(&self) -> Vec<&str> {
        self.risk_tiers.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "edit")]
    #[test]
    fn sync_targets_are_checked() {
        let with = |targets: &str| Config::from_yaml(&format!("sync:\n  targets:\n{targets}"));
        let ok = with("    - {environment: dev, region: eu-west-2, account: \"111111111111\"}\n    - {environment: prod, region: eu-west-2, roleArn: \"arn:aws:iam::222222222222:role/ecr-sync\", externalId: x}\n").unwrap();
        assert_eq!(ok.sync.targets[1].expected_account(), Some("222222222222"));
        for (bad, says) in [
            (
                "    - {environment: sandbox, region: eu-west-2}\n",
                "is not one of `environments`",
            ),
            (
                "    - {environment: dev, region: europe}\n",
                "is not an AWS region",
            ),
            (
                "    - {environment: dev, region: eu-west-2, account: \"1111\"}\n",
                "12-digit",
            ),
            (
                "    - {environment: dev, region: eu-west-2, roleArn: \"arn:aws:iam::1:role/x\"}\n",
                "not an IAM role ARN",
            ),
            (
                "    - {environment: dev, region: eu-west-2, account: \"111111111111\", roleArn: \"arn:aws:iam::222222222222:role/x\"}\n",
                "another account",
            ),
            (
                "    - {environment: dev, region: eu-west-2, externalId: x}\n",
                "only used with roleArn",
            ),
            (
                "    - {environment: dev, region: eu-west-2}\n    - {environment: dev, region: eu-west-2}\n",
                "listed twice",
            ),
            (
                "    - {environment: dev, region: eu-west-2, role: x}\n",
                "unknown key",
            ),
        ] {
            let e = with(bad).unwrap_err();
            assert!(e.message.contains(says), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn defaults_are_the_platforms() {
        let c = Config::default();
        c.check().unwrap();
        assert_eq!(c.environments, ["dev", "test", "staging", "prod"]);
        assert_eq!(c.risk_names(), ["low", "medium", "high"]);
        assert_eq!(c.risk_tiers["high"].retention_images, 50);
        assert_eq!(c.risk_tiers["high"].mutability, "IMMUTABLE");
        assert_eq!(c.tfvars_path_for("dev"), "envs/dev/terraform.tfvars");
    }

    #[cfg(feature = "edit")]
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

    #[cfg(feature = "edit")]
    #[test]
    fn config_paths_stay_inside_the_repository_and_out_of_git() {
        for (yaml, key, why) in [
            ("catalogPath: /etc/passwd\n", "catalogPath", "absolute"),
            ("catalogPath: a/../../x.yaml\n", "catalogPath", "`..`"),
            ("catalogPath: a//x.yaml\n", "catalogPath", "empty component"),
            ("catalogPath: 'a\\x.yaml'\n", "catalogPath", "backslash"),
            ("catalogPath: \"a/\\0x.yaml\"\n", "catalogPath", "control"),
            (
                "catalogPath: .git/hooks/pre-commit\n",
                "catalogPath",
                "`.git`",
            ),
            ("catalogPath: docs/.GIT/x.yaml\n", "catalogPath", "`.git`"),
            ("catalogPath: '.git. /x.yaml'\n", "catalogPath", "`.git`"),
            ("catalogPath: GIT~1/x.yaml\n", "catalogPath", "`.git`"),
            ("catalogPath: 'c:x.yaml'\n", "catalogPath", "drive"),
            (
                "sync:\n  entitiesPath: .git/info/x.yaml\n",
                "sync.entitiesPath",
                "`.git`",
            ),
            (
                "sync:\n  locationPath: ./x.yaml\n",
                "sync.locationPath",
                "`..`",
            ),
            (
                "environments: [dev, .Git]\ntfvarsPath: '{environment}/terraform.tfvars'\n",
                "tfvarsPath",
                "`.git`",
            ),
        ] {
            let e = Config::from_yaml(yaml).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{yaml}");
            assert!(e.message.contains(key), "{yaml}: {}", e.message);
            assert!(e.message.contains(why), "{yaml}: {}", e.message);
        }
        // Dots elsewhere in a name are fine.
        Config::from_yaml("catalogPath: docs/.github-x/git.yaml\n").unwrap();
    }

    #[cfg(feature = "edit")]
    #[test]
    fn unsafe_config_values_are_rejected() {
        for yaml in [
            "environments: ['../etc']\n",
            "environments: []\n",
            "tfvarsPath: envs/terraform.tfvars\n",
            "tfvarsPath: ../{environment}/x.tfvars\n",
            "catalogPath: /etc/passwd\n",
            "namePattern: '['\n",
            "variable: 'a b'\n",
        ] {
            let e = Config::from_yaml(yaml).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{yaml}");
        }
    }
}
