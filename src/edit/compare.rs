//! Two revisions of the catalog or of a tfvars file, compared entry by entry: what `changes`
//! (and its guard) decides from. Read with the editors' own parsers and preflights, so a file the
//! editors would refuse is refused here too; plain data out.

use std::collections::BTreeMap;

use crate::edit::catalog::{self, yaml_subset::YVal};
use crate::edit::lex::{by_hash_then_key, fx, key_order};
use crate::edit::tfvars::{self, TfvarsEntry, hcl_subset::HVal};
use crate::error::Result;
use crate::registry::field;

/// How an entry (or a top-level key) differs between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Added,
    Updated,
    Removed,
}

/// One entry that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryDiff {
    pub name: String,
    pub kind: Kind,
    /// The line of its key: in the new revision, or in the old one for a removal.
    pub line: usize,
    /// Its `metadata` fields as text: the new revision's, or the old one's for a removal.
    pub metadata: BTreeMap<String, String>,
    /// For an update, the old revision's `metadata` fields.
    pub old_metadata: Option<BTreeMap<String, String>>,
    /// tfvars only: the value is exactly what the editor writes for these `id`, `owner` and `risk`
    /// (so nothing else rides along with the entry).
    pub canonical: bool,
}

/// One top-level key (attribute or block) that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopDiff {
    pub key: String,
    pub kind: Kind,
    pub line: usize,
}

/// What differs in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileDiff {
    pub entries: Vec<EntryDiff>,
    pub top: Vec<TopDiff>,
}

/// One revision's keyed list, with its keys already sorted by the reader when it sorted them
/// (see [`counterparts`]).
struct Side<'s, K, V> {
    items: &'s [(K, usize, V)],
    sorted: Option<Vec<(u64, usize)>>,
}

impl<'s, K, V> Side<'s, K, V> {
    fn new(items: &'s [(K, usize, V)], sorted: Option<Vec<(u64, usize)>>) -> Self {
        Side { items, sorted }
    }

    fn unsorted(items: &'s [(K, usize, V)]) -> Self {
        Side::new(items, None)
    }
}

/// Pair up two keyed lists (first occurrence wins; the readers refuse duplicates) and report what
/// was added, changed or removed. Entries come in the new revision's order, then the removals.
fn pair<K: AsRef<str>, V, D>(
    old: Side<'_, K, V>,
    new: Side<'_, K, V>,
    same: impl Fn(&V, &V) -> bool,
    mut out: impl FnMut(&str, Kind, usize, &V, Option<&V>) -> D,
) -> Vec<D> {
    let (in_old, in_new) = counterparts(old.items, new.items, old.sorted, new.sorted);
    let (old, new) = (old.items, new.items);
    let mut diffs = Vec::new();
    for ((k, line, v), at) in new.iter().zip(in_old) {
        let k = k.as_ref();
        match at {
            None => diffs.push(out(k, Kind::Added, *line, v, None)),
            Some(i) if !same(&old[i].2, v) => {
                diffs.push(out(k, Kind::Updated, *line, v, Some(&old[i].2)))
            }
            Some(_) => {}
        }
    }
    for ((k, line, v), kept) in old.iter().zip(in_new) {
        if !kept {
            diffs.push(out(k.as_ref(), Kind::Removed, *line, v, None));
        }
    }
    diffs
}

