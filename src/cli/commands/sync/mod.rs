//! `ecr-registrar sync`: list ECR (or read saved listings), let the core render the entities and
//! the reconciliation, write what really changed (or diff, or check), report.
//!
//! One region (`single`) or the config's several targets (`estate`); what both do with the
//! rendered files and how a target's reconciliation reads is in `shared`. The dependencies point
//! one way: this file chooses, the two leaves use `shared`, and neither uses the other.

mod estate;
mod shared;
mod single;

use std::process::ExitCode;

use crate::cli::args::SyncArgs;
use crate::cli::fs::{load_config, repo_dir};
use crate::cli::report::Failure;

pub fn run(args: SyncArgs) -> Result<ExitCode, Failure> {
    repo_dir(&args.repo)?;
    let config = load_config(args.config.as_deref(), Some(&args.repo))?;
    // Several targets: the config lists them and no single region was asked for.
    if !args.listing.is_empty()
        || !args.target.is_empty()
        || args.save_listings.is_some()
        || args.list_targets
        || (!config.sync.targets.is_empty() && args.region.is_none() && args.from_json.is_none())
    {
        estate::run(args, config)
    } else {
        single::run(args, config)
    }
}
