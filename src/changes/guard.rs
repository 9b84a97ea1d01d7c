//! The guard's rules on the entries a pull request changes: each file readable at both revisions,
//! a tfvars entry change and its catalog counterpart in agreement, each entry valid as a request,
//! no replacement of a repository unless allowed, no tier move whose effect is not known; and the
//! verdict (`Guard`) they add up to.

use serde::{Deserialize, Serialize};

use super::revisions::Revisions;
use crate::config::{Config, TierMove};
use crate::edit::compare::{EntryDiff, FileDiff, Kind, SideError};
use crate::error::GuardCode;
use crate::quote::show;
use crate::registry::{DECOMMISSIONED, field};
use crate::validate::{Request, Validator};

/// Something that makes the change unsafe to apply automatically.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardProblem {
    /// The file, relative to the repository.
    pub file: String,
    /// The line (1-based), where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// A stable code.
    pub code: GuardCode,
    /// What is wrong, for a person.
    pub message: String,
}

/// The guard's verdict: `ok` only when the diff is exactly registry entries, each valid and in
/// both files.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guard {
    /// Safe to apply automatically.
    pub ok: bool,
    /// Every reason it is not.
    pub problems: Vec<GuardProblem>,
}

/// The fields of a tfvars entry's metadata, which Terraform reads: changing one in the catalog
/// alone would leave the two files disagreeing.
pub(super) const TERRAFORM_FIELDS: [&str; 4] =
    [field::ID, field::OWNER, field::RISK, field::DESCRIPTION];

/// The most changes, and the most problems, one report lists: past them the guard refuses and
/// says how many more there are. A pull request that removed 7,085 entries made a report of 7,085
/// changes and 7,087 problems, whose making and conversion to JavaScript took longer than the
/// reading of both 1 MB revisions (BENCHMARKS.md, issue 21).
pub const MAX_LISTED: usize = 1_000;

pub(super) struct Guarding<'a> {
    pub(super) v: &'a Validator,
    pub(super) problems: Vec<GuardProblem>,
    /// Problems found past [`MAX_LISTED`], counted, not listed, and the file of the first.
    pub(super) unlisted: usize,
    pub(super) unlisted_file: Option<String>,
}

impl Guarding<'_> {
    pub(super) fn new(v: &Validator) -> Guarding<'_> {
        Guarding {
            v,
            problems: Vec::new(),
            unlisted: 0,
            unlisted_file: None,
        }
    }

    pub(super) fn problem(
        &mut self,
        file: &str,
        line: Option<usize>,
        code: GuardCode,
        message: String,
    ) {
        if self.problems.len() >= MAX_LISTED {
            self.unlisted += 1;
            self.unlisted_file.get_or_insert_with(|| file.to_string());
            return;
        }
        self.problems.push(GuardProblem {
            file: file.to_string(),
            line,
            code,
            message,
        });
    }

    /// Read one file at both revisions; a file either side cannot read is a problem, naming the
    /// side (the comparison reads each side on its own and says which one failed: reading both
    /// again to find out doubled the cost of a failed comparison of large files).
    pub(super) fn diff(
        &mut self,
        file: &str,
        revs: &Revisions,
        compare: impl Fn(Option<&str>, Option<&str>) -> std::result::Result<FileDiff, SideError>,
    ) -> Option<FileDiff> {
        let (old, new) = (revs.base.get(file), revs.head.get(file));
        if old.is_none() && new.is_none() && revs.changed_paths.iter().any(|p| p == file) {
            // The diff touches it, yet neither text was given: judging it unchanged would pass
            // whatever it holds (a caller that passed Maps, which serialise as `{}`, gave none).
            self.problem(
                file,
                None,
                GuardCode::Unreadable,
                "the diff touches this file, but neither revision's text was given; it cannot be judged".into(),
            );
            return None;
        }
        if old == new {
            return Some(FileDiff::default());
        }
        match compare(old.map(String::as_str), new.map(String::as_str)) {
            Ok(d) => Some(d),
            Err(SideError { side, error }) => {
                self.problem(
                    file,
                    error.line,
                    GuardCode::Unreadable,
                    format!("the {side} revision cannot be read: {}", error.message),
                );
                None
            }
        }
    }

    /// The request a catalog entry records, checked like a new request.
    pub(super) fn validate(&mut self, file: &str, e: &EntryDiff) {
        let request = Request::recorded(&e.name, |f| e.metadata.get(f).cloned());
        for err in self.v.validate_request(&request).errors {
            self.problem(
                file,
                Some(e.line),
                GuardCode::InvalidEntry,
                format!("entry {}: {}: {}", show(&e.name), err.field, err.message),
            );
        }
    }
}

/// What a reviewer allowed for this change, beyond the config (the apply workflow passes it from a
/// reviewer's label).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuardOptions {
    /// A reviewer accepts that Terraform destroys and recreates a repository; it takes effect only
    /// when the config's `allowReplacements` is on too.
    pub allow_replace: bool,
}

