//! The Backstage entities of the registry: one `Resource` for the registry, one per repository, the
//! `System`, the `Domain` and a `Location`, as block-style YAML written directly (no value tree for
//! the per-repository entities: at 10,000 repositories that loop is most of the work).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::listing::{AwsRepository, account_of};
use super::reconcile::{Collision, Skipped, SyncReport, reconcile};
use super::{
    ARN_ANNOTATION, AWS_PLUGIN_ARN_ANNOTATION, ID_ANNOTATION, LAST_SYNC, REPO_COUNT,
    RISK_ANNOTATION, RenderedFile, SyncOptions, SyncOutput,
};
use crate::config::Config;
use crate::date::is_iso_utc;
use crate::edit::catalog::CatalogInfo;
use crate::error::{Error, ErrorCode, Result};
use crate::naming::{is_region, is_valid_backstage_name, not_a_region, repository_entity_name};
use crate::quote::show;
use crate::yaml_out::{scalar, yaml_docs};

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

/// How one target's entities are named: its registry, and the prefix of its repositories'
/// entity names (`None`: `ecr-<name>`, as with a single target).
pub(crate) struct Naming {
    pub registry_name: String,
    pub registry_title: String,
    pub slug: Option<String>,
    pub environment: Option<String>,
}

impl Naming {
    /// A single target: today's names.
    fn single(config: &Config) -> Naming {
        Naming {
            registry_name: config.sync.registry_name.clone(),
            registry_title: config.sync.registry_title.clone(),
            slug: None,
            environment: None,
        }
    }

    /// The entity name of a repository of this target.
    pub fn entity(&self, repository: &str) -> String {
        match &self.slug {
            None => repository_entity_name(repository),
            Some(slug) => repository_entity_name(&format!("{slug}/{repository}")),
        }
    }
}

fn check_options(options: &SyncOptions) -> Result<()> {
    if !is_region(&options.region) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            not_a_region(&format!("region {}", show(&options.region))),
        ));
    }
    if !is_iso_utc(&options.now) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "now {} is not a UTC time of the form 2026-11-21T17:45:00Z",
                show(&options.now)
            ),
        ));
    }
    Ok(())
}

/// Whether a catalog entry records a region other than `region`.
pub(crate) fn in_other_region(info: &CatalogInfo, region: &str) -> bool {
    info.region.as_deref().is_some_and(|r| r != region)
}

/// Render the entities and the reconciliation.
pub fn render_entities(
    listing: &[AwsRepository],
    catalog: &BTreeMap<String, CatalogInfo>,
    options: &SyncOptions,
    config: &Config,
) -> Result<SyncOutput> {
    check_options(options)?;
    // Entries recorded in another region are not this listing's (neither synced nor ghosts).
    let own: BTreeMap<String, CatalogInfo>;
    let catalog = if catalog
        .values()
        .any(|i| in_other_region(i, &options.region))
    {
        own = catalog
            .iter()
            .filter(|(_, i)| !in_other_region(i, &options.region))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        &own
    } else {
        catalog
    };
    let mut entities = String::new();
    let report = render_target(
        listing,
        catalog,
        options,
        config,
        &Naming::single(config),
        &BTreeSet::new(),
        &mut entities,
    )?;
    Ok(SyncOutput {
        files: shared_files(entities, config)?,
        report,
    })
}

