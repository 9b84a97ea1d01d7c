//! ecr-registrar: the one core behind the Backstage wizard, the scaffolder actions and the CLI.
//!
//! Everything here is pure: text and data in, text and data out. No files, environment, clock or
//! network — the adapters (`src/main.rs` with `src/cli/`, and `src/wasm.rs`) do the I/O and pass
//! the date in.
//!
//! The modules are private; this file's re-exports are the public API. Dependencies point one way,
//! from the leaves up:
//!
//! ```text
//! quote, date            leaves: how strings are quoted (messages, YAML, HCL); calendar checks
//! yaml_out               YAML written from a value tree that YAML 1.1 and 1.2 readers read alike
//! nfc                    whether Terraform's Unicode normalisation (NFC) may rewrite a text
//! error                  Error and the typed codes (ErrorCode, FieldCode, PolicyCode)
//! limits                 input size limits: `too_large` before anything is parsed
//! naming                 the AWS / Backstage / DNS-1123 / region rules with their reasons
//! registry               a catalog entry's model: Status, metadata field names, Metadata
//! config                 Config and its checks
//! validate               Validator, Request, ValidationReport
//! terraform              target address, working directory, plan/apply commands of one request
//! edit/                  span patches, diffs, the catalog and tfvars editors (+ their subset readers)
//! lifecycle/  pull_request
//! request                the one walk of every request operation and its RequestOutput
//! scaffold  day2  changes  crossplane  sync/
//! argocd                 the Crossplane path's Argo CD Application and catalog entity
//! wasm                   the WebAssembly exports (wasm32 only)
//! ```

#![warn(missing_docs)]

#[cfg(feature = "edit")]
mod argocd;
#[cfg(feature = "edit")]
mod changes;
mod config;
mod crossplane;
#[cfg(feature = "edit")]
mod date;
#[cfg(feature = "edit")]
mod day2;
#[cfg(feature = "edit")]
mod edit;
#[macro_use]
mod error;
mod lifecycle;
mod limits;
mod naming;
mod nfc;
mod pull_request;
pub mod quote;
pub mod registry;
#[cfg(feature = "edit")]
mod request;
#[cfg(feature = "edit")]
mod scaffold;
#[cfg(feature = "edit")]
mod sync;
#[cfg(feature = "edit")]
mod terraform;
mod validate;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(feature = "edit")]
mod yaml_out;

pub use config::{
    Config, DEFAULT_CATALOG_HEADER, RiskControls, SyncConfig, SyncTarget, is_git_dir_name,
    path_problem,
};
pub use crossplane::{
    API_VERSION, CrossplaneOptions, DEFAULT_NAMESPACE, Manifests, render_crossplane,
};
pub use error::{
    CodeInfo, Conflict, Error, ErrorCode, ErrorInfo, FieldCode, FieldError, GuardCode, PolicyCode,
    Result, StableCodes, stable_codes,
};
pub use lifecycle::{
    LifecycleOptions, PolicyProblem, PolicyReport, render_policy, validate_policy,
};
pub use limits::{
    MAX_CONFIG_BYTES, MAX_FILE_BYTES, MAX_LISTING_BYTES, MAX_MATCHED_VALUE_BYTES,
    MAX_PATTERN_BYTES, MAX_REVISIONS_BYTES,
};
pub use naming::{
    AWS_NAME_RE, BACKSTAGE_NAME_RE, dns1123_problem, ecr_console_url, entity_name, is_region,
    is_valid_aws_name, is_valid_backstage_name, partition_dns_suffix, registry_id,
    repository_entity_name,
};
pub use nfc::may_change as nfc_may_change;
pub use pull_request::{PR_LABEL, PullRequest, pull_request};
pub use validate::{
    FieldName, Request, RequestPaths, ValidationReport, Validator, already_requested,
    validate_request,
};

#[cfg(feature = "edit")]
pub use argocd::{
    APPLICATION_API_VERSION, ARGOCD_APP_ANNOTATION, ARGOCD_FINALIZER, ARGOCD_NAMESPACE,
    ApplicationOptions, DEFAULT_SYSTEM, EntityOptions, render_application, render_entity,
    to_yaml as document_yaml,
};
#[cfg(feature = "edit")]
pub use changes::{
    Change, ChangeKind, ChangesReport, Guard, GuardOptions, GuardProblem, Revisions, changes,
    changes_with,
};
#[cfg(feature = "edit")]
pub use changes::{PathAttribute, PathChange, TreeEntry};
#[cfg(feature = "edit")]
pub use crossplane::pull_request_body as crossplane_pull_request_body;
#[cfg(feature = "edit")]
pub use crossplane::to_yaml as crossplane_yaml;
#[cfg(feature = "edit")]
pub use day2::{Day2Output, DecommissionRequest, UpdateRequest, decommission, update};
#[cfg(feature = "edit")]
pub use edit::catalog::{
    CatalogEntry, CatalogInfo, FieldValue, MAX_REFERENCE_NODES as MAX_CATALOG_REFERENCE_NODES,
    add_entry as add_catalog_entry, read_catalog, set_fields as set_catalog_fields,
};
#[cfg(feature = "edit")]
pub use edit::diff::unified as unified_diff;
#[cfg(feature = "edit")]
pub use edit::tfvars::{
    MAX_REFERENCE_NODES as MAX_TFVARS_REFERENCE_NODES, TfvarsEntry, add_entry as add_tfvars_entry,
    remove_entry as remove_tfvars_entry, root_region as tfvars_root_region,
    set_metadata as set_tfvars_metadata,
};
#[cfg(feature = "edit")]
pub use edit::{Edited, FileChange};
pub use registry::{ACTIVE, DECOMMISSIONED, Metadata, PENDING, Status};
#[cfg(feature = "edit")]
pub use request::RequestOutput;
#[cfg(feature = "edit")]
pub use scaffold::{
    Files, ScaffoldOutput, missing_terraform_root, plan_command, scaffold, scaffold_with,
};
#[cfg(feature = "edit")]
pub use sync::{
    AwsRepository, AwsTag, Collision, EstateOutput, EstateReport, EstateTotals, Promotion,
    RenderedFile, Skipped, SyncOptions, SyncOutput, SyncReport, changes as sync_changes,
    parse_listing, promote, render_entities, same_ignoring_last_sync, slugs as sync_target_slugs,
    sync, sync_estate,
};
#[cfg(feature = "edit")]
pub use terraform::TerraformSteps;

/// The crate version, as the CLI and the WebAssembly build report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Rust examples of the README and the guides in `docs/` are compiled and run as doctests
/// (`cargo test --doc`); `tests/docs.rs` fails when a file under `docs/` is missing here.
#[cfg(all(doctest, feature = "edit"))]
mod doc_examples {
    #[doc = include_str!("../README.md")]
    struct Readme;
    #[doc = include_str!("../docs/architecture.md")]
    struct Architecture;
    #[doc = include_str!("../docs/backstage.md")]
    struct Backstage;
    #[doc = include_str!("../docs/cli.md")]
    struct Cli;
    #[doc = include_str!("../docs/configuration.md")]
    struct Configuration;
    #[doc = include_str!("../docs/limitations.md")]
    struct Limitations;
    #[doc = include_str!("../docs/request-loop.md")]
    struct RequestLoop;
    #[doc = include_str!("../docs/sync.md")]
    struct Sync;
}
