//! What a pull request changes, and whether it is safe to apply without a person: the files at two
//! revisions in, the registry entries added, updated or removed per environment (with their
//! targeted commands) and the guard's verdict out. Pure: the CLI reads the revisions through git.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::edit::compare::{self, EntryDiff, FileDiff, Kind};
use crate::error::{GuardCode, Result};
use crate::quote::show;
use crate::validate::{Request, Validator};

/// The two revisions to compare: each maps a path (inside the platform repository) to its text;
/// a path that is missing does not exist at that revision. `changedPaths` is every path the diff
/// between them touches (`git diff --name-only`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Revisions {
    /// The files at the base revision.
    pub base: BTreeMap<String, String>,
    /// The files at the head revision.
    pub head: BTreeMap<String, String>,
    /// Every path the diff touches.
    pub changed_paths: Vec<String>,
    /// What git records for each path the diff touches, with renames detected (`git diff --raw
    /// -M`): modes and object ids at both sides. Optional; the CLI always gives it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub git_changes: Vec<PathChange>,
    /// The tree entries at head of each governed path and of every directory above it (`git
    /// ls-tree`), so the guard knows what a checkout writes there. Optional; the CLI always gives it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub head_tree: Vec<TreeEntry>,
    /// The checkout attributes ([`Revisions::CHECKOUT_ATTRIBUTES`]) of each governed path at head
    /// (`git check-attr --source`). Optional; the CLI always gives it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub head_attributes: Vec<PathAttribute>,
}

impl Revisions {
    /// The attributes that make a checkout write something other than the blob (a filter such as
    /// LFS, line-ending conversion, `$Id$` expansion, re-encoding): any value but `unspecified`
    /// or `unset` on a governed path is refused.
    pub const CHECKOUT_ATTRIBUTES: [&'static str; 5] =
        ["filter", "eol", "text", "ident", "working-tree-encoding"];
    /// The config file, governed whatever the config says: a pull request never changes it.
    pub const CONFIG_PATH: &'static str = "registrar.yaml";
}

/// What git records for one path the diff touches (one line of `git diff --raw`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PathChange {
    /// The path at head (a rename's or copy's new path).
    pub path: String,
    /// A rename's or copy's old path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub from: Option<String>,
    /// The git mode at base: `100644` a regular file, `100755` executable, `120000` a symlink,
    /// `160000` a submodule, `000000` absent.
    pub base_mode: String,
    /// The git mode at head.
    pub head_mode: String,
    /// The object id at base (all zeros: absent).
    pub base_id: String,
    /// The object id at head.
    pub head_id: String,
}

/// One entry of the tree at head (`git ls-tree`): a path and its git mode (`040000` a directory).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TreeEntry {
    /// The path.
    pub path: String,
    /// Its git mode.
    pub mode: String,
}

/// One attribute set on a path (`git check-attr`): `set`, `unset` or a value.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PathAttribute {
    /// The path.
    pub path: String,
    /// The attribute.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// How a registry entry changed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// New in the environment's tfvars (and the catalog).
    Added,
    /// Its tfvars metadata changed (owner, risk).
    Updated,
    /// Removed from the environment's tfvars: Terraform destroys the repository.
    Removed,
    /// Its tfvars metadata changed in a way Terraform performs by destroying and recreating the
    /// repository (every image in it is deleted): see [`Change::replacement`].
    Replaced,
}

/// One registry entry that Terraform will act on.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The environment whose tfvars changed.
    pub environment: String,
    /// The repository name.
    pub name: String,
    /// Added, updated or removed.
    pub kind: ChangeKind,
    /// The targeted plan (a destroy plan for a removal), run from the repository root.
    pub plan_command: String,
    /// The targeted apply.
    pub apply_command: String,
    /// For a replacement, why Terraform must destroy and recreate the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub replacement: Option<String>,
}

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

