//! The settings of `sync` (`SyncConfig`): the Backstage entities' names and files, and the AWS
//! accounts and regions it lists (`SyncTarget`), with the check of those targets.

use serde::{Deserialize, Serialize};

use super::Config;
#[cfg(feature = "edit")]
use crate::error::{Error, ErrorCode, Result};

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

impl Config {
    #[cfg(feature = "edit")]
    pub(super) fn check_targets(&self) -> Result<()> {
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
}

#[cfg(all(test, feature = "edit"))]
mod tests {

    use crate::config::Config;

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
}
