//! `cargo bench --bench bounded`: every command of the core on hostile inputs of about 1 MB
//! (issue 21, item 8), each answered or refused within 100 ms. `benches/worst.rs` covers
//! `scaffold` on the parsers' worst shapes; this covers the other commands (`update`,
//! `decommission`, `sync --promote`, `changes` on both files, `sync` with a listing, the config,
//! custom patterns, `unifiedDiff`, lifecycle policies) and the refusal of inputs over the limits.
//!
//! Each row runs `RUNS` times (once when the first run is over 1 s); the minimum and the median are printed (the minimum is the least
//! disturbed by other work on a shared machine). The process exits 1 when a median is over the
//! bound. Results are recorded in BENCHMARKS.md. A filter argument selects rows by substring.
//!
//! With `BOUNDED_WASM=<file>`, the rows whose command is also a WebAssembly export (and a
//! `scaffold` row per catalog shape) are written to `<file>` as JSON instead of being timed:
//! `{what, size, call, args}` with the arguments as JavaScript passes them. `npm run
//! bench:bounded` (benches/bounded.wasm.mjs) writes that file and times each call in `pkg/node`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ecr_registrar::{
    Config, DecommissionRequest, Files, MAX_FILE_BYTES, Request, Revisions, SyncOptions,
    UpdateRequest, Validator,
};

const MB: usize = 1 << 20;
const BOUND: Duration = Duration::from_millis(100);
const RUNS: usize = 7;
const TODAY: &str = "2026-12-07";
const CATALOG_PATH: &str = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml";
const TFVARS_PATH: &str = "envs/dev/terraform.tfvars";

fn entry_yaml(name: &str, status: &str) -> String {
    let id = ecr_registrar::registry_id("REGISTRY_", name);
    format!(
        "  {name}:\n    metadata:\n      id: {id}\n      owner: app-team\n      risk: low\n      environment: dev\n      status: {status}\n"
    )
}

fn entry_hcl(name: &str) -> String {
    let id = ecr_registrar::registry_id("REGISTRY_", name);
    format!(
        "  \"{name}\" = {{\n    metadata = {{\n      id    = \"{id}\"\n      owner = \"app-team\"\n      risk  = \"low\"\n    }}\n  }}\n"
    )
}

/// Platform-layout files of about `size` bytes each; every entry has status `status`.
fn platform(size: usize, status: &str) -> (String, String, usize) {
    let mut cat = String::from("version: \"1.0\"\nlast_updated: \"2026-01-09\"\nrepositories:\n");
    let mut tf = String::from("aws_region = \"eu-west-2\"\n\necr_repositories = {\n");
    let mut n = 0;
    while cat.len() < size - 200 && tf.len() < size - 200 {
        let name = format!("service-{n:06}");
        cat.push_str(&entry_yaml(&name, status));
        tf.push_str(&entry_hcl(&name));
        n += 1;
    }
    tf.push_str("}\n");
    (cat, tf, n)
}

/// One entry (`web`) in both files, with `pad` written before the catalog's `repositories`.
fn small_with(pad: impl FnOnce(&mut String)) -> (String, String) {
    let mut cat = String::from("version: \"1.0\"\nlast_updated: \"2026-01-09\"\n");
    pad(&mut cat);
    cat.push_str("repositories:\n");
    cat.push_str(&entry_yaml("web", "active"));
    let tf = format!("ecr_repositories = {{\n{}}}\n", entry_hcl("web"));
    (cat, tf)
}

