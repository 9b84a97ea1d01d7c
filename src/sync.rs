//! `sync`: the Backstage catalog entities of the registry, rendered from the physical AWS ECR state
//! (the platform's runbook RB-0025: AWS is the source of truth, the governance catalog only
//! enriches), plus the reconciliation between the two.
//!
//! Pure: the DescribeRepositories JSON (as AWS and `aws ecr describe-repositories` print it, one
//! page or many, with optional `tags` per repository), the catalog text and the time come in; file
//! texts and a report go out. Output is deterministic and sorted: two runs over the same AWS state
//! differ only in `platform/last-sync`, which [`same_ignoring_last_sync`] disregards.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::scaffold::FileChange;
use crate::validate::is_valid_backstage_name;

pub const LAST_SYNC: &str = "platform/last-sync";
pub const REPO_COUNT: &str = "platform/repo-count";
pub const ARN_ANNOTATION: &str = "amazonaws.com/ecr-repository-arn";
pub const ID_ANNOTATION: &str = "platform/governance-id";
pub const RISK_ANNOTATION: &str = "platform/risk";

/// Where and when: the region, the account (else read from the listing) and the time (UTC,
/// `YYYY-MM-DDTHH:MM:SSZ`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncOptions {
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub now: String,
}

/// One repository as DescribeRepositories returns it; `tags` as ListTagsForResource returns them.
/// Fields AWS adds later are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsRepository {
    pub repository_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<AwsTag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsTag {
    #[serde(rename = "Key", alias = "key")]
    pub key: String,
    #[serde(rename = "Value", alias = "value")]
    pub value: String,
}

/// Two or more repositories whose entity names would be the same.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collision {
    pub entity_name: String,
    pub repositories: Vec<String>,
}

/// A repository without an entity, and why.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub repository: String,
    pub reason: String,
}

/// The reconciliation of AWS and the governance catalog.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub region: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub account: Option<String>,
    /// Repositories in AWS (the registry's `platform/repo-count`).
    pub repo_count: usize,
    /// In AWS and in the catalog.
    pub synced: Vec<String>,
    /// In the catalog only: requested but not (or no longer) in AWS.
    pub ghosts: Vec<String>,
    /// In AWS only: not governed by the catalog.
    pub orphans: Vec<String>,
    pub collisions: Vec<Collision>,
    pub skipped: Vec<Skipped>,
}

/// One rendered file.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderedFile {
    pub path: String,
    pub text: String,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutput {
    pub files: Vec<RenderedFile>,
    pub report: SyncReport,
}

fn malformed(message: String) -> Error {
    Error::new(ErrorCode::Malformed, message)
}

#[derive(Deserialize)]
struct Page {
    repositories: Vec<AwsRepository>,
}

/// Read the listing: one DescribeRepositories response, several concatenated, or a JSON array of
/// them. Repositories listed twice (an overlapping page) count once.
pub fn parse_listing(text: &str) -> Result<Vec<AwsRepository>> {
    let bad = |e: serde_json::Error, page: usize| {
        let what = if e.is_data() && e.to_string().contains("missing field `repositories`") {
            format!(
                "page {page} of the repository listing has no \"repositories\" list; expected the JSON of `aws ecr describe-repositories`"
            )
        } else if e.is_data() {
            format!("the repository listing is not DescribeRepositories output: {e}")
        } else {
            format!("the repository listing is not valid JSON: {e}")
        };
        malformed(what).at(e.line(), e.column())
    };
    let mut pages: Vec<Page> = Vec::new();
    if text.trim_start().starts_with('[') {
        pages = serde_json::from_str(text).map_err(|e| bad(e, 1))?;
    } else {
        for page in serde_json::Deserializer::from_str(text).into_iter::<Page>() {
            pages.push(page.map_err(|e| bad(e, pages.len() + 1))?);
        }
    }
    if pages.is_empty() {
        return Err(malformed(
            "the repository listing is empty; expected the JSON of `aws ecr describe-repositories`"
                .into(),
        ));
    }
    let mut out: Vec<AwsRepository> = pages.into_iter().flat_map(|p| p.repositories).collect();
    // Stable sort, then drop repeats: the first listing of a name wins.
    out.sort_by(|a, b| a.repository_name.cmp(&b.repository_name));
    out.dedup_by(|b, a| a.repository_name == b.repository_name);
    Ok(out)
}

/// What the governance catalog says about a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogInfo {
    pub id: Option<String>,
    pub owner: Option<String>,
    pub environment: Option<String>,
    pub risk: Option<String>,
}

