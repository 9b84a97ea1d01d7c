//! The native core in process, for `npm run bench` (benches/wasm.bench.mjs, issue 26): the same
//! calls on the same texts as the WebAssembly build in Node, timed in this process, so that one
//! run of the Node bench can print both side by side with the CLI process.
//!
//! `native <dir> <rounds>`: `<dir>` holds what the Node bench wrote: `base.catalog`,
//! `base.tfvars` (the files every call starts from), `head.catalog`, `head.tfvars` (the files
//! after the scaffold, the other side of `changes`) and `calls.json` (the requests, the date and
//! the two paths). Prints one JSON object: for each call, the milliseconds of each of `<rounds>`
//! runs after one untimed warm-up. Run by `cargo bench` without arguments, it says so and exits.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use ecr_registrar::{
    Config, DecommissionRequest, Files, Request, Revisions, UpdateRequest, Validator,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Calls {
    scaffold: Request,
    update: UpdateRequest,
    decommission: DecommissionRequest,
    today: String,
    catalog_path: String,
    tfvars_path: String,
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

/// The milliseconds of `rounds` runs of `f`, after one untimed run.
fn time(rounds: usize, mut f: impl FnMut()) -> Vec<f64> {
    f();
    (0..rounds)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, rounds] = args.as_slice() else {
        eprintln!("benches/native.rs runs under `npm run bench` (benches/wasm.bench.mjs)");
        return;
    };
    let dir = Path::new(dir);
    let rounds: usize = rounds.parse().expect("rounds: a number");
    let calls: Calls = serde_json::from_str(&read(dir, "calls.json")).expect("calls.json");
    let files = Files {
        catalog: Some(read(dir, "base.catalog")),
        tfvars: Some(read(dir, "base.tfvars")),
    };
    let side = |catalog: String, tfvars: String| {
        BTreeMap::from([
            (calls.catalog_path.clone(), catalog),
            (calls.tfvars_path.clone(), tfvars),
        ])
    };
    let revisions = Revisions {
        base: side(
            files.catalog.clone().unwrap(),
            files.tfvars.clone().unwrap(),
        ),
        head: side(read(dir, "head.catalog"), read(dir, "head.tfvars")),
        changed_paths: vec![calls.catalog_path.clone(), calls.tfvars_path.clone()],
        git_changes: Vec::new(),
        head_tree: Vec::new(),
        head_attributes: Vec::new(),
    };
    let v = Validator::new(&Config::default()).unwrap();
    let today = calls.today.as_str();
    let ms = serde_json::json!({
        "scaffold": time(rounds, || {
            let out = ecr_registrar::scaffold_with(&v, &calls.scaffold, &files, today).unwrap();
            assert!(out.changed);
        }),
        "update": time(rounds, || {
            let out = ecr_registrar::update(&v, &calls.update, &files, today).unwrap();
            assert!(out.changed);
        }),
        "decommission": time(rounds, || {
            let out = ecr_registrar::decommission(&v, &calls.decommission, &files, today).unwrap();
            assert!(out.changed);
        }),
        "changes": time(rounds, || {
            ecr_registrar::changes(&v, &revisions).unwrap();
        }),
    });
    println!("{ms}");
}