/// The catalog shapes: (what, catalog, tfvars), each file at most 1 MB.
fn shapes() -> Vec<(String, String, String)> {
    let mut v = Vec::new();
    let (c, t, n) = platform(MB, "active");
    v.push((format!("platform layout, {n} entries"), c, t));
    let (c, t) = small_with(|s| {
        s.push_str("x: ");
        s.push_str(&"a".repeat(MB - 400));
        s.push('\n');
    });
    v.push(("one 1 MB plain scalar".into(), c, t));
    let (c, t) = small_with(|s| {
        let line = format!("# {}\n", "c".repeat(77));
        while s.len() < MB - 400 {
            s.push_str(&line);
        }
    });
    v.push(("1 MB of comments".into(), c, t));
    let (c, t) = small_with(|s| {
        s.push_str("x: ");
        let d = (MB - 500) / 2;
        s.push_str(&"[".repeat(d));
        s.push_str(&"]".repeat(d));
        s.push('\n');
    });
    v.push(("`[[[…]]]` 1 MB deep".into(), c, t));
    let (c, t) = small_with(|s| {
        for d in 0..1_400 {
            let _ = writeln!(s, "{}k:", " ".repeat(d));
        }
        let _ = writeln!(s, "{}v", " ".repeat(1_400));
    });
    v.push(("block mappings 1,400 deep".into(), c, t));
    let (c, t) = small_with(|s| {
        s.push_str("a: &a x\nb: [");
        while s.len() < MB - 400 {
            s.push_str("*a, ");
        }
        s.push_str("*a]\n");
    });
    v.push(("1 MB of aliases to one anchor".into(), c, t));
    let mut cat = String::from("version: \"1.0\"\nrepositories:\n");
    let mut i = 0;
    while cat.len() < MB - 200 {
        let _ = writeln!(
            cat,
            "  s{i:06}: {{metadata: {{id: REGISTRY_S{i:06}, owner: app-team, risk: low, environment: dev}}}}"
        );
        i += 1;
    }
    cat.push_str(&entry_yaml("web", "active"));
    let tf = format!("ecr_repositories = {{\n{}}}\n", entry_hcl("web"));
    v.push(("entries as flow mappings (the full parser)".into(), cat, tf));
    let mut tf = String::from("ecr_repositories = {\n");
    tf.push_str(&entry_hcl("web"));
    let mut i = 0;
    while tf.len() < MB - 200 {
        let _ = writeln!(
            tf,
            "  \"t{i:06}\" = {{ metadata = {{ id = \"REGISTRY_T{i:06}\", owner = \"app-team\", risk = \"low\" }} }}"
        );
        i += 1;
    }
    tf.push_str("}\n");
    let (cat, _) = small_with(|_| {});
    v.push(("tfvars: one-line entries to 1 MB".into(), cat, tf));
    // Keys chosen to collide under a hash without a secret (tests/common/colliding.rs): one
    // bucket for all of them, were the duplicate-key sets hash tables.
    let (mut cat, mut tf) = (
        String::from("version: \"1.0\"\nrepositories:\n"),
        String::from("ecr_repositories = {\n"),
    );
    for k in colliding_keys(MB / 48) {
        if cat.len() > MB - 200 || tf.len() > MB - 200 {
            break;
        }
        let _ = writeln!(cat, "  \"{k}\":\n    metadata:\n      owner: x");
        let _ = writeln!(tf, "  \"{k}\" = {{ metadata = {{ owner = \"x\" }} }}");
    }
    tf.push_str("}\n");
    v.push(("1 MB of keys that collide under FxHash".into(), cat, tf));
    // One entry whose `metadata` has 1 MB of keys: one mapping, not many entries.
    let mut cat = String::from("version: \"1.0\"\nrepositories:\n  web:\n    metadata:\n");
    let mut tf = String::from("ecr_repositories = {\n  \"web\" = {\n    metadata = {\n");
    let mut i = 0;
    while cat.len() < MB - 200 && tf.len() < MB - 200 {
        let _ = writeln!(cat, "      k{i:06}: x");
        let _ = writeln!(tf, "      k{i:06} = \"x\"");
        i += 1;
    }
    tf.push_str("    }\n  }\n}\n");
    v.push((format!("one entry with {i} metadata keys"), cat, tf));
    // The most entries 1 MB holds in the subset readers: one line each.
    let mut cat = String::from("version: \"1.0\"\nrepositories:\n");
    let mut tf = String::from("ecr_repositories = {\n");
    let mut i = 0;
    while cat.len() < MB - 200 && tf.len() < MB - 200 {
        let _ = writeln!(cat, "  k{i:06}: x");
        let _ = writeln!(tf, "  k{i:06} = \"x\"");
        i += 1;
    }
    tf.push_str("}\n");
    v.push((format!("{i} one-line entries"), cat, tf));
    // One entry with a wide object before its `risk`, which the day-2 editors parse alone with
    // hcl-edit (quadratic in an object's keys): 1,500 keys is about the widest the node budget
    // takes, 5,900 (100 KB) is refused.
    for keys in [1_500, 5_900] {
        let (cat, _) = small_with(|_| {});
        let mut tf = String::from("x = <<EOT\nhi\nEOT\necr_repositories = {\n");
        tf.push_str(&entry_hcl("web").replace("      risk  = \"low\"\n", ""));
        tf.truncate(tf.len() - "    }\n  }\n".len());
        for i in 0..keys {
            let _ = writeln!(tf, "      k{i} = \"x\"");
        }
        tf.push_str("      risk  = \"low\"\n    }\n  }\n}\n");
        v.push((
            format!("tfvars: one entry's object of {keys} keys"),
            cat,
            tf,
        ));
    }
    v
}

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/common/colliding.rs"
));