/// The catalog's repositories (by name); a missing or empty catalog has none. Read with the
/// catalog editor's own parser, so both see the same entries.
pub fn parse_catalog(text: Option<&str>) -> Result<BTreeMap<String, CatalogInfo>> {
    use crate::fast::YVal;
    let mut out = BTreeMap::new();
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(out);
    };
    let str_of = |v: &YVal| match v {
        YVal::Str(s) => Some(s.to_string()),
        YVal::Other(s) => Some(s.clone()),
        _ => None,
    };
    for (k, v) in crate::catalog::repositories(text)? {
        let Some(name) = str_of(&k) else { continue };
        let mut info = CatalogInfo::default();
        if let YVal::Map(pairs) = &v {
            if let Some((_, YVal::Map(meta))) = pairs
                .iter()
                .find(|(k, _)| str_of(k).as_deref() == Some("metadata"))
            {
                for (mk, mv) in meta {
                    let slot = match str_of(mk).as_deref() {
                        Some("id") => &mut info.id,
                        Some("owner") => &mut info.owner,
                        Some("environment") => &mut info.environment,
                        Some("risk") => &mut info.risk,
                        _ => continue,
                    };
                    *slot = str_of(mv);
                }
            }
        }
        out.insert(name, info);
    }
    Ok(out)
}

/// The Backstage entity name of a repository: `ecr-` + the name with `/` as `-`.
pub fn repository_entity_name(name: &str) -> String {
    format!(
        "{}{}",
        crate::validate::ENTITY_PREFIX,
        name.replace('/', "-")
    )
}

/// A value as a Backstage tag (`[a-z0-9:+#]` words joined by single `-`, at most 63 characters).
fn tag(prefix: &str, value: &str) -> Option<String> {
    let mut t = String::from(prefix);
    for c in value.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || matches!(c, ':' | '+' | '#') {
            c
        } else {
            '-'
        };
        if !(c == '-' && t.ends_with('-')) {
            t.push(c);
        }
    }
    let t = t.trim_end_matches('-').to_string();
    (t.len() > prefix.len() && t.len() <= 63).then_some(t)
}

fn is_iso_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && crate::text::is_iso_date(&s[..10])
        && b[10] == b'T'
        && b[19] == b'Z'
        && [13, 16].iter().all(|&i| b[i] == b':')
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

fn account_of(repos: &[AwsRepository]) -> Option<String> {
    repos.iter().find_map(|r| {
        r.registry_id.clone().or_else(|| {
            r.repository_arn
                .as_deref()
                .and_then(|arn| arn.split(':').nth(4))
                .filter(|a| !a.is_empty())
                .map(str::to_string)
        })
    })
}

/// `to` relative to the directory of `from` (both relative to the repo root).
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count() - 1].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    let rel = parts.join("/");
    if rel.starts_with("..") {
        rel
    } else {
        format!("./{rel}")
    }
}

/// Is `s` safe as a plain YAML scalar that every YAML 1.1 and 1.2 reader reads back as this string?
/// Conservative: starts with a letter, only `[A-Za-z0-9._/:?=&-]` and single inner spaces after
/// it, no `: ` or trailing `:`, and not a word YAML 1.1 reads as a boolean or null.
fn plain_ok(s: &str) -> bool {
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

/// A string scalar: plain when safe, a literal block for multi-line text, else double-quoted (JSON
/// string syntax, which YAML reads the same).
fn scalar(out: &mut String, s: &str, indent: usize) {
    if plain_ok(s) {
        out.push_str(s);
    } else if s.contains('\n')
        && !s.ends_with('\n')
        && s.lines()
            .all(|l| !l.starts_with([' ', '\t']) && !l.ends_with([' ', '\t']) && !l.is_empty())
        && !s.chars().any(|c| c.is_control() && c != '\n')
    {
        out.push_str("|-");
        for line in s.lines() {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent + 2));
            out.push_str(line);
        }
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// Block-style YAML of a JSON value tree (objects, arrays of objects or strings, string scalars).
/// The tests read every file back with serde_yaml, PyYAML-compatible `yaml` and Backstage's own
/// validators; `yaml_emitter_round_trips` checks it against serde_yaml on hostile strings.
fn emit(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(map) => {
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent));
                }
                scalar(out, k, indent);
                out.push(':');
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        out.extend(std::iter::repeat_n(' ', indent + 2));
                        emit(out, v, indent + 2);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        out.extend(std::iter::repeat_n(' ', indent));
                        emit(out, v, indent);
                    }
                    _ => {
                        out.push(' ');
                        emit(out, v, indent);
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent));
                }
                out.push_str("- ");
                emit(out, item, indent + 2);
            }
        }
        Value::String(s) => scalar(out, s, indent),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
    }
    if matches!(v, Value::Object(m) if m.is_empty()) {
        out.push_str("{}");
    }
    if matches!(v, Value::Array(a) if a.is_empty()) {
        out.push_str("[]");
    }
}

