//! What the two subset readers and the preflight scans share: the hasher of their duplicate-key
//! sets, backslash escapes and tables of the bytes a scan stops at.

use std::hash::{BuildHasherDefault, Hasher};

/// A small multiply-rotate hasher (as rustc's FxHash) for the duplicate-key sets: the keys come
/// from the platform's own repository, and SipHash was a tenth of a 10,000-entry edit.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(buf))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    /// The state with its high half folded into the low one around a multiply, so that every
    /// bit of the result depends on every bit of the key. The state alone has its mixing in the
    /// high bits: hashbrown takes the bucket from the low bits (all 10,000 `service-NNNNNN` keys
    /// fell into 32 of 16,384 buckets) and, where `usize` is 32 bits (WebAssembly), the whole
    /// hash from the low 32 (the 10,000 governance ids had 256 distinct hashes there, and every
    /// insert compared keys byte by byte). 64-bit operations only: a `u128` multiply is a call
    /// in WebAssembly.
    fn finish(&self) -> u64 {
        let h = (self.0 ^ (self.0 >> 32)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        h ^ (h >> 32)
    }
}

pub(crate) type FxSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;
pub(crate) type FxMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

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
