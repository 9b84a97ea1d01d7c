//! What the two subset readers and the preflight scans share: the type of their duplicate-key
//! sets, backslash escapes and tables of the bytes a scan stops at.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The duplicate-key sets and key maps of the subset readers, the comparison and day-2: ordered
/// trees of keys with their hash in front. A hash table is not used: the keys come from pull
/// requests, and a hash without a secret key can be made to collide (a review made 34,000 catalog
/// keys collide under FxHash: `changes` took 47 s instead of 0.4 s). A tree costs O(log n)
/// comparisons per key whatever the keys are; the hash in front makes most comparisons one of
/// two integers (instead of a `memcmp` of `service-000…` prefixes), and keys made to collide
/// only fall back to comparing the keys themselves.
pub(crate) struct KeySet<K>(BTreeSet<(u64, K)>);

/// A map of keys as [`KeySet`] holds them.
pub(crate) struct KeyMap<K, V>(BTreeMap<(u64, K), V>);

/// Keys logged as a reader streams through a document and checked for a repeat once, when it
/// ends: a vector sorted once costs a fraction of a tree grown key by key. For readers whose
/// callers read to the end before they trust anything they read.
pub(crate) struct KeyLog<K> {
    keys: Vec<K>,
    order: Vec<(u64, usize)>,
}

impl<K: AsRef<str>> KeyLog<K> {
    pub(crate) fn new() -> Self {
        Self {
            keys: Vec::new(),
            order: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, k: K) {
        self.order.push((fx(k.as_ref()), self.keys.len()));
        self.keys.push(k);
    }

    /// Whether any key was logged twice. O(n log n) whatever the keys (see [`by_hash_then_key`]).
    pub(crate) fn has_repeat(&mut self) -> bool {
        let keys = &self.keys;
        by_hash_then_key(&mut self.order, |i| keys[i].as_ref());
        self.order
            .windows(2)
            .any(|w| w[0].0 == w[1].0 && keys[w[0].1].as_ref() == keys[w[1].1].as_ref())
    }

    /// After [`KeyLog::has_repeat`]: the (hash, index) pairs in the order it sorted them, which
    /// is the order [`by_hash_then_key`] gives the keys in the order they were logged. A
    /// comparison of two revisions reuses it instead of sorting the same keys again.
    pub(crate) fn into_sorted(self) -> Vec<(u64, usize)> {
        self.order
    }
}

/// Sort (hash, index) pairs by hash, then key (`key` of the index; see [`key_order`]), then index.
/// The pairs are put in hash order by a radix sort (linear whatever the hashes: the comparison
/// sorts of 65,000 pairs, four per file in `changes`, were a quarter of its instructions), and
/// only runs of one hash are sorted again: a run is a key repeated or keys made to collide, and
/// either way O(n log n) comparisons in all.
pub(crate) fn by_hash_then_key<'k>(order: &mut [(u64, usize)], key: impl Fn(usize) -> &'k str) {
    by_hash(order);
    let mut start = 0;
    while start < order.len() {
        let h = order[start].0;
        let end = start + order[start..].iter().take_while(|p| p.0 == h).count();
        if end - start > 1 {
            // A run is a key repeated or keys made to collide: sorted by a second, unrelated hash
            // (FNV-1a) first, so keys made to collide under one are ordered as integers again
            // (1 MB of them: 125-140 ms sorting by key, a tree 95 ms); only keys equal under both
            // hashes are compared as keys.
            let mut run: Vec<(u64, usize)> = order[start..end]
                .iter()
                .map(|p| (fnv(key(p.1)), p.1))
                .collect();
            by_hash(&mut run);
            let mut s = 0;
            while s < run.len() {
                let f = run[s].0;
                let e = s + run[s..].iter().take_while(|p| p.0 == f).count();
                if e - s > 1 {
                    run[s..e].sort_unstable_by(|a, b| (key(a.1), a.1).cmp(&(key(b.1), b.1)));
                }
                s = e;
            }
            for (slot, (_, i)) in order[start..end].iter_mut().zip(run) {
                slot.1 = i;
            }
        }
        start = end;
    }
}

/// Below this many pairs, [`by_hash`] is a comparison sort (a radix sort's tables cost more).
const FEW_PAIRS: usize = 256;