/// What `changes` reports.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangesReport {
    /// The entries Terraform will act on, per environment, in the order of the files.
    pub changes: Vec<Change>,
    /// Whether the whole diff may be applied automatically.
    pub guard: Guard,
}

/// The Terraform address of one repository.
fn target(config: &Config, name: &str) -> String {
    format!("-target='module.{}[\"{name}\"]'", config.variable)
}

/// The directory Terraform runs in for an environment (the tfvars file's folder).
fn workdir(config: &Config, environment: &str) -> String {
    let path = config.tfvars_path_for(environment);
    path.rsplit_once('/')
        .map_or(".".to_string(), |(d, _)| d.to_string())
}

/// The targeted plan for one repository in one environment (`destroy`: a destroy plan).
pub(crate) fn plan_command(
    config: &Config,
    environment: &str,
    name: &str,
    destroy: bool,
) -> String {
    let d = if destroy { " -destroy" } else { "" };
    format!(
        "terraform -chdir={} plan{d} {}",
        workdir(config, environment),
        target(config, name)
    )
}

fn apply_command(config: &Config, environment: &str, name: &str, destroy: bool) -> String {
    let d = if destroy { " -destroy" } else { "" };
    format!(
        "terraform -chdir={} apply{d} -auto-approve -input=false {}",
        workdir(config, environment),
        target(config, name)
    )
}

const LAST_UPDATED: &str = "last_updated";
/// The fields of a tfvars entry's metadata, which Terraform reads: changing one in the catalog
/// alone would leave the two files disagreeing.
const TERRAFORM_FIELDS: [&str; 3] = ["id", "owner", "risk"];

struct Guarding<'a> {
    v: &'a Validator,
    problems: Vec<GuardProblem>,
}