/// One target's registry and repositories, appended to `entities`; names in `colliding` collide
/// with another target's and are not rendered. `catalog` holds the entries of this target's
/// environment (all of them for a single target).
pub(crate) fn render_target(
    listing: &[AwsRepository],
    catalog: &BTreeMap<String, CatalogInfo>,
    options: &SyncOptions,
    config: &Config,
    naming: &Naming,
    colliding: &BTreeSet<String>,
    entities: &mut String,
) -> Result<SyncReport> {
    let sc = &config.sync;
    let account = options.account.clone().or_else(|| account_of(listing));
    let registry_ref = format!("resource:{}", naming.registry_name);

    // Entity names, with collisions and invalid names set aside (never merged).
    let mut named: Vec<(String, &AwsRepository)> = listing
        .iter()
        .map(|r| (naming.entity(&r.repository_name), r))
        .collect();
    named.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.repository_name.cmp(&b.1.repository_name))
    });
    let mut report = SyncReport {
        region: options.region.clone(),
        account: account.clone(),
        environment: naming.environment.clone(),
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
    // By name, whatever order AWS listed them in: the same state renders the same bytes.
    let mut by_name: Vec<&AwsRepository> = listing.iter().collect();
    by_name.sort_by(|a, b| a.repository_name.cmp(&b.repository_name));
    for r in by_name.iter().take(sc.describe_limit) {
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
    let mut registry = json!({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {
            "name": naming.registry_name,
            "title": naming.registry_title,
            "description": description,
            "links": crate::naming::ecr_console_url(region).map_or_else(Vec::new, |url| vec![json!({
                "url": url,
                "title": format!("AWS ECR Console ({region})"),
            })]),
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
    if let Some(env) = &naming.environment {
        registry["metadata"]["annotations"]["platform/environment"] = json!(env);
    }
    // One buffer for the whole file, sized so that it never reallocates (a copy at 100,000
    // repositories would briefly double the memory).
    if !entities.is_empty() {
        entities.push_str("---\n");
    }
    entities.push_str(&yaml_docs(&[registry])?);
    entities.reserve(listing.len() * 580);
    for group in named.chunk_by(|a, b| a.0 == b.0) {
        let entity = &group[0].0;
        let repos: Vec<&AwsRepository> = group.iter().map(|(_, r)| *r).collect();
        if repos.len() > 1 || colliding.contains(entity) {
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
                    show(entity)
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
            (AWS_PLUGIN_ARN_ANNOTATION, r.repository_arn.as_deref()),
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
        let e = &mut *entities;
        e.push_str("---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ");
        scalar(e, entity, 2);
        e.push_str("\n  title: ");
        scalar(e, &r.repository_name, 2);
        e.push_str("\n  description: ");
        // The request's description when the catalog holds one the rules take (escaped for the
        // Markdown Backstage renders it as), else a default.
        let description = info
            .description
            .as_deref()
            .filter(|d| crate::validate::description_problem(d).is_none())
            .map_or_else(
                || format!("ECR repository {}", r.repository_name),
                crate::quote::md_inline,
            );
        scalar(e, &description, 2);
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
    reconcile(listing, catalog, &mut report);
    Ok(report)
}

/// The `System`, the `Domain` and the `Location`, after the entities file.
pub(crate) fn shared_files(entities: String, config: &Config) -> Result<Vec<RenderedFile>> {
    let sc = &config.sync;
    let mut files = vec![RenderedFile {
        path: sc.entities_path.clone(),
        text: entities,
    }];
    files.extend(system_domain_location(
        std::slice::from_ref(&sc.entities_path),
        config,
    )?);
    Ok(files)
}

/// The `System`, the `Domain`, and a `Location` listing `entity_paths` and those two.
pub(crate) fn system_domain_location(
    entity_paths: &[String],
    config: &Config,
) -> Result<Vec<RenderedFile>> {
    let sc = &config.sync;

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
    let targets: Vec<String> = entity_paths
        .iter()
        .chain([&sc.system_path, &sc.domain_path])
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
    Ok(vec![
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
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::listing::parse_listing;

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
                description: None,
                region: None,
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
                    AWS_PLUGIN_ARN_ANNOTATION: "arn:aws:ecr:eu-west-2:1:repository/team/a",
                    ID_ANNOTATION: "REGISTRY_A",
                    RISK_ANNOTATION: "high",
                }
            },
            "spec": {"type": "container-repository", "owner": "app-team", "system": "container-registry", "dependencyOf": ["resource:ecr-registry"]}
        });
        assert_eq!(docs[1], yaml_docs(&[expected]).unwrap());
    }
}