/// Sort (hash, index) pairs by hash, then index: past [`FEW_PAIRS`], a least-significant-digit
/// radix sort a byte at a time (stable, so pairs given in index order stay in index order within
/// a hash; the callers give them so), skipping the bytes every hash shares. O(n) whatever the
/// hashes are.
fn by_hash(order: &mut [(u64, usize)]) {
    let n = order.len();
    if n <= FEW_PAIRS || order.windows(2).any(|w| w[0].1 > w[1].1) {
        order.sort_unstable();
        return;
    }
    let mut counts = [[0usize; 256]; 8];
    for &(h, _) in order.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[usize::from((h >> (8 * d)) as u8)] += 1;
        }
    }
    let mut buf = vec![(0u64, 0usize); n];
    // Whether the pairs are in `buf` (after an odd number of passes).
    let mut in_buf = false;
    for (d, c) in counts.iter_mut().enumerate() {
        if c.contains(&n) {
            continue; // every hash has this byte: the pass would change nothing
        }
        let mut sum = 0;
        for k in c.iter_mut() {
            (*k, sum) = (sum, sum + *k);
        }
        let (src, dst) = if in_buf {
            (&buf[..], &mut order[..])
        } else {
            (&order[..], &mut buf[..])
        };
        for &p in src {
            let b = usize::from((p.0 >> (8 * d)) as u8);
            dst[c[b]] = p;
            c[b] += 1;
        }
        in_buf = !in_buf;
    }
    if in_buf {
        order.copy_from_slice(&buf);
    }
}

/// The order [`by_hash_then_key`] sorts (hash, key) pairs in: by hash, then by FNV-1a, then by key.
pub(crate) fn key_order((h1, k1): (u64, &str), (h2, k2): (u64, &str)) -> std::cmp::Ordering {
    h1.cmp(&h2).then_with(|| (fnv(k1), k1).cmp(&(fnv(k2), k2)))
}

/// FNV-1a of a key: the tie-breaker of [`by_hash_then_key`], unrelated to [`fx`].
fn fnv(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// FxHash (rustc's multiply-rotate hash) of a key: cheap, and only ever an order (never a
/// bucket), so keys made to collide only fall back to comparing the keys.
pub(crate) fn fx(key: &str) -> u64 {
    let mut h = 0u64;
    for chunk in key.as_bytes().chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    h
}

fn hashed<K: AsRef<str>>(k: K) -> (u64, K) {
    (fx(k.as_ref()), k)
}

impl<K: AsRef<str> + Ord> KeySet<K> {
    pub(crate) fn new() -> Self {
        Self(BTreeSet::new())
    }

    /// `false` when the key is in the set already.
    pub(crate) fn insert(&mut self, k: K) -> bool {
        self.0.insert(hashed(k))
    }
}

impl<K: AsRef<str> + Ord> FromIterator<K> for KeySet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(keys: I) -> Self {
        Self(keys.into_iter().map(hashed).collect())
    }
}

impl<K: AsRef<str> + Ord, V> KeyMap<K, V> {
    pub(crate) fn new() -> Self {
        Self(BTreeMap::new())
    }

    pub(crate) fn get(&self, k: impl Into<K>) -> Option<&V> {
        self.0.get(&hashed(k.into()))
    }

    /// Add the key unless it is there already: the first value stays.
    pub(crate) fn keep_first(&mut self, k: K, v: V) {
        self.0.entry(hashed(k)).or_insert(v);
    }
}

impl<K: AsRef<str> + Ord, V> FromIterator<(K, V)> for KeyMap<K, V> {
    /// Where a key comes twice, the last value stays (as `BTreeMap`'s).
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Self(pairs.into_iter().map(|(k, v)| (hashed(k), v)).collect())
    }
}

/// Up to this many keys, a nested mapping finds a repeated key by comparing it with each earlier
/// one (an entry has a handful of fields); past it, through a [`KeySet`]. A pull request can give
/// one mapping 50,000 keys: comparing each with all before it took 7 s.
const FEW_KEYS: usize = 16;