struct Row {
    what: String,
    size: usize,
    answer: String,
    min: Duration,
    median: Duration,
}

fn time(what: String, size: usize, mut f: impl FnMut() -> String) -> Row {
    let mut times = Vec::with_capacity(RUNS);
    let mut answer = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        answer = f();
        times.push(t.elapsed());
        if times[0] > 10 * BOUND {
            break; // far over the bound: one run says enough
        }
    }
    times.sort();
    Row {
        what,
        size,
        answer,
        min: times[0],
        median: times[times.len() / 2],
    }
}

fn verdict<T>(r: &ecr_registrar::Result<T>, ok: impl Fn(&T) -> String) -> String {
    match r {
        Ok(t) => ok(t),
        Err(e) => format!("refused ({})", e.code.as_str()),
    }
}

fn day2(o: &ecr_registrar::Day2Output) -> String {
    if o.catalog.changed || o.tfvars.changed {
        "edited".into()
    } else {
        "unchanged".into()
    }
}

/// The same call through a WebAssembly export: `{what, size, call, args}` for benches/bounded.wasm.mjs.
fn wasm_call(what: &str, size: usize, call: &str, args: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ "what": what, "size": size, "call": call, "args": args })
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let wasm_file = std::env::var_os("BOUNDED_WASM");
    let v = Validator::new(&Config::default()).expect("default config");
    let mut rows: Vec<Row> = Vec::new();
    let mut wasm: Vec<serde_json::Value> = Vec::new();
    let native = wasm_file.is_none();
    let mut run = |what: String, size: usize, f: &mut dyn FnMut() -> String| {
        if !native || filter.as_deref().is_some_and(|x| !what.contains(x)) {
            return;
        }
        let row = time(what, size, f);
        eprintln!("{} {:?}", row.what, row.median);
        rows.push(row);
    };
    let mut also = |what: String, size: usize, call: &str, args: serde_json::Value| {
        if !native {
            wasm.push(wasm_call(&what, size, call, args));
        }
    };

    // ---- update, decommission, changes (both files) on every shape ----
    for (shape, cat, tf) in shapes() {
        let size = cat.len().max(tf.len());
        let files = Files {
            catalog: Some(cat.clone()),
            tfvars: Some(tf.clone()),
        };
        let name = if shape.starts_with("platform") {
            "service-000100"
        } else {
            "web"
        };
        let up = UpdateRequest {
            name: name.into(),
            environment: "dev".into(),
            owner: Some("sre-team".into()),
            ..UpdateRequest::default()
        };
        run(format!("update: {shape}"), size, &mut || {
            verdict(&ecr_registrar::update(&v, &up, &files, TODAY), day2)
        });
        also(
            format!("update: {shape}"),
            size,
            "update",
            serde_json::json!([up, files, TODAY]),
        );
        let down = DecommissionRequest {
            name: name.into(),
            environment: "dev".into(),
        };
        run(format!("decommission: {shape}"), size, &mut || {
            verdict(&ecr_registrar::decommission(&v, &down, &files, TODAY), day2)
        });
        also(
            format!("decommission: {shape}"),
            size,
            "decommission",
            serde_json::json!([down, files, TODAY]),
        );
        // changes: the shape at base, the shape with one entry added at head (or the same
        // text when scaffold refuses it: the guard must still read both).
        let req = Request {
            name: "payments-api".into(),
            owner: "app-team".into(),
            requester: None,
            domain: None,
            environment: "dev".into(),
            risk: "low".into(),
            id: None,
            ..Request::default()
        };
        also(
            format!("scaffold: {shape}"),
            size,
            "scaffold",
            serde_json::json!([req, files, TODAY]),
        );
        let (head_cat, head_tf) = match ecr_registrar::scaffold_with(&v, &req, &files, TODAY) {
            Ok(o) => (o.catalog.text, o.tfvars.text),
            Err(_) => (format!("{cat}# changed\n"), format!("{tf}# changed\n")),
        };
        let revs = Revisions {
            base: BTreeMap::from([
                (CATALOG_PATH.to_string(), cat.clone()),
                (TFVARS_PATH.to_string(), tf.clone()),
            ]),
            head: BTreeMap::from([
                (CATALOG_PATH.to_string(), head_cat),
                (TFVARS_PATH.to_string(), head_tf),
            ]),
            changed_paths: vec![CATALOG_PATH.into(), TFVARS_PATH.into()],
            ..Default::default()
        };
        also(
            format!("changes (both files): {shape}"),
            size,
            "changes",
            serde_json::json!([revs]),
        );
        run(format!("changes (both files): {shape}"), size, &mut || {
            verdict(&ecr_registrar::changes(&v, &revs), |r| {
                format!(
                    "{} changes, {} guard problems",
                    r.changes.len(),
                    r.guard.problems.len()
                )
            })
        });
    }

    // ---- changes: two unrelated 1 MB files ----
    {
        let (a_cat, a_tf, _) = platform(MB, "active");
        let shapes = shapes();
        let (_, b_cat, b_tf) = &shapes[6];
        let revs = Revisions {
            base: BTreeMap::from([
                (CATALOG_PATH.to_string(), a_cat.clone()),
                (TFVARS_PATH.to_string(), a_tf.clone()),
            ]),
            head: BTreeMap::from([
                (CATALOG_PATH.to_string(), b_cat.clone()),
                (TFVARS_PATH.to_string(), b_tf.clone()),
            ]),
            changed_paths: vec![CATALOG_PATH.into(), TFVARS_PATH.into()],
            ..Default::default()
        };
        also(
            "changes (both files): platform layout → flow mappings".into(),
            MB,
            "changes",
            serde_json::json!([revs]),
        );
        run(
            "changes (both files): platform layout → flow mappings".into(),
            MB,
            &mut || {
                verdict(&ecr_registrar::changes(&v, &revs), |r| {
                    format!("{} guard problems", r.guard.problems.len())
                })
            },
        );
    }

    // ---- changes: a pull request that adds 1 MB of entries of 17 fields (past the few keys
    // compared pairwise) to a small catalog ----
    {
        let (base_cat, base_tf) = small_with(|_| {});
        let (mut cat, mut tf) = (
            String::from("version: \"1.0\"\nrepositories:\n"),
            String::from("ecr_repositories = {\n"),
        );
        let mut n = 0;
        while cat.len() < MB - 600 && tf.len() < MB - 600 {
            let _ = write!(cat, "  e{n}:\n    metadata:\n");
            let _ = write!(tf, "  e{n} = {{ metadata = {{");
            for j in 0..17 {
                let _ = writeln!(cat, "      f{j}: x");
                let _ = write!(tf, "f{j}=1,");
            }
            tf.push_str("} }\n");
            n += 1;
        }
        tf.push_str("}\n");
        let revs = Revisions {
            base: BTreeMap::from([
                (CATALOG_PATH.to_string(), base_cat),
                (TFVARS_PATH.to_string(), base_tf),
            ]),
            head: BTreeMap::from([
                (CATALOG_PATH.to_string(), cat),
                (TFVARS_PATH.to_string(), tf),
            ]),
            changed_paths: vec![CATALOG_PATH.into(), TFVARS_PATH.into()],
            ..Default::default()
        };
        let what = format!("changes (both files): {n} entries of 17 fields added");
        also(what.clone(), MB, "changes", serde_json::json!([revs]));
        run(what, MB, &mut || {
            verdict(&ecr_registrar::changes(&v, &revs), |r| {
                format!(
                    "{} changes, {} guard problems",
                    r.changes.len(),
                    r.guard.problems.len()
                )
            })
        });
    }

    // ---- sync --promote ----
    for status in ["pending", "active"] {
        let (cat, _, n) = platform(MB, status);
        let names: Vec<String> = (0..n).map(|i| format!("service-{i:06}")).collect();
        let present: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        run(
            format!("sync --promote: {n} entries {status}, all present"),
            cat.len(),
            &mut || {
                verdict(
                    &ecr_registrar::promote(&cat, &present, "dev", ("eu-west-2", None), TODAY),
                    |r| format!("{} promoted", r.2.promoted.len()),
                )
            },
        );
    }

    // ---- sync: a 1 MB listing and a 1 MB catalog ----
    {
        let (cat, _, _) = platform(MB, "active");
        let mut listing = String::from("{\"repositories\": [");
        let mut i = 0;
        while listing.len() < MB - 300 {
            let _ = write!(
                listing,
                "{}{{\"repositoryName\": \"service-{i:06}\", \"registryId\": \"123456789012\", \"repositoryUri\": \"123456789012.dkr.ecr.eu-west-2.amazonaws.com/service-{i:06}\", \"tags\": [{{\"Key\": \"owner\", \"Value\": \"app-team\"}}]}}",
                if i == 0 { "" } else { ", " }
            );
            i += 1;
        }
        listing.push_str("]}");
        let opts = SyncOptions {
            region: "eu-west-2".into(),
            account: None,
            now: "2026-12-07T00:00:00Z".into(),
        };
        let config = Config::default();
        also(
            format!("sync: 1 MB listing ({i} repositories) + 1 MB catalog"),
            listing.len(),
            "renderEntities",
            serde_json::json!([listing, cat, opts]),
        );
        run(
            format!("sync: 1 MB listing ({i} repositories) + 1 MB catalog"),
            listing.len(),
            &mut || {
                verdict(
                    &ecr_registrar::sync(&listing, Some(&cat), &opts, &config),
                    |o| format!("{} files", o.files.len()),
                )
            },
        );
        let deep = format!("{}{}", "[".repeat(MB / 2), "]".repeat(MB / 2));
        also(
            "sync: listing `[[[…]]]` 1 MB deep".into(),
            MB,
            "renderEntities",
            serde_json::json!([deep, null, opts]),
        );
        run(
            "sync: listing `[[[…]]]` 1 MB deep".into(),
            MB,
            &mut || {
                verdict(&ecr_registrar::sync(&deep, None, &opts, &config), |_| {
                    "answered".into()
                })
            },
        );
    }

    // ---- the config ----
    {
        let mut owners = String::from("owners:\n");
        let mut i = 0;
        while owners.len() < MB - 100 {
            let _ = writeln!(owners, "  - team-{i:07}");
            i += 1;
        }
        let deep = format!(
            "owners: {}{}\n",
            "[".repeat(MB / 2 - 10),
            "]".repeat(MB / 2 - 10)
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for k in 1..10 {
            let _ = writeln!(
                bomb,
                "a{k}: &a{k} [{}]",
                vec![format!("*a{}", k - 1); 10].join(", ")
            );
        }
        bomb.push_str("owners: *a9\n");
        let mut aliases = String::from("x: &x team\nowners: [");
        while aliases.len() < MB - 10 {
            aliases.push_str("*x, ");
        }
        aliases.push_str("*x]\n");
        let long_key = format!("{}: 1\n", "k".repeat(MB - 10));
        for (what, text) in [
            ("1 MB of owners", owners),
            ("`[[[…]]]` 1 MB deep", deep),
            ("anchors nested 10×10 (billion laughs)", bomb),
            ("1 MB of aliases", aliases),
            ("one 1 MB key", long_key),
        ] {
            also(
                format!("config: {what}"),
                text.len(),
                "configFromYaml",
                serde_json::json!([text]),
            );
            run(format!("config: {what}"), text.len(), &mut || {
                verdict(&Config::from_yaml(&text), |c| {
                    format!("read ({} owners)", c.owners.len())
                })
            });
        }
        // The largest pattern the limits let through, on the longest value they run it on.
        let mut c = Config {
            value_pattern: format!("^(?:{})*$", vec!["[a-z]+-?"; 100].join("|")),
            ..Config::default()
        };
        let pv = Validator::new(&c);
        let value = "ab-".repeat(341);
        also(
            "pattern: 100-way alternation of `[a-z]+-?` under `*`, 1 KB value".into(),
            value.len(),
            "validateField",
            serde_json::json!(["owner", value, c]),
        );
        run(
            "pattern: 100-way alternation of `[a-z]+-?` under `*`, 1 KB value".into(),
            value.len(),
            &mut || match &pv {
                Ok(v) => format!("{} problems", v.validate_field("owner", &value).len()),
                Err(e) => format!("refused ({})", e.code.as_str()),
            },
        );
        c.value_pattern = "^([a-z]+-?)*[a-z]$".into();
        let pv = Validator::new(&c).expect("pattern");
        let mb_value = "a-".repeat(MB / 2);
        also(
            "pattern: `^([a-z]+-?)*[a-z]$` on a 1 MB value".into(),
            mb_value.len(),
            "validateField",
            serde_json::json!(["owner", mb_value, c]),
        );
        run(
            "pattern: `^([a-z]+-?)*[a-z]$` on a 1 MB value".into(),
            mb_value.len(),
            &mut || format!("{} problems", pv.validate_field("owner", &mb_value).len()),
        );
        for p in ["a{1000}{1000}", "((a{100}){100}){100}"] {
            let c = Config {
                name_pattern: p.into(),
                ..Config::default()
            };
            also(
                format!("pattern: compile `{p}`"),
                p.len(),
                "validateField",
                serde_json::json!(["name", "web", c]),
            );
            run(
                format!("pattern: compile `{p}`"),
                p.len(),
                &mut || match Validator::new(&c) {
                    Ok(_) => "compiled".into(),
                    Err(e) => format!("refused ({})", e.code.as_str()),
                },
            );
        }
    }

    // ---- unifiedDiff, lifecycle policies, names ----
    {
        let (a, _, _) = platform(MB, "active");
        let b: String = a.replace("app-team", "web-team");
        also(
            "unifiedDiff: 1 MB, every 7th line changed".into(),
            a.len(),
            "unifiedDiff",
            serde_json::json!(["c.yaml", a, b]),
        );
        run(
            "unifiedDiff: 1 MB, every 7th line changed".into(),
            a.len(),
            &mut || {
                format!(
                    "{} bytes",
                    ecr_registrar::unified_diff("c.yaml", Some(&a), &b).len()
                )
            },
        );
        let lines_a: String = (0..MB / 8).map(|i| format!("a{i:06}\n")).collect();
        let lines_b: String = (0..MB / 8).map(|i| format!("b{i:06}\n")).collect();
        also(
            "unifiedDiff: two unrelated 1 MB texts".into(),
            lines_a.len(),
            "unifiedDiff",
            serde_json::json!(["c.yaml", lines_a, lines_b]),
        );
        run(
            "unifiedDiff: two unrelated 1 MB texts".into(),
            lines_a.len(),
            &mut || {
                format!(
                    "{} bytes",
                    ecr_registrar::unified_diff("c.yaml", Some(&lines_a), &lines_b).len()
                )
            },
        );
        let policy = format!(
            "{{\"rules\": [{}]}}",
            "[".repeat(MB / 2) + &"]".repeat(MB / 2)
        );
        also(
            "lifecycle policy: 1 MB".into(),
            policy.len(),
            "validateLifecyclePolicy",
            serde_json::json!([policy]),
        );
        run("lifecycle policy: 1 MB".into(), policy.len(), &mut || {
            format!(
                "{} problems",
                ecr_registrar::validate_policy(&policy).problems.len()
            )
        });
        let name = "a".repeat(MB);
        also(
            "validate name: 1 MB".into(),
            name.len(),
            "validateField",
            serde_json::json!(["name", name]),
        );
        run("validate name: 1 MB".into(), name.len(), &mut || {
            format!("{} problems", v.validate_field("name", &name).len())
        });
    }

    // ---- over the limit: refused before parsing ----
    {
        let (cat, tf, _) = platform(MB, "active");
        let mut big = cat.clone();
        while big.len() <= MAX_FILE_BYTES {
            big.push_str("# padding padding padding padding padding padding padding\n");
        }
        let files = Files {
            catalog: Some(big.clone()),
            tfvars: Some(tf.clone()),
        };
        let up = UpdateRequest {
            name: "service-000100".into(),
            environment: "dev".into(),
            owner: Some("sre-team".into()),
            ..UpdateRequest::default()
        };
        also(
            "update: catalog over the limit (8 MiB + 1)".into(),
            big.len(),
            "update",
            serde_json::json!([up, files, TODAY]),
        );
        run(
            "update: catalog over the limit (8 MiB + 1)".into(),
            big.len(),
            &mut || verdict(&ecr_registrar::update(&v, &up, &files, TODAY), day2),
        );
        run(
            "sync --promote: catalog over the limit".into(),
            big.len(),
            &mut || {
                verdict(
                    &ecr_registrar::promote(
                        &big,
                        &BTreeSet::new(),
                        "dev",
                        ("eu-west-2", None),
                        TODAY,
                    ),
                    |_| "answered".into(),
                )
            },
        );
    }

    if let Some(file) = wasm_file {
        let text = serde_json::to_string(&wasm).expect("JSON of the calls");
        std::fs::write(&file, text).expect("BOUNDED_WASM: write the calls");
        eprintln!("{} WebAssembly calls written", wasm.len());
        return;
    }
    println!("| command: input | size | answer | min of {RUNS} | median |");
    println!("| --- | --- | --- | --- | --- |");
    let mut over = 0;
    for r in &rows {
        let flag = if r.median > BOUND {
            over += 1;
            " **over**"
        } else {
            ""
        };
        println!(
            "| {} | {} KB | {} | {:.1} ms | {:.1} ms{flag} |",
            r.what,
            r.size / 1024,
            r.answer,
            r.min.as_secs_f64() * 1e3,
            r.median.as_secs_f64() * 1e3
        );
    }
    if over > 0 {
        eprintln!("{over} row(s) over the bound of {} ms", BOUND.as_millis());
        std::process::exit(1);
    }
}
