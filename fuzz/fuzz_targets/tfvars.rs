//! The tfvars editor on any text: an edit or an error, never a panic; an edit reads back (hcl-rs)
//! with the entry, and the same request on the result changes nothing.
#![no_main]

use ecr_registrar::{TfvarsEntry, add_tfvars_entry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let e = TfvarsEntry {
        name: "payments-api".into(),
        id: "REGISTRY_PAYMENTS_API".into(),
        owner: "platform-team".into(),
        risk: "low".into(),
        description: None,
    };
    let Ok(out) = add_tfvars_entry(Some(text), &e, "ecr_repositories") else {
        return;
    };
    // Parsed as HCL structure (object keys may be numbers or expressions, which JSON cannot hold).
    let body: hcl::Body =
        hcl::parse(out.text.trim_start_matches('\u{feff}')).expect("an edited tfvars file parses");
    let map = body
        .attributes()
        .find(|a| a.key() == "ecr_repositories")
        .expect("the map is in the result");
    assert!(
        hcl::format::to_string(map.expr()).is_ok_and(|t| t.contains("\"payments-api\"")),
        "the entry is in the map"
    );
    let again = add_tfvars_entry(Some(&out.text), &e, "ecr_repositories")
        .expect("the same request on the result is accepted");
    assert!(
        !again.changed && again.text == out.text,
        "a second run changes nothing"
    );
});