/// Whether two of `items`' keys (as `key` gives them) are equal, checked once the mapping is
/// read: pairwise up to [`FEW_KEYS`] keys, past it sorted ([`KeyLog`]), with no key copied.
/// (A tree of owned keys built per mapping past 16 keys made `changes` of 4,484 entries of 17
/// fields cost 170 ms.)
pub(crate) fn any_repeat<'k, T>(items: &'k [T], key: impl Fn(&'k T) -> Cow<'k, str>) -> bool {
    if items.len() <= FEW_KEYS {
        return items
            .iter()
            .enumerate()
            .any(|(i, a)| items[..i].iter().any(|b| key(a) == key(b)));
    }
    if items.len() <= SOME_KEYS {
        // A mapping of some tens of keys (an entry with many fields): its hashes sorted in an
        // array on the stack, no allocation (a log per mapping of 17 keys was a tenth of
        // `changes` of 4,484 such entries). Keys of one hash are compared pairwise: at most
        // SOME_KEYS of them, as the pairwise check of a smaller mapping.
        let mut order = [(0u64, 0usize); SOME_KEYS];
        for (slot, (i, it)) in order.iter_mut().zip(items.iter().enumerate()) {
            *slot = (fx(&key(it)), i);
        }
        let order = &mut order[..items.len()];
        order.sort_unstable();
        return order.chunk_by(|a, b| a.0 == b.0).any(|run| {
            run.iter().enumerate().any(|(j, a)| {
                run[..j]
                    .iter()
                    .any(|b| key(&items[a.1]) == key(&items[b.1]))
            })
        });
    }
    let mut log = KeyLog::new();
    for it in items {
        log.push(key(it));
    }
    log.has_repeat()
}

/// Up to this many keys, [`any_repeat`] sorts their hashes in an array on the stack.
const SOME_KEYS: usize = 64;

/// Whether the next key of a mapping repeats one of `earlier`'s. `few` answers while `earlier`
/// is short; past [`FEW_KEYS`], `set` does: built once from `earlier` (each key as `of` names
/// it), then given every later key.
pub(crate) fn repeated<T>(
    set: &mut Option<KeySet<String>>,
    earlier: &[T],
    of: impl Fn(&T) -> String,
    key: impl FnOnce() -> String,
    few: impl FnOnce() -> bool,
) -> bool {
    if set.is_none() && earlier.len() < FEW_KEYS {
        return few();
    }
    !set.get_or_insert_with(|| earlier.iter().map(of).collect())
        .insert(key())
}

/// A table of the bytes in `stops`: a scan steps over a run of the others with one lookup a byte.
pub(crate) const fn stop_table(stops: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut k = 0;
    while k < stops.len() {
        t[stops[k] as usize] = true;
        k += 1;
    }
    t
}