/// For each new entry, the position of the first old entry with its key; for each old entry,
/// whether a new one has its key. Both sides' positions are sorted by (hash, key, position) and
/// walked together: O(n log n) whatever the keys are (they come from the pull request, so no
/// hash table), and sorting pairs of integers is cheaper than building a tree of the keys
/// (`changes` of 65,000 one-line entries: 775 M instructions with trees). A side the reader
/// already sorted (`old_sorted`, `new_sorted`: its duplicate-key check sorts the same keys in the
/// same order) is not sorted again.
fn counterparts<K: AsRef<str>, V>(
    old: &[(K, usize, V)],
    new: &[(K, usize, V)],
    old_sorted: Option<Vec<(u64, usize)>>,
    new_sorted: Option<Vec<(u64, usize)>>,
) -> (Vec<Option<usize>>, Vec<bool>) {
    fn sorted<K: AsRef<str>, V>(
        side: &[(K, usize, V)],
        given: Option<Vec<(u64, usize)>>,
    ) -> Vec<(u64, usize)> {
        let sort = || {
            let mut v: Vec<(u64, usize)> = side
                .iter()
                .enumerate()
                .map(|(i, (k, _, _))| (fx(k.as_ref()), i))
                .collect();
            by_hash_then_key(&mut v, |i| side[i].0.as_ref());
            v
        };
        match given.filter(|g| g.len() == side.len()) {
            Some(g) => {
                debug_assert_eq!(g, sort(), "the reader's order is the comparison's");
                g
            }
            None => sort(),
        }
    }
    let (o, n) = (sorted(old, old_sorted), sorted(new, new_sorted));
    let (mut in_old, mut in_new) = (vec![None; new.len()], vec![false; old.len()]);
    fn key<K: AsRef<str>, V>(side: &[(K, usize, V)], (h, i): (u64, usize)) -> (u64, &str) {
        (h, side[i].0.as_ref())
    }
    let (mut i, mut j) = (0, 0);
    while i < o.len() && j < n.len() {
        let (ko, kn) = (key(old, o[i]), key(new, n[j]));
        match key_order(ko, kn) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                // The first old position of the key (ties are sorted by position).
                let first = o[i].1;
                while i < o.len() && key(old, o[i]) == ko {
                    in_new[o[i].1] = true;
                    i += 1;
                }
                while j < n.len() && key(new, n[j]) == kn {
                    in_old[n[j].1] = Some(first);
                    j += 1;
                }
            }
        }
    }
    (in_old, in_new)
}

/// The top-level keys that differ.
fn top_diffs<V: PartialEq>(old: &[(String, usize, V)], new: &[(String, usize, V)]) -> Vec<TopDiff> {
    pair(
        Side::unsorted(old),
        Side::unsorted(new),
        |a, b| a == b,
        |key, kind, line, _, _| TopDiff {
            key: key.to_string(),
            kind,
            line,
        },
    )
}

/// The fields an [`EntryDiff`]'s metadata keeps: the ones the tool knows, the only ones the guard
/// reads. (Whether an entry changed is decided on its whole value, every field included; copying
/// the others was most of the allocations of a pull request adding thousands of wide entries.)
const KNOWN_FIELDS: [&str; 11] = [
    field::ID,
    field::OWNER,
    field::REQUESTED_BY,
    field::DOMAIN,
    field::RISK,
    field::ENVIRONMENT,
    field::CREATED_DATE,
    field::STATUS,
    field::DESCRIPTION,
    field::REGION,
    field::DECOMMISSIONED_DATE,
];

/// The catalog's fields are strings: a plain value every YAML reader takes for a number or a
/// boolean (`description: 8`, `true`, `.inf`) is kept with this mark, so that it never equals the
/// tfvars string Terraform reads (`"8"`: a `mismatch`) and a rule that checks the value (the
/// requester's pattern) shows why (the third hostile suite's F10: it passed as "8").
const NOT_A_STRING: &str = " (written plain: a number or boolean, not a string; quote it)";

