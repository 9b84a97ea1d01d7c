//! What a pull request changes, and whether it is safe to apply without a person: the files at two
//! revisions in, the registry entries added, updated or removed per environment (with their
//! targeted commands) and the guard's verdict out. Pure: the CLI reads the revisions through git.
//!
//! Where each part is: `revisions.rs` is the input (the files at both revisions and what git
//! records about the paths); `report.rs` walks the catalog and each environment's tfvars
//! (`changes`) and builds the report; `guard.rs` holds the rules an entry change must keep;
//! `git_facts.rs` the rules on what git records and a checkout writes. The targeted Terraform commands
//! of a change come from `crate::terraform`, as for every request's.

mod git_facts;
mod guard;
mod report;
mod revisions;

pub use guard::{Guard, GuardOptions, GuardProblem};
pub use report::{Change, ChangeKind, ChangesReport, changes, changes_with};
pub use revisions::{PathAttribute, PathChange, Revisions, TreeEntry};
