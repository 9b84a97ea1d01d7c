//! The validator on any values: a report, never a panic; a request is valid exactly when none of
//! its fields has a problem, and a valid name always yields the registry id.
#![no_main]

use ecr_registrar::{Config, FieldName, Request, Validator};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| Validator::new(&Config::default()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();
    let request = Request {
        name: next(),
        owner: next(),
        requester: Some(next()).filter(|s| !s.is_empty()),
        domain: Some(next()).filter(|s| !s.is_empty()),
        environment: next(),
        risk: next(),
        id: None,
        ..Request::default()
    };
    let v = validator();
    let report = v.validate_request(&request);
    assert_eq!(report.valid, report.errors.is_empty());
    let name_errors = v.validate_field("name", &request.name);
    assert_eq!(
        name_errors.is_empty(),
        !report.errors.iter().any(|e| e.field == "name")
    );
    if name_errors.is_empty() {
        assert_eq!(
            report.registry_id.as_deref(),
            Some(v.registry_id(&request.name).as_str())
        );
    }
    for field in FieldName::ALL {
        for e in v.validate_field(field.as_str(), &request.name) {
            assert!(!e.message.is_empty());
        }
    }
});