/// Documents separated by `---`.
pub fn yaml_docs(docs: &[Value]) -> Result<String> {
    let mut out = String::with_capacity(docs.len() * 512);
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        emit(&mut out, d, 0);
        out.push('\n');
    }
    Ok(out)
}

/// Render the entities and the reconciliation.
pub fn render_entities(
    listing: &[AwsRepository],
    catalog: &BTreeMap<String, CatalogInfo>,
    options: &SyncOptions,
    config: &Config,
) -> Result<SyncOutput> {
    let sc = &config.sync;
    if !crate::crossplane::is_region(&options.region) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "region {} is not an AWS region name such as eu-west-2",
                crate::text::show(&options.region)
            ),
        ));
    }
    if !is_iso_utc(&options.now) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "now {} is not a UTC time of the form 2026-11-21T17:45:00Z",
                crate::text::show(&options.now)
            ),
        ));
    }
    let account = options.account.clone().or_else(|| account_of(listing));
    let registry_ref = format!("resource:{}", sc.registry_name);

    // Entity names, with collisions and invalid names set aside (never merged).
    let mut named: Vec<(String, &AwsRepository)> = listing
        .iter()
        .map(|r| (repository_entity_name(&r.repository_name), r))
        .collect();
    named.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.repository_name.cmp(&b.1.repository_name))
    });
    let mut report = SyncReport {
        region: options.region.clone(),
        account: account.clone(),
        repo_count: listing.len(),
        ..SyncReport::default()
    };
    // The registry: count and listing from AWS, environments from the catalog.
    let n = listing.len();
    let mut description = format!(
        "Master AWS ECR Registry. Manages {n} {}",
        if n == 1 { "repository" } else { "repositories" }
    );
    description.push_str(if n == 0 { "." } else { ":" });
    for r in listing.iter().take(sc.describe_limit) {
        let env = catalog
            .get(&r.repository_name)
            .and_then(|i| i.environment.as_deref())
            .unwrap_or("unassigned");
        description.push_str(&format!("\n- {} ({env})", r.repository_name));
    }
    if n > sc.describe_limit {
        description.push_str(&format!("\n- … and {} more", n - sc.describe_limit));
    }
    let region = &options.region;
    let registry = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {
            "name": sc.registry_name,
            "title": sc.registry_title,
            "description": description,
            "links": [{
                "url": format!("https://{region}.console.aws.amazon.com/ecr/private-registry/repositories?region={region}"),
                "title": format!("AWS ECR Console ({region})"),
            }],
            "annotations": {
                REPO_COUNT: n.to_string(),
                LAST_SYNC: options.now,
                "platform/aws-region": region,
                "platform/aws-account": account.clone().unwrap_or_default(),
            }
        },
        "spec": {
            "type": "container-registry",
            "owner": sc.owner,
            "system": sc.system,
        }
    });
    // One buffer for the whole file, sized so that it never reallocates (a copy at 100,000
    // repositories would briefly double the memory).
    let mut entities = yaml_docs(&[registry])?;
    entities.reserve(listing.len() * 560);
    for group in named.chunk_by(|a, b| a.0 == b.0) {
        let entity = &group[0].0;
        let repos: Vec<&AwsRepository> = group.iter().map(|(_, r)| *r).collect();
        if repos.len() > 1 {
            report.collisions.push(Collision {
                entity_name: entity.clone(),
                repositories: repos.iter().map(|r| r.repository_name.clone()).collect(),
            });
            continue;
        }
        let r = repos[0];
        if !is_valid_backstage_name(entity) {
            report.skipped.push(Skipped {
                repository: r.repository_name.clone(),
                reason: format!(
                    "its entity name {} is not a valid Backstage name (at most 63 characters: letters, digits, '-', '_', '.')",
                    crate::text::show(entity)
                ),
            });
            continue;
        }
        let none = CatalogInfo::default();
        let info = catalog.get(&r.repository_name).unwrap_or(&none);
        let aws_owner = r
            .tags
            .iter()
            .find(|t| t.key.eq_ignore_ascii_case("owner"))
            .map(|t| t.value.clone());
        let owner = [info.owner.clone(), aws_owner]
            .into_iter()
            .flatten()
            .find(|o| is_valid_backstage_name(o))
            .unwrap_or_else(|| sc.owner.clone());
        let annotations: Vec<(&str, &str)> = [
            (ARN_ANNOTATION, r.repository_arn.as_deref()),
            (ID_ANNOTATION, info.id.as_deref()),
            (RISK_ANNOTATION, info.risk.as_deref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        let tags: Vec<String> = [
            info.environment.as_deref().and_then(|e| tag("env-", e)),
            info.risk.as_deref().and_then(|e| tag("risk-", e)),
        ]
        .into_iter()
        .flatten()
        .collect();
        // Written directly (no value tree): at 10,000 repositories this loop is most of the work.
        // Same layout as `emit`; `repository_entities_match_the_generic_emitter` holds them equal.
        let e = &mut entities;
        e.push_str("---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ");
        scalar(e, entity, 2);
        e.push_str("\n  title: ");
        scalar(e, &r.repository_name, 2);
        e.push_str("\n  description: ");
        scalar(e, &format!("ECR repository {}", r.repository_name), 2);
        if !tags.is_empty() {
            e.push_str("\n  tags:");
            for t in &tags {
                e.push_str("\n  - ");
                scalar(e, t, 4);
            }
        }
        if !annotations.is_empty() {
            e.push_str("\n  annotations:");
            for (k, v) in &annotations {
                e.push_str("\n    ");
                scalar(e, k, 4);
                e.push_str(": ");
                scalar(e, v, 4);
            }
        }
        e.push_str("\nspec:\n  type: container-repository\n  owner: ");
        scalar(e, &owner, 2);
        e.push_str("\n  system: ");
        scalar(e, &sc.system, 2);
        e.push_str("\n  dependencyOf:\n  - ");
        scalar(e, &registry_ref, 4);
        e.push('\n');
    }
    for r in listing {
        if catalog.contains_key(&r.repository_name) {
            report.synced.push(r.repository_name.clone());
        } else {
            report.orphans.push(r.repository_name.clone());
        }
    }
    let in_aws: BTreeSet<&str> = listing.iter().map(|r| r.repository_name.as_str()).collect();
    report.ghosts = catalog
        .keys()
        .filter(|k| !in_aws.contains(k.as_str()))
        .cloned()
        .collect();

    let system = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "System",
        "metadata": { "name": sc.system, "description": "Platform container registry and lifecycle services" },
        "spec": { "owner": sc.owner, "domain": sc.domain }
    });
    let domain = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Domain",
        "metadata": { "name": sc.domain, "description": "Delivery platform capabilities and workflows" },
        "spec": { "owner": sc.owner }
    });
    let targets: Vec<String> = [&sc.entities_path, &sc.system_path, &sc.domain_path]
        .iter()
        .map(|p| relative(&sc.location_path, p))
        .collect();
    let location = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Location",
        "metadata": {
            "name": format!("{}-sync", sc.registry_name),
            "description": "Entities written by ecr-registrar sync from AWS ECR",
        },
        "spec": { "targets": targets }
    });
    let resources = entities;
    let files = vec![
        RenderedFile {
            path: sc.entities_path.clone(),
            text: resources,
        },
        RenderedFile {
            path: sc.system_path.clone(),
            text: yaml_docs(&[system])?,
        },
        RenderedFile {
            path: sc.domain_path.clone(),
            text: yaml_docs(&[domain])?,
        },
        RenderedFile {
            path: sc.location_path.clone(),
            text: yaml_docs(&[location])?,
        },
    ];
    Ok(SyncOutput { files, report })
}

