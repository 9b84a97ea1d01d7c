//! The lifecycle policy validator on any text: a report, never a panic; valid exactly when there
//! are no problems.
#![no_main]

use ecr_registrar::validate_policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = validate_policy(&text);
    assert_eq!(report.valid, report.problems.is_empty());
    for p in &report.problems {
        assert!(!p.message.is_empty());
    }
});