fn yaml_metadata(v: &YVal) -> BTreeMap<String, String> {
    match v.get(field::METADATA) {
        Some(YVal::Map(pairs)) => pairs
            .iter()
            .filter(|(k, _)| matches!(k, YVal::Str(s) if KNOWN_FIELDS.contains(&s.as_ref())))
            .filter_map(|(k, v)| {
                let text = match v {
                    YVal::Other(t) => format!("{t}{NOT_A_STRING}"),
                    v => v.text()?,
                };
                Some((k.text()?, text))
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn hcl_metadata(v: &HVal) -> BTreeMap<String, String> {
    match v.get(field::METADATA) {
        Some(HVal::Obj(items)) => items
            .iter()
            .filter(|(k, _)| KNOWN_FIELDS.contains(&k.name()))
            .filter_map(|(k, v)| Some((k.name().to_string(), v.as_text()?)))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// Why a comparison failed: the revision that cannot be read (`"base"` or `"head"`), and why.
/// Each side is read on its own, so the error is the one reading that side alone gives.
#[derive(Debug)]
pub(crate) struct SideError {
    pub side: &'static str,
    pub error: crate::error::Error,
}

/// Read one side, an error naming it.
fn side<T>(name: &'static str, read: Result<T>) -> std::result::Result<T, SideError> {
    read.map_err(|error| SideError { side: name, error })
}

/// Compare two revisions of the catalog (`None`: the file does not exist there).
pub(crate) fn catalog(
    old: Option<&str>,
    new: Option<&str>,
) -> std::result::Result<FileDiff, SideError> {
    let old = side("base", old.map(catalog::read_document).transpose())?;
    let new = side("head", new.map(catalog::read_document).transpose())?;
    let (o_top, o_entries, o_sorted) = old.map_or((Vec::new(), Vec::new(), None), |d| {
        (d.top, d.entries, d.sorted_keys)
    });
    let (n_top, n_entries, n_sorted) = new.map_or((Vec::new(), Vec::new(), None), |d| {
        (d.top, d.entries, d.sorted_keys)
    });
    let entries = pair(
        Side::new(&o_entries, o_sorted),
        Side::new(&n_entries, n_sorted),
        |a, b| a == b,
        |name, kind, line, v, old| EntryDiff {
            name: name.to_string(),
            kind,
            line,
            metadata: yaml_metadata(v),
            old_metadata: old.map(yaml_metadata),
            canonical: true,
        },
    );
    Ok(FileDiff {
        entries,
        top: top_diffs(&o_top, &n_top),
    })
}

/// The top-level items, the entries and the entries' keys sorted (when the reader sorted them)
/// of a tfvars revision (none when there is no file).
type TfvarsItems<'a> = (
    Vec<(String, usize, String)>,
    Vec<(std::borrow::Cow<'a, str>, usize, HVal<'a>)>,
    Option<Vec<(u64, usize)>>,
);

fn read_tfvars<'a>(text: Option<&'a str>, variable: &str) -> Result<TfvarsItems<'a>> {
    text.map(|t| tfvars::read_document(t, variable))
        .transpose()
        .map(|d| {
            d.map_or((Vec::new(), Vec::new(), None), |d| {
                (d.top, d.entries, d.sorted_keys)
            })
        })
}

/// Compare two revisions of a tfvars file whose map is `variable`.
pub(crate) fn tfvars(
    old: Option<&str>,
    new: Option<&str>,
    variable: &str,
) -> std::result::Result<FileDiff, SideError> {
    let (o_top, o_entries, o_sorted) = side("base", read_tfvars(old, variable))?;
    let (n_top, n_entries, n_sorted) = side("head", read_tfvars(new, variable))?;
    let entries = pair(
        Side::new(&o_entries, o_sorted),
        Side::new(&n_entries, n_sorted),
        |a, b| a == b,
        |name, kind, line, v, old| {
            let metadata = hcl_metadata(v);
            let field = |f: &str| metadata.get(f).cloned().unwrap_or_default();
            let canonical = tfvars::is_rendered(
                &TfvarsEntry {
                    name: name.to_string(),
                    id: field(field::ID),
                    owner: field(field::OWNER),
                    risk: field(field::RISK),
                    description: metadata.get(field::DESCRIPTION).cloned(),
                },
                v,
            );
            EntryDiff {
                name: name.to_string(),
                kind,
                line,
                metadata,
                old_metadata: old.map(hcl_metadata),
                canonical,
            }
        },
    );
    Ok(FileDiff {
        entries,
        top: top_diffs(&o_top, &n_top),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/common/colliding.rs"
    ));

    /// `counterparts` answers what a linear search answers, on lists with repeated keys, keys
    /// made to collide under the hash, and keys on one side only.
    #[test]
    fn counterparts_are_those_a_linear_search_finds() {
        let colliding = colliding_keys(6);
        let pool: Vec<String> = ["a", "b", "c", "dd", "e-f"]
            .iter()
            .map(|s| s.to_string())
            .chain(colliding)
            .collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2_000 {
            let mut side = || -> Vec<(String, usize, ())> {
                let len = next(9);
                (0..len)
                    .map(|i| (pool[next(pool.len())].clone(), i, ()))
                    .collect()
            };
            let (old, new) = (side(), side());
            // Half the time with each side's keys as a reader's duplicate-key check sorted them.
            let logged = |side: &[(String, usize, ())]| {
                let mut log = crate::edit::lex::KeyLog::new();
                side.iter().for_each(|(k, _, _)| log.push(k.as_str()));
                log.has_repeat();
                Some(log.into_sorted())
            };
            let (in_old, in_new) = if next(2) == 0 {
                counterparts(&old, &new, None, None)
            } else {
                counterparts(&old, &new, logged(&old), logged(&new))
            };
            let first = |k: &str| old.iter().position(|(o, _, _)| o == k);
            let want_old: Vec<_> = new.iter().map(|(k, _, _)| first(k)).collect();
            let want_new: Vec<_> = old
                .iter()
                .map(|(k, _, _)| new.iter().any(|(n, _, _)| n == k))
                .collect();
            assert_eq!((in_old, in_new), (want_old, want_new), "{old:?} → {new:?}");
        }
    }
}