/// Listing text + catalog text → entities: what the CLI and WebAssembly call.
pub fn sync(
    listing: &str,
    catalog: Option<&str>,
    options: &SyncOptions,
    config: &Config,
) -> Result<SyncOutput> {
    let repos = parse_listing(listing)?;
    let catalog = parse_catalog(catalog).map_err(|e| e.or_file(&config.catalog_path))?;
    render_entities(&repos, &catalog, options, config)
}

/// A line without the value of `platform/last-sync`.
fn without_last_sync(l: &str) -> &str {
    match l.trim_start().strip_prefix(LAST_SYNC) {
        Some(rest) if rest.starts_with(':') => &l[..l.len() - rest.len()],
        _ => l,
    }
}

/// Equal apart from the `platform/last-sync` time (line by line, without copies).
pub fn same_ignoring_last_sync(a: &str, b: &str) -> bool {
    a == b
        || (a.ends_with('\n') == b.ends_with('\n')
            && a.lines().count() == b.lines().count()
            && a.lines()
                .zip(b.lines())
                .all(|(x, y)| x == y || without_last_sync(x) == without_last_sync(y)))
}

/// What to write: a file whose only difference is `platform/last-sync` keeps its old text, so a run
/// over an unchanged AWS state changes nothing on disk. `existing` pairs a path with its text.
/// Takes the rendered files by value, and the old text of each unchanged file out of `existing`
/// (the changed ones stay there, for diffs): at 100,000 repositories each text is ~45 MB.
pub fn changes(
    files: Vec<RenderedFile>,
    existing: &mut BTreeMap<String, Option<String>>,
) -> Vec<FileChange> {
    files
        .into_iter()
        .map(|f| {
            let old = existing.get(&f.path).and_then(Option::as_deref);
            if old.is_some_and(|old| same_ignoring_last_sync(old, &f.text)) {
                FileChange {
                    text: existing.remove(&f.path).flatten().unwrap_or_default(),
                    path: f.path,
                    changed: false,
                    created: false,
                }
            } else {
                FileChange {
                    created: old.is_none(),
                    path: f.path,
                    changed: true,
                    text: f.text,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_emitter_round_trips() {
        let hostile = [
            "plain",
            "yes",
            "No",
            "null",
            "~",
            "3",
            "0x1f",
            "1e3",
            "2026-11-21",
            "2026-11-21T18:00:00Z",
            "a: b",
            "a #b",
            "#x",
            "- x",
            "[x]",
            "{x}",
            "'q'",
            "\"dq\"",
            "tab\there",
            " lead",
            "trail ",
            "multi\nline",
            "multi\n  indented",
            "ends\n",
            "",
            "ünï",
            "a\u{7}bell",
            "*ref",
            "&anchor",
            "!tag",
            "%dir",
            "@at",
            "`tick`",
            "https://x.example/a?b=c&d=e",
            "arn:aws:ecr:eu-west-2:1:repository/a/b",
            "key:",
            "a - b",
        ];
        for s in hostile {
            let v = json!({"k": s, "list": [s, {"inner": s}], "nested": {"deeper": {"x": s}}, "empty": {}, "none": []});
            let text = yaml_docs(std::slice::from_ref(&v)).unwrap();
            let back: Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{s:?}: {e}\n{text}"));
            assert_eq!(back, v, "{s:?}\n{text}");
        }
    }

    #[test]
    fn repository_entities_match_the_generic_emitter() {
        let listing = parse_listing(r#"{"repositories": [{"repositoryName": "team/a", "repositoryArn": "arn:aws:ecr:eu-west-2:1:repository/team/a", "tags": [{"Key": "owner", "Value": "app-team"}]}]}"#).unwrap();
        let mut catalog = BTreeMap::new();
        catalog.insert(
            "team/a".to_string(),
            CatalogInfo {
                id: Some("REGISTRY_A".into()),
                owner: None,
                environment: Some("Prod EU".into()),
                risk: Some("high".into()),
            },
        );
        let opts = SyncOptions {
            region: "eu-west-2".into(),
            account: None,
            now: "2026-11-21T18:00:00Z".into(),
        };
        let out = render_entities(&listing, &catalog, &opts, &Config::default()).unwrap();
        let docs: Vec<&str> = out.files[0].text.split("---\n").collect();
        let expected = json!({
            "apiVersion": "backstage.io/v1alpha1",
            "kind": "Resource",
            "metadata": {
                "name": "ecr-team-a",
                "title": "team/a",
                "description": "ECR repository team/a",
                "tags": ["env-prod-eu", "risk-high"],
                "annotations": {
                    ARN_ANNOTATION: "arn:aws:ecr:eu-west-2:1:repository/team/a",
                    ID_ANNOTATION: "REGISTRY_A",
                    RISK_ANNOTATION: "high",
                }
            },
            "spec": {"type": "container-repository", "owner": "app-team", "system": "container-registry", "dependencyOf": ["resource:ecr-registry"]}
        });
        assert_eq!(docs[1], yaml_docs(&[expected]).unwrap());
    }
}