impl Guarding<'_> {
    fn problem(&mut self, file: &str, line: Option<usize>, code: GuardCode, message: String) {
        self.problems.push(GuardProblem {
            file: file.to_string(),
            line,
            code,
            message,
        });
    }

    /// Read one file at both revisions; a file either side cannot read is a problem.
    fn diff(
        &mut self,
        file: &str,
        revs: &Revisions,
        read: impl Fn(Option<&str>) -> Result<()>,
        compare: impl Fn(Option<&str>, Option<&str>) -> Result<FileDiff>,
    ) -> Option<FileDiff> {
        let (old, new) = (revs.base.get(file), revs.head.get(file));
        if old == new {
            return Some(FileDiff::default());
        }
        // The comparison reads both revisions with the editors' readers; only when it fails is
        // each side read alone, to say which one cannot be read (reading both twice doubled the
        // cost of `changes` on large files).
        match compare(old.map(String::as_str), new.map(String::as_str)) {
            Ok(d) => Some(d),
            Err(e) => {
                for (side, text) in [("base", old), ("head", new)] {
                    if let Err(e) = read(text.map(String::as_str)) {
                        self.problem(
                            file,
                            e.line,
                            GuardCode::Unreadable,
                            format!("the {side} revision cannot be read: {}", e.message),
                        );
                        return None;
                    }
                }
                self.problem(file, e.line, GuardCode::Unreadable, e.message.clone());
                None
            }
        }
    }

    /// The request a catalog entry records, checked like a new request.
    fn validate(&mut self, file: &str, e: &EntryDiff) {
        let field = |f: &str| e.metadata.get(f).cloned();
        let request = Request {
            name: e.name.clone(),
            owner: field("owner").unwrap_or_default(),
            requester: field("requested_by"),
            domain: field("domain"),
            environment: field("environment").unwrap_or_default(),
            risk: field("risk").unwrap_or_default(),
            id: field("id"),
        };
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

/// Compare the catalog and every configured environment's tfvars between two revisions; see
/// [`ChangesReport`]. `Err` only for a config the validator refuses.
pub fn changes(v: &Validator, revs: &Revisions) -> Result<ChangesReport> {
    changes_with(v, revs, GuardOptions::default())
}

/// [`changes`], with what a reviewer allowed.
pub fn changes_with(v: &Validator, revs: &Revisions, opts: GuardOptions) -> Result<ChangesReport> {
    let config = v.config();
    let mut total = 0usize;
    for (path, text) in revs.base.iter().chain(&revs.head) {
        crate::limits::check_file(path, Some(text))?;
        total = total.saturating_add(text.len());
    }
    let paths: usize = revs.changed_paths.iter().map(String::len).sum();
    crate::limits::check(
        "the revisions (every file's text at both revisions, and the changed paths)",
        total.saturating_add(paths),
        crate::limits::MAX_REVISIONS_BYTES,
    )?;
    let catalog_path = config.catalog_path.as_str();
    let tfvars_paths: BTreeMap<String, String> = config
        .environments
        .iter()
        .map(|env| (config.tfvars_path_for(env), env.clone()))
        .collect();
    let mut g = Guarding {
        v,
        problems: Vec::new(),
    };

    let allowed: BTreeSet<&str> = tfvars_paths
        .keys()
        .map(String::as_str)
        .chain([catalog_path])
        .filter(|p| *p != Revisions::CONFIG_PATH)
        .collect();
    for path in &revs.changed_paths {
        if !allowed.contains(path.as_str()) {
            g.problem(
                path,
                None,
                GuardCode::UnexpectedFile,
                format!(
                    "{} changed; a registry pull request changes only {} and the environments' tfvars files ({})",
                    show(path),
                    show(catalog_path),
                    tfvars_paths.keys().map(|p| show(p)).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }

    // What git records and a checkout writes: governed paths are regular files, read as their blobs.
    let governed: BTreeSet<&str> = allowed
        .iter()
        .copied()
        .chain([Revisions::CONFIG_PATH])
        .collect();
    git_facts(&mut g, revs, &governed);

    // The catalog: entries only, and `last_updated`.
    let catalog = g
        .diff(
            catalog_path,
            revs,
            |t| t.map_or(Ok(()), |t| compare::catalog(Some(t), None).map(drop)),
            compare::catalog,
        )
        .unwrap_or_default();
    for t in catalog.top.iter().filter(|t| t.key != LAST_UPDATED) {
        g.problem(
            catalog_path,
            Some(t.line),
            GuardCode::UnexpectedChange,
            format!(
                "the top-level key {} was {}; a registry pull request changes only entries under `repositories` and `last_updated`",
                show(&t.key),
                kind_word(t.kind)
            ),
        );
    }
    let mut catalog_entries: BTreeMap<&str, &EntryDiff> = catalog
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();

    // Each environment's tfvars: entries of the map only, each with its catalog counterpart.
    let mut changes = Vec::new();
    for (path, env) in &tfvars_paths {
        let Some(diff) = g.diff(
            path,
            revs,
            |t| {
                t.map_or(Ok(()), |t| {
                    compare::tfvars(Some(t), None, &config.variable).map(drop)
                })
            },
            |a, b| compare::tfvars(a, b, &config.variable),
        ) else {
            continue;
        };
        for t in &diff.top {
            g.problem(
                path,
                Some(t.line),
                GuardCode::UnexpectedChange,
                format!(
                    "{} was {}; a registry pull request changes only entries of `{}`",
                    show(&t.key),
                    kind_word(t.kind),
                    config.variable
                ),
            );
        }
        for e in &diff.entries {
            let counterpart = catalog_entries.remove(e.name.as_str());
            if check_pair(&mut g, path, env, e, counterpart, catalog_path) {
                let destroy = e.kind == Kind::Removed;
                let replacement = replacement(config, e);
                let allowed = config.allow_replacements && opts.allow_replace;
                if let Some(why) = replacement.as_ref().filter(|_| !allowed) {
                    g.problem(
                        path,
                        Some(e.line),
                        GuardCode::Replacement,
                        format!(
                            "entry {}: Terraform would destroy and recreate the repository, deleting every image in it: {why}; applied automatically only when the config sets `allowReplacements: true` and a reviewer allows it (`--allow-replace`)",
                            show(&e.name)
                        ),
                    );
                }
                changes.push(Change {
                    environment: env.clone(),
                    name: e.name.clone(),
                    kind: match e.kind {
                        Kind::Added => ChangeKind::Added,
                        Kind::Updated if replacement.is_some() => ChangeKind::Replaced,
                        Kind::Updated => ChangeKind::Updated,
                        Kind::Removed => ChangeKind::Removed,
                    },
                    plan_command: plan_command(config, env, &e.name, destroy),
                    apply_command: apply_command(config, env, &e.name, destroy),
                    replacement,
                });
            }
        }
    }

    // Catalog entries no tfvars change goes with: only bookkeeping (status, requester, domain,
    // dates) may change on its own.
    for e in catalog_entries.into_values() {
        match e.kind {
            Kind::Added => g.problem(
                catalog_path,
                Some(e.line),
                GuardCode::MissingCounterpart,
                format!(
                    "entry {} was added to the catalog but not to {}",
                    show(&e.name),
                    show(&config.tfvars_path_for(e.metadata.get("environment").map_or("<environment>", String::as_str)))
                ),
            ),
            Kind::Removed => g.problem(
                catalog_path,
                Some(e.line),
                GuardCode::UnexpectedChange,
                format!(
                    "entry {} was removed from the catalog; catalog entries are kept (a decommission sets `status: decommissioned`)",
                    show(&e.name)
                ),
            ),
            Kind::Updated => {
                let old = e.old_metadata.as_ref();
                let changed: Vec<&str> = TERRAFORM_FIELDS
                    .into_iter()
                    .chain(["environment"])
                    .filter(|f| old.and_then(|o| o.get(*f)) != e.metadata.get(*f))
                    .collect();
                if !changed.is_empty() {
                    g.problem(
                        catalog_path,
                        Some(e.line),
                        GuardCode::MissingCounterpart,
                        format!(
                            "entry {}: {} changed in the catalog but not in the environment's tfvars",
                            show(&e.name),
                            changed.join(", ")
                        ),
                    );
                }
                g.validate(catalog_path, e);
            }
        }
    }

    let ok = g.problems.is_empty();
    Ok(ChangesReport {
        changes,
        guard: Guard {
            ok,
            problems: g.problems,
        },
    })
}

/// Why Terraform replaces the repository of an updated tfvars entry, if it does: its risk tier
/// moved to one whose controls AWS cannot change in place.
fn replacement(config: &Config, e: &EntryDiff) -> Option<String> {
    if e.kind != Kind::Updated {
        return None;
    }
    let risk = |m: &BTreeMap<String, String>| m.get("risk").cloned();
    let (from, to) = (risk(e.old_metadata.as_ref()?)?, risk(&e.metadata)?);
    config.replacement(&from, &to)
}

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
fn git_facts(g: &mut Guarding, revs: &Revisions, governed: &BTreeSet<&str>) {
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

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Added => "added",
        Kind::Updated => "changed",
        Kind::Removed => "removed",
    }
}

/// A tfvars entry change and its catalog counterpart must agree; true when the change may be
/// listed with commands (its name is valid), whatever else is wrong.
fn check_pair(
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
    let cat_env = cat.metadata.get("environment").map(String::as_str);
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
            let status = cat.metadata.get("status").map(String::as_str);
            if cat.kind != Kind::Updated || status != Some("decommissioned") {
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
            if !e.canonical {
                g.problem(
                    path,
                    Some(e.line),
                    GuardCode::Mismatch,
                    format!(
                        "entry {} holds more than `metadata = {{ id, owner, risk }}` as strings; the tool writes nothing else, so a hand edit rides along",
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
                        "entry {}: {} differ from the catalog entry",
                        show(&e.name),
                        differ.join(", ")
                    ),
                );
            }
            g.validate(catalog_path, cat);
        }
    }
    name_ok
}
