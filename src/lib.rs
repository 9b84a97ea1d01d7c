//! ecr-registrar: the one core behind the Backstage wizard, the scaffolder actions and the CLI.
//!
//! Everything here is pure: text and data in, text and data out. No files, environment, clock or
//! network — the adapters (`src/main.rs`, `src/wasm.rs`) do the I/O and pass the date in.

#[cfg(feature = "edit")]
pub mod catalog;
pub mod config;
pub mod crossplane;
#[cfg(feature = "edit")]
pub mod diff;
pub mod error;
#[cfg(feature = "edit")]
pub mod fast;
pub mod lifecycle;
pub mod rules;
#[cfg(feature = "edit")]
pub mod scaffold;
#[cfg(feature = "edit")]
pub mod sync;
pub mod text;
#[cfg(feature = "edit")]
pub mod tfvars;
pub mod validate;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::{Config, RiskControls};
pub use error::{Conflict, Error, ErrorCode, ErrorInfo, Result};
#[cfg(feature = "edit")]
pub use scaffold::{
    FileChange, Files, PullRequest, ScaffoldOutput, plan_command, pull_request, scaffold,
    scaffold_with,
};
pub use validate::{
    FieldError, Request, ValidationReport, Validator, entity_name, registry_id, validate_request,
};

/// The crate version, as the CLI and the WebAssembly build report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's examples are compiled and run as doctests.
#[cfg(all(doctest, feature = "edit"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
