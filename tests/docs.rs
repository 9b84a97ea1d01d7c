//! The README's tables of stable codes are rendered from the typed enums (`ErrorCode`,
//! `FieldCode`, `PolicyCode`, `GuardCode`): when a code is added or reworded, this test fails until the README
//! says the same. `UPDATE_README=1 cargo test --test docs` rewrites the tables for review.

use std::fs;
use std::path::Path;

use ecr_registrar::{CodeInfo, stable_codes};

const BEGIN: &str =
    "<!-- codes:begin: generated from the enums; UPDATE_README=1 cargo test --test docs -->\n";
const END: &str = "<!-- codes:end -->";

fn table(title: &str, codes: &[CodeInfo]) -> String {
    let mut t = format!("{title}\n\n| code | meaning |\n| --- | --- |\n");
    for c in codes {
        t.push_str(&format!(
            "| `{}` | {} |\n",
            c.code,
            c.description.replace('|', "\\|")
        ));
    }
    t
}

fn rendered() -> String {
    let codes = stable_codes();
    [
        table(
            "Error codes (`error.code` in JSON output, `err.code` in JavaScript):",
            &codes.error_codes,
        ),
        table(
            "Field codes (`errors[].code` of a validation report or an `invalid_request` error):",
            &codes.field_codes,
        ),
        table(
            "Lifecycle policy codes (`problems[].code` of `lifecycle validate`):",
            &codes.policy_codes,
        ),
        table(
            "Guard codes (`guard.problems[].code` of `changes`):",
            &codes.guard_codes,
        ),
    ]
    .join("\n")
}

#[test]
fn readme_code_tables_are_the_enums() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("README has the codes:begin marker")
        + BEGIN.len();
    let end = readme[start..]
        .find(END)
        .expect("README has the codes:end marker")
        + start;
    let want = rendered();
    if std::env::var_os("UPDATE_README").is_some() {
        fs::write(
            &path,
            format!("{}{want}{}", &readme[..start], &readme[end..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        want,
        "the README's code tables differ from the enums; run UPDATE_README=1 cargo test --test docs"
    );
}

#[test]
fn every_code_is_unique_and_described() {
    let codes = stable_codes();
    for list in [&codes.error_codes, &codes.field_codes, &codes.policy_codes] {
        let mut seen = std::collections::BTreeSet::new();
        for c in list {
            assert!(seen.insert(&c.code), "{} twice", c.code);
            assert!(
                c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{} is not snake_case",
                c.code
            );
            assert!(
                c.description.ends_with('.'),
                "{}: {}",
                c.code,
                c.description
            );
        }
    }
}
