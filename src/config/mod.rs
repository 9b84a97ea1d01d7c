//! Platform configuration. The defaults are the platform's own: the request template's enums
//! (owners, domains, environments, risk), the risk settings policy (controls per tier), the catalog
//! and tfvars paths of the request flow, and the catalog header of the governance catalog.
//!
//! A platform overrides any of it in `registrar.yaml` at the root of its repository; every key is
//! optional and unknown keys are an error that names the key.
//!
//! Where each part is: `Config` and its defaults here; `read.rs` reads `registrar.yaml` (and
//! refuses what two YAML readers could read differently); `check.rs` checks the values the editors
//! and validators rely on; `paths.rs` says why a configured path could leave the repository;
//! `sync.rs` holds the settings of `sync` and the check of its targets; `risk.rs` the risk tiers'
//! controls and which tier moves make Terraform replace a repository.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::naming;

mod check;
mod paths;
#[cfg(feature = "edit")]
mod read;
#[cfg(feature = "edit")]
pub(crate) use read::anchor_or_alias;
mod risk;
mod sync;

pub use paths::{is_git_dir_name, path_problem};
pub use risk::RiskControls;
#[cfg(feature = "edit")]
pub use risk::TierMove;
use risk::tier;
pub use sync::{SyncConfig, SyncTarget};

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
    /// The AWS region a request gets when it names none (e.g. `eu-west-2`); none by default, and
    /// then a request without a region records none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default_region: Option<String>,
    /// `sync`: the Backstage entities rendered from AWS.
    pub sync: SyncConfig,
    /// Let the guard pass a change that Terraform performs by destroying and recreating the
    /// repository (every image in it is deleted), when a reviewer also says so (`changes
    /// --allow-replace`, given by the apply workflow for a reviewer's label). Off by default.
    pub allow_replacements: bool,
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
            initial_status: crate::registry::PENDING.into(),
            catalog_header: DEFAULT_CATALOG_HEADER.into(),
            allow_replacements: false,
            default_region: None,
            sync: SyncConfig::default(),
        }
    }
}

impl Config {
    /// The tfvars path of an environment (the environment must already be validated).
    pub fn tfvars_path_for(&self, environment: &str) -> String {
        self.tfvars_path.replace("{environment}", environment)
    }
}
