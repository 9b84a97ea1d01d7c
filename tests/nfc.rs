//! src/nfc.rs's table against `unicode-normalization` (the oracle): for every code point, the
//! core says NFC may rewrite it exactly when its NFC quick check is not Yes; and every description
//! the core accepts is one Terraform's normalisation leaves as it is.

use ecr_registrar::{Config, Validator, nfc_may_change};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

#[test]
fn the_table_is_the_nfc_quick_check_property_for_every_code_point() {
    let mut differ = Vec::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let oracle = is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes;
        if nfc_may_change(c) != oracle {
            differ.push(format!("U+{:04X}", c as u32));
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(20)]
    );
}

#[test]
fn an_accepted_description_is_its_own_nfc() {
    let texts = [
        "caf\u{e9} images",
        "cafe\u{301} images",
        "\u{958}\u{959}",
        "\u{915}\u{93c}",
        "\u{1100}\u{1161} jamo",
        "\u{d55c}\u{ad6d}\u{c5b4}",
        "\u{2126} ohm",
        "I \u{2764}\u{fe0f} images",
        "\u{fb2c}",
        "x\u{301}",
    ];
    let v = Validator::new(&Config::default()).unwrap();
    let mut refused = 0;
    for t in texts {
        let nfc: String = t.nfc().collect();
        let problems = v.validate_field("description", t);
        if problems.is_empty() {
            assert_eq!(nfc, t, "{t:?} was accepted but NFC rewrites it");
        } else {
            assert_eq!(problems[0].code.as_str(), "invalid_description");
            refused += 1;
        }
    }
    // Refused: the decomposed é, U+0958 (excluded), U+093C and U+1161 (marks that may compose,
    // though these two are NFC), U+2126 (a singleton), U+FB2C, the mark after x.
    assert_eq!(refused, 7);
}