/// The escape sequence at byte `i` (a backslash): the character and the bytes it takes. YAML
/// double-quoted strings also know `\/`, `\0` and `\xNN`; anything else is outside the subset.
pub(crate) fn escape(s: &str, i: usize, yaml: bool) -> Option<(char, usize)> {
    let hex = |n: usize| -> Option<char> {
        let h = s.get(i + 2..i + 2 + n)?;
        char::from_u32(u32::from_str_radix(h, 16).ok()?)
    };
    Some(match *s.as_bytes().get(i + 1)? {
        b'\\' => ('\\', 2),
        b'"' => ('"', 2),
        b'n' => ('\n', 2),
        b't' => ('\t', 2),
        b'r' => ('\r', 2),
        b'u' => (hex(4)?, 6),
        b'U' => (hex(8)?, 10),
        b'/' if yaml => ('/', 2),
        b'0' if yaml => ('\0', 2),
        b'x' if yaml => (hex(2)?, 4),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::cmp::Ordering;

    thread_local!(static COMPARED: Cell<usize> = const { Cell::new(0) });

    /// A key that counts how often the set compares it with another.
    #[derive(Debug)]
    struct Counted(String);
    impl AsRef<str> for Counted {
        fn as_ref(&self) -> &str {
            &self.0
        }
    }
    impl Counted {
        fn tick() {
            COMPARED.with(|c| c.set(c.get() + 1));
        }
    }
    impl PartialEq for Counted {
        fn eq(&self, o: &Self) -> bool {
            Self::tick();
            self.0 == o.0
        }
    }
    impl Eq for Counted {}
    impl PartialOrd for Counted {
        fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Counted {
        fn cmp(&self, o: &Self) -> Ordering {
            Self::tick();
            self.0.cmp(&o.0)
        }
    }

    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/common/colliding.rs"
    ));

    /// Keys a pull request chose to collide cost the duplicate-key sets O(n log n) comparisons,
    /// not O(n²): 2,000 of them, about 2,000 · 11 in a tree, 2,000,000 in a table under FxHash.
    #[test]
    fn colliding_keys_cost_a_logarithmic_number_of_comparisons() {
        let keys = colliding_keys(2_000);
        assert!(
            keys.iter().all(|k| fx(k) == fx(&keys[0])),
            "the keys collide"
        );
        COMPARED.with(|c| c.set(0));
        let mut set: KeySet<Counted> = KeySet::new();
        for k in &keys {
            assert!(set.insert(Counted(k.clone())), "distinct");
        }
        let compared = COMPARED.with(Cell::get);
        assert!(
            compared < 2_000 * 16,
            "{compared} comparisons for 2,000 keys"
        );
        assert!(
            keys.iter().all(|k| !set.insert(Counted(k.clone()))),
            "each is found"
        );
        assert!(set.insert(Counted("not there".into())));
    }

    /// The radix sort orders as the comparison sort of (hash, key, index) it replaced: on pairs
    /// past the radix threshold and under it, with hashes that share bytes, repeat, or all
    /// collide (also under FNV-1a: keys that are equal), and pairs not in index order.
    #[test]
    fn by_hash_then_key_orders_as_a_comparison_sort() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let colliding = colliding_keys(40);
        for round in 0..60 {
            let n = [0, 1, 2, 255, 256, 257, 1_000, 3_000][round % 8];
            let keys: Vec<String> = (0..n)
                .map(|_| match next() % 4 {
                    0 => colliding[(next() % 40) as usize].clone(),
                    1 => format!("k{}", next() % 50),
                    _ => format!("key-{}", next()),
                })
                .collect();
            let hash = |k: &str| match round % 3 {
                0 => fx(k),
                1 => fx(k) & 0x00ff_0000_ff00_00ff, // bytes every hash shares
                _ => fx(k) % 7,                     // long runs of one hash
            };
            let mut order: Vec<(u64, usize)> =
                keys.iter().enumerate().map(|(i, k)| (hash(k), i)).collect();
            if round % 5 == 4 {
                order.reverse();
            }
            let mut want = order.clone();
            want.sort_by(|a, b| {
                key_order((a.0, &keys[a.1]), (b.0, &keys[b.1])).then(a.1.cmp(&b.1))
            });
            by_hash_then_key(&mut order, |i| keys[i].as_str());
            assert_eq!(order, want, "round {round}, {n} pairs");
        }
    }

    /// `any_repeat` answers as comparing every pair of keys, on mappings of every size class
    /// (pairwise, on the stack, logged), with keys that collide under the hash.
    #[test]
    fn any_repeat_answers_as_a_pairwise_check() {
        let colliding = colliding_keys(8);
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..3_000 {
            let len = [3, 16, 17, 40, 64, 65, 100][round % 7];
            let keys: Vec<String> = (0..len)
                .map(|i| match next(3) {
                    0 => colliding[next(8) as usize].clone(),
                    1 => format!("k{}", next(4 * len as u64)),
                    _ => format!("unique-{i}"),
                })
                .collect();
            let want = (0..len).any(|i| (0..i).any(|j| keys[i] == keys[j]));
            assert_eq!(
                any_repeat(&keys, |k| Cow::Borrowed(k.as_str())),
                want,
                "{keys:?}"
            );
        }
    }

    /// A map keeps the first value of a key given twice, finds each key, and orders nothing a
    /// caller can see.
    #[test]
    fn a_key_map_keeps_the_first_value() {
        let mut m = KeyMap::new();
        m.keep_first("b", 1);
        m.keep_first("a", 2);
        m.keep_first("b", 3);
        assert_eq!(
            (m.get("a"), m.get("b"), m.get("c")),
            (Some(&2), Some(&1), None)
        );
    }
}
