// Included (`include!`) by the hash-flooding test in src/edit/lex.rs and by benches/bounded.rs.

/// `n` distinct 16-byte keys of printable ASCII (no `"`, `\`, `$` or `%`, so each is a valid
/// quoted key in YAML and HCL) that a multiply-rotate hash without a secret cannot tell apart:
/// after the first word `w1` the state is `w1·K`; choosing `w2 = rotl(w1·K, 5) ^ C` makes the
/// state after the second word `C·K` for every key. This is how a pull request floods a
/// hash table keyed by its own keys.
pub fn colliding_keys(n: usize) -> Vec<String> {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    const C: u64 = 0x4142_4344_4546_4748;
    let ok = |b: u8| (0x20..0x7f).contains(&b) && !b"\"\\$%".contains(&b);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let w1 = u64::from_le_bytes(seed.to_le_bytes().map(|b| b'!' + b % 94));
        let w2 = (w1.wrapping_mul(K)).rotate_left(5) ^ C;
        let (b1, b2) = (w1.to_le_bytes(), w2.to_le_bytes());
        if b1.iter().chain(&b2).all(|&b| ok(b)) {
            out.push(String::from_utf8([b1, b2].concat()).expect("ASCII"));
        }
    }
    out
}
