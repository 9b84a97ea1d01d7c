//! The guard's rules on what git records and a checkout writes for the governed paths: regular
//! files at both revisions, never renamed into or out of place, nothing above them that is not a
//! directory, nothing listed twice in a tree, and no checkout attribute that would write something
//! other than the blob.

use std::collections::BTreeSet;

use super::guard::Guarding;
use super::revisions::Revisions;
use crate::error::GuardCode;
use crate::quote::show;

const REGULAR: &str = "100644";
const TREE: &str = "040000";

/// What a git mode is, for a person.
fn mode_word(mode: &str) -> String {
    match mode {
        "120000" => "a symlink".into(),
        "160000" => "a submodule (gitlink)".into(),
        "100755" => "an executable file".into(),
        TREE => "a directory".into(),
        REGULAR => "a regular file".into(),
        m => format!("an entry of git mode {}", show(m)),
    }
}

/// Absent on a side of the diff: no mode, or all zeros.
fn absent(mode: &str) -> bool {
    mode.bytes().all(|b| b == b'0')
}

/// The git facts about governed paths: modes at both sides of each change, renames into or out of
/// them, and what a checkout of head writes there (the directories above them, attributes).
pub(super) fn git_facts(g: &mut Guarding, revs: &Revisions, governed: &BTreeSet<&str>) {
    let mut not_regular = BTreeSet::new();
    let mut refuse_mode = |g: &mut Guarding, path: &str, at: &str, mode: &str| {
        if governed.contains(path)
            && mode != REGULAR
            && !absent(mode)
            && not_regular.insert(path.to_string())
        {
            g.problem(
                path,
                None,
                GuardCode::NotRegularFile,
                format!(
                    "{} is {} at {at}; a governed file is a regular file (git mode 100644), read as itself",
                    show(path),
                    mode_word(mode)
                ),
            );
        }
    };
    for c in &revs.git_changes {
        let old = c.from.as_deref().unwrap_or(&c.path);
        refuse_mode(g, old, "the base", &c.base_mode);
        refuse_mode(g, &c.path, "the head", &c.head_mode);
        if let Some(from) = &c.from {
            for p in [from.as_str(), c.path.as_str()] {
                if governed.contains(p) {
                    g.problem(
                        p,
                        None,
                        GuardCode::Renamed,
                        format!(
                            "{} became {}; a governed file is edited in place, never renamed into or out of its path",
                            show(from),
                            show(&c.path)
                        ),
                    );
                    break;
                }
            }
        }
    }
    for e in &revs.head_tree {
        refuse_mode(g, &e.path, "the head", &e.mode);
    }
    // A tree that names a path twice (git fsck's `duplicateEntries`; only plumbing makes one):
    // the guard reads one entry and a checkout writes another.
    let mut listed = BTreeSet::new();
    let mut twice = BTreeSet::new();
    for e in &revs.head_tree {
        if !listed.insert(e.path.as_str()) {
            twice.insert(e.path.as_str());
        }
    }
    for path in governed {
        let at = |t: &&&str| {
            *path == **t || (path.starts_with(**t) && path.as_bytes().get(t.len()) == Some(&b'/'))
        };
        if let Some(t) = twice.iter().find(at) {
            g.problem(
                path,
                None,
                GuardCode::NotCheckedOutAsBlob,
                format!(
                    "the head's tree lists {} twice (git fsck: duplicateEntries): which one a checkout writes is not the one the guard reads",
                    show(t)
                ),
            );
        }
    }
    for path in governed {
        let above = revs.head_tree.iter().find(|e| {
            e.mode != TREE
                && path.len() > e.path.len()
                && path.starts_with(e.path.as_str())
                && path.as_bytes()[e.path.len()] == b'/'
        });
        if let Some(e) = above {
            g.problem(
                path,
                None,
                GuardCode::NotCheckedOutAsBlob,
                format!(
                    "{} is {} at the head, so {} is not a file of this repository's tree",
                    show(&e.path),
                    mode_word(&e.mode),
                    show(path)
                ),
            );
        }
    }
    // Terraform loads every variable-definitions file of its directory, in this order:
    // terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars and *.auto.tfvars.json by name.
    // One beside a governed tfvars file can override what the guard judged (the second hostile
    // suite's F7: an `ecr_repositories = {}` there planned to destroy every repository).
    for path in governed.iter().filter(|p| p.ends_with(".tfvars")) {
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        let loaded = revs.head_tree.iter().filter_map(|e| {
            let name = if dir.is_empty() {
                e.path.as_str()
            } else {
                e.path.strip_prefix(dir)?.strip_prefix('/')?
            };
            let loads = name == "terraform.tfvars"
                || name == "terraform.tfvars.json"
                || name.ends_with(".auto.tfvars")
                || name.ends_with(".auto.tfvars.json");
            (loads && name != file && !name.contains('/') && e.mode != TREE).then_some(&e.path)
        });
        for other in loaded {
            g.problem(
                path,
                None,
                GuardCode::OtherTfvarsFile,
                format!(
                    "Terraform also loads {} at the head, beside {}: a value there overrides what the guard judged; keep a governed environment's variables in {} alone",
                    show(other),
                    show(path),
                    show(file)
                ),
            );
        }
    }
    let mut seen = BTreeSet::new();
    for a in &revs.head_attributes {
        if governed.contains(a.path.as_str())
            && Revisions::CHECKOUT_ATTRIBUTES.contains(&a.name.as_str())
            && !matches!(a.value.as_str(), "unspecified" | "unset")
            && seen.insert(a.path.as_str())
        {
            g.problem(
                &a.path,
                None,
                GuardCode::NotCheckedOutAsBlob,
                format!(
                    "the attribute {} is {} on it at the head (.gitattributes): a checkout would not write its blob as it is",
                    show(&a.name),
                    show(&a.value)
                ),
            );
        }
    }
}
