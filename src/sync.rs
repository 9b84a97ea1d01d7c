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

/// Read the listing: one DescribeRepositories response, several concatenated, or a JSON array of
/// them. Repositories listed twice (an overlapping page) count once.
pub fn parse_listing(text: &str) -> Result<Vec<AwsRepository>> {
    let mut pages = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = value.map_err(|e| {
            malformed(format!("the repository listing is not valid JSON: {e}"))
                .at(e.line(), e.column())
        })?;
        match value {
            Value::Array(items) => pages.extend(items),
            other => pages.push(other),
        }
    }
    if pages.is_empty() {
        return Err(malformed(
            "the repository listing is empty; expected the JSON of `aws ecr describe-repositories`"
                .into(),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, page) in pages.into_iter().enumerate() {
        let Some(repos) = page.get("repositories").cloned() else {
            return Err(malformed(format!(
                "page {} of the repository listing has no \"repositories\" list; expected the JSON of `aws ecr describe-repositories`",
                i + 1
            )));
        };
        let repos: Vec<AwsRepository> = serde_json::from_value(repos)
            .map_err(|e| malformed(format!("page {} of the repository listing: {e}", i + 1)))?;
        for r in repos {
            if seen.insert(r.repository_name.clone()) {
                out.push(r);
            }
        }
    }
    out.sort_by(|a, b| a.repository_name.cmp(&b.repository_name));
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

/// The catalog's repositories (by name); a missing or empty catalog has none.
pub fn parse_catalog(text: Option<&str>) -> Result<BTreeMap<String, CatalogInfo>> {
    let mut out = BTreeMap::new();
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(out);
    };
    let doc: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let err = malformed(format!("the catalog is not valid YAML: {e}"));
        match e.location() {
            Some(l) => err.at(l.line(), l.column()),
            None => err,
        }
    })?;
    let Some(repos) = doc.get("repositories") else {
        return Ok(out);
    };
    let Some(map) = repos.as_mapping() else {
        if repos.is_null() {
            return Ok(out);
        }
        return Err(malformed(
            "the catalog's `repositories` is not a mapping".into(),
        ));
    };
    for (k, v) in map {
        let Some(name) = k.as_str() else { continue };
        let meta = v.get("metadata");
        let field = |f: &str| {
            meta.and_then(|m| m.get(f))
                .and_then(|x| x.as_str())
                .map(str::to_string)
        };
        out.insert(
            name.to_string(),
            CatalogInfo {
                id: field("id"),
                owner: field("owner"),
                environment: field("environment"),
                risk: field("risk"),
            },
        );
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

fn yaml_docs(docs: &[Value]) -> Result<String> {
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(
            &serde_yaml::to_string(d)
                .map_err(|e| Error::new(ErrorCode::VerificationFailed, format!("internal: {e}")))?,
        );
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
    let mut by_entity: BTreeMap<String, Vec<&AwsRepository>> = BTreeMap::new();
    for r in listing {
        by_entity
            .entry(repository_entity_name(&r.repository_name))
            .or_default()
            .push(r);
    }
    let mut report = SyncReport {
        region: options.region.clone(),
        account: account.clone(),
        repo_count: listing.len(),
        ..SyncReport::default()
    };
    let mut entities = Vec::new();
    for (entity, repos) in &by_entity {
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
        let info = catalog.get(&r.repository_name).cloned().unwrap_or_default();
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
        let mut annotations = serde_json::Map::new();
        if let Some(arn) = &r.repository_arn {
            annotations.insert(ARN_ANNOTATION.into(), json!(arn));
        }
        if let Some(id) = &info.id {
            annotations.insert(ID_ANNOTATION.into(), json!(id));
        }
        if let Some(risk) = &info.risk {
            annotations.insert(RISK_ANNOTATION.into(), json!(risk));
        }
        let tags: Vec<String> = [
            info.environment.as_deref().and_then(|e| tag("env-", e)),
            info.risk.as_deref().and_then(|e| tag("risk-", e)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut metadata = json!({
            "name": entity,
            "title": r.repository_name,
            "description": format!("ECR repository {}", r.repository_name),
        });
        if !tags.is_empty() {
            metadata["tags"] = json!(tags);
        }
        if !annotations.is_empty() {
            metadata["annotations"] = Value::Object(annotations);
        }
        entities.push(json!({
            "apiVersion": "backstage.io/v1alpha1",
            "kind": "Resource",
            "metadata": metadata,
            "spec": {
                "type": "container-repository",
                "owner": owner,
                "system": sc.system,
                "dependencyOf": [registry_ref],
            }
        }));
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
    let mut resources = vec![registry];
    resources.extend(entities);
    let files = vec![
        RenderedFile {
            path: sc.entities_path.clone(),
            text: yaml_docs(&resources)?,
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

/// `text` without the value of `platform/last-sync`.
fn without_last_sync(text: &str) -> String {
    text.lines()
        .map(|l| match l.trim_start().strip_prefix(LAST_SYNC) {
            Some(rest) if rest.starts_with(':') => &l[..l.len() - rest.len()],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Equal apart from the `platform/last-sync` time.
pub fn same_ignoring_last_sync(a: &str, b: &str) -> bool {
    a == b || without_last_sync(a) == without_last_sync(b)
}

/// What to write: a file whose only difference is `platform/last-sync` keeps its old text, so a run
/// over an unchanged AWS state changes nothing on disk. `existing` pairs a path with its text.
pub fn changes(out: &SyncOutput, existing: &BTreeMap<String, Option<String>>) -> Vec<FileChange> {
    out.files
        .iter()
        .map(|f| {
            let old = existing.get(&f.path).cloned().flatten();
            match old {
                Some(old) if same_ignoring_last_sync(&old, &f.text) => FileChange {
                    path: f.path.clone(),
                    text: old,
                    changed: false,
                    created: false,
                },
                old => FileChange {
                    path: f.path.clone(),
                    changed: true,
                    created: old.is_none(),
                    text: f.text.clone(),
                },
            }
        })
        .collect()
}
