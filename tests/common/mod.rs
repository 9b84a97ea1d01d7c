//! Helpers shared by the integration tests (each test file includes this module).

// Not every test file uses every helper.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

/// Copy a directory tree (the bundled example platform repo, mostly) file by file.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Every document of a YAML stream as PyYAML (YAML 1.1, as kubectl and Argo CD read) reads it.
pub fn pyyaml(text: &str) -> serde_json::Value {
    let script = "import sys, json, yaml\nprint(json.dumps([d for d in yaml.safe_load_all(sys.stdin.read())], default=lambda o: {\"pyyaml-type\": type(o).__name__, \"text\": str(o)}))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with PyYAML");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "PyYAML failed on:\n{text}");
    serde_json::from_slice(&out.stdout).unwrap()
}
