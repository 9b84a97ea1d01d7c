//! The catalog editor on any text: an edit or an error, never a panic; an edit reads back (serde_yaml)
//! with the entry, and the same request on the result changes nothing.
#![no_main]

use ecr_registrar::{CatalogEntry, DEFAULT_CATALOG_HEADER, add_catalog_entry};
use libfuzzer_sys::fuzz_target;

fn entry() -> CatalogEntry {
    CatalogEntry {
        name: "payments-api".into(),
        id: "REGISTRY_PAYMENTS_API".into(),
        owner: "platform-team".into(),
        requested_by: Some("daniel-deans".into()),
        domain: Some("delivery".into()),
        description: None,
        region: None,
        region_defaulted: false,
        risk: "low".into(),
        environment: "dev".into(),
        created_date: "2026-11-21".into(),
        status: "pending".into(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let e = entry();
    let Ok(out) = add_catalog_entry(Some(text), &e, "2026-11-21", DEFAULT_CATALOG_HEADER) else {
        return;
    };
    let doc: serde_yaml::Value = serde_yaml::from_str(out.text.trim_start_matches('\u{feff}'))
        .expect("an edited catalog parses");
    assert!(
        doc["repositories"]["payments-api"]["metadata"]["id"].is_string(),
        "the entry is in the result"
    );
    let again = add_catalog_entry(Some(&out.text), &e, "2026-11-21", DEFAULT_CATALOG_HEADER)
        .expect("the same request on the result is accepted");
    assert!(
        !again.changed && again.text == out.text,
        "a second run changes nothing"
    );
});