/// What the change of an updated tfvars entry's risk tier does to its repository: in place,
/// replaced (destroyed and recreated), or not known (a tier the config does not define, or a risk
/// set on one side only). Not an update: in place.
pub(super) fn tier_move(config: &Config, e: &EntryDiff) -> TierMove {
    if e.kind != Kind::Updated {
        return TierMove::InPlace;
    }
    let from = e.old_metadata.as_ref().and_then(|m| m.get(field::RISK));
    match (from, e.metadata.get(field::RISK)) {
        (Some(from), Some(to)) => config.tier_move(from, to),
        (None, None) => TierMove::InPlace,
        (from, to) => TierMove::Unknown(format!(
            "its risk tier changes from {} to {}, so whether Terraform destroys and recreates the repository (deleting every image in it) is not known",
            from.map_or("(not set)".to_string(), |t| show(t)),
            to.map_or("(not set)".to_string(), |t| show(t)),
        )),
    }
}

pub(super) fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Added => "added",
        Kind::Updated => "changed",
        Kind::Removed => "removed",
    }
}

/// A tfvars entry change and its catalog counterpart must agree; true when the change may be
/// listed with commands (its name is valid), whatever else is wrong.
pub(super) fn check_pair(
    g: &mut Guarding,
    path: &str,
    env: &str,
    e: &EntryDiff,
    cat: Option<&EntryDiff>,
    catalog_path: &str,
) -> bool {
    let name_ok = g.v.validate_field("name", &e.name).is_empty();
    if !name_ok {
        g.problem(
            path,
            Some(e.line),
            GuardCode::InvalidEntry,
            format!(
                "{} is not a valid repository name; no command is given for it",
                show(&e.name)
            ),
        );
    }
    let Some(cat) = cat else {
        g.problem(
            path,
            Some(e.line),
            GuardCode::MissingCounterpart,
            format!(
                "entry {} was {} here but not in {}",
                show(&e.name),
                kind_word(e.kind),
                show(catalog_path)
            ),
        );
        return name_ok;
    };
    let cat_env = cat.metadata.get(field::ENVIRONMENT).map(String::as_str);
    if cat_env != Some(env) {
        g.problem(
            path,
            Some(e.line),
            GuardCode::Mismatch,
            format!(
                "entry {} changed in {} but its catalog entry is for environment {}",
                show(&e.name),
                show(path),
                cat_env.map_or("(none)".to_string(), show)
            ),
        );
    }
    match e.kind {
        Kind::Removed => {
            let status = cat.metadata.get(field::STATUS).map(String::as_str);
            if cat.kind != Kind::Updated || status != Some(DECOMMISSIONED) {
                g.problem(
                    catalog_path,
                    Some(cat.line),
                    GuardCode::MissingCounterpart,
                    format!(
                        "entry {} was removed from {}; its catalog entry must stay, with `status: decommissioned`",
                        show(&e.name),
                        show(path)
                    ),
                );
            }
        }
        Kind::Added | Kind::Updated => {
            if cat.kind == Kind::Removed {
                g.problem(
                    catalog_path,
                    Some(cat.line),
                    GuardCode::UnexpectedChange,
                    format!(
                        "entry {} was removed from the catalog; catalog entries are kept",
                        show(&e.name)
                    ),
                );
                return name_ok;
            }
            // The status a tfvars change may come with: a new entry is `pending` (what every
            // request writes, until sync finds the repository), and a repository Terraform keeps
            // is not `decommissioned`.
            let status = cat.metadata.get(field::STATUS).map(String::as_str);
            let wrong = match e.kind {
                Kind::Added => status != Some(crate::registry::Status::Pending.as_str()),
                _ => status == Some(DECOMMISSIONED),
            };
            if wrong {
                g.problem(
                    catalog_path,
                    Some(cat.line),
                    GuardCode::Mismatch,
                    format!(
                        "entry {} is {} in {} with catalog status {}; {}",
                        show(&e.name),
                        kind_word(e.kind),
                        show(path),
                        status.map_or("(none)".to_string(), show),
                        if e.kind == Kind::Added {
                            "a new request is `pending` until sync finds its repository in AWS"
                        } else {
                            "a repository Terraform keeps is not `decommissioned`"
                        }
                    ),
                );
            }
            if !e.canonical {
                g.problem(
                    path,
                    Some(e.line),
                    GuardCode::Mismatch,
                    format!(
                        "entry {} holds more than `metadata = {{ id, owner, risk, description }}` as strings (description only when the request gave one); the tool writes nothing else, so a hand edit rides along",
                        show(&e.name)
                    ),
                );
            }
            let differ: Vec<&str> = TERRAFORM_FIELDS
                .into_iter()
                .filter(|f| e.metadata.get(*f) != cat.metadata.get(*f))
                .collect();
            if !differ.is_empty() {
                g.problem(
                    path,
                    Some(e.line),
                    GuardCode::Mismatch,
                    format!(
                        "entry {}: {} {} from the catalog entry",
                        show(&e.name),
                        differ.join(", "),
                        if differ.len() == 1 {
                            "differs"
                        } else {
                            "differ"
                        }
                    ),
                );
            }
            g.validate(catalog_path, cat);
        }
    }
    name_ok
}
