//! `cargo bench` (core) and `cargo bench --features cli` (also the whole CLI process).
//! Results and the machine they were taken on are recorded in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ecr_registrar::{Config, Files, Request, Validator};

/// A catalog and a tfvars file with `n` repositories, in the platform's layout.
pub fn platform_files(n: usize) -> (String, String) {
    let mut cat = String::from(
        "version: \"1.0\"\ndomain: delivery\nowner: platform-team\nlast_updated: \"2026-01-09\"\nmanaged_by: platform-team\nrepositories:\n",
    );
    let mut tf = String::from(
        "aws_region  = \"eu-west-2\"\nenvironment = \"dev\"\n\necr_repositories = {\n",
    );
    for i in 0..n {
        let name = format!("service-{i:06}");
        let id = ecr_registrar::registry_id("REGISTRY_", &name);
        cat.push_str(&format!(
            "  {name}:\n    metadata:\n      id: {id}\n      owner: app-team\n      risk: low\n      environment: dev\n      created_date: \"2026-01-05\"\n      status: active\n"
        ));
        tf.push_str(&format!(
            "  \"{name}\" = {{\n    metadata = {{\n      id    = \"{id}\"\n      owner = \"app-team\"\n      risk  = \"low\"\n    }}\n  }}\n"
        ));
    }
    tf.push_str("}\n\ntags = {\n  team = \"platform\"\n}\n");
    (cat, tf)
}

fn request() -> Request {
    Request {
        name: "payments-api".into(),
        owner: "platform-team".into(),
        requester: Some("daniel-deans".into()),
        domain: Some("delivery".into()),
        environment: "dev".into(),
        risk: "low".into(),
        id: None,
        ..Request::default()
    }
}

fn bench_validate(c: &mut Criterion) {
    let v = Validator::new(&Config::default()).unwrap();
    c.bench_function("validate_field name", |b| {
        b.iter(|| v.validate_field("name", black_box("payments-api")))
    });
    c.bench_function("validate_field name (invalid)", |b| {
        b.iter(|| v.validate_field("name", black_box("Payments_API-")))
    });
    let req = request();
    c.bench_function("validate_request", |b| {
        b.iter(|| v.validate_request(black_box(&req)))
    });
}

fn bench_scaffold(c: &mut Criterion) {
    let v = Validator::new(&Config::default()).unwrap();
    let req = request();
    let mut g = c.benchmark_group("scaffold (core, both edits verified)");
    g.sample_size(20);
    for n in [100usize, 1_000, 10_000] {
        let (catalog, tfvars) = platform_files(n);
        let files = Files {
            catalog: Some(catalog),
            tfvars: Some(tfvars),
        };
        g.bench_with_input(BenchmarkId::from_parameter(n), &files, |b, files| {
            b.iter(|| ecr_registrar::scaffold_with(&v, &req, files, "2026-11-21").unwrap())
        });
    }
    g.finish();
}

#[cfg(feature = "cli")]
fn bench_cli(c: &mut Criterion) {
    use criterion::BatchSize;
    use std::process::Command;
    let mut g = c.benchmark_group("cli scaffold (process, writes both files)");
    g.sample_size(20);
    for n in [1_000usize, 10_000] {
        let (catalog, tfvars) = platform_files(n);
        let repo = tempfile_dir();
        let cat_path = repo.join("docs/20-contracts/resource-catalogs/ecr-catalog.yaml");
        let tf_path = repo.join("envs/dev/terraform.tfvars");
        std::fs::create_dir_all(cat_path.parent().unwrap()).unwrap();
        std::fs::create_dir_all(tf_path.parent().unwrap()).unwrap();
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_batched(
                || {
                    std::fs::write(&cat_path, &catalog).unwrap();
                    std::fs::write(&tf_path, &tfvars).unwrap();
                },
                |()| {
                    let out = Command::new(env!("CARGO_BIN_EXE_ecr-registrar"))
                        .args(["scaffold", "--repo"])
                        .arg(&repo)
                        .args([
                            "--name",
                            "payments-api",
                            "--owner",
                            "platform-team",
                            "--environment",
                            "dev",
                        ])
                        .args(["--risk", "low", "--today", "2026-11-21"])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                },
                BatchSize::PerIteration,
            )
        });
        let _ = std::fs::remove_dir_all(&repo);
    }
    g.finish();
}

#[cfg(feature = "cli")]
fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ecr-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[cfg(not(feature = "cli"))]
fn bench_cli(_: &mut Criterion) {}

/// A DescribeRepositories listing of `n` repositories with an owner tag each, and a catalog that
/// governs every other one.
pub fn ecr_listing(n: usize) -> (String, String) {
    let mut repos = Vec::with_capacity(n);
    let mut catalog = String::from("repositories:\n");
    for i in 0..n {
        let name = format!("service-{i:06}");
        repos.push(serde_json::json!({
            "repositoryArn": format!("arn:aws:ecr:eu-west-2:123456789012:repository/{name}"),
            "registryId": "123456789012",
            "repositoryName": name,
            "repositoryUri": format!("123456789012.dkr.ecr.eu-west-2.amazonaws.com/{name}"),
            "imageTagMutability": "MUTABLE",
            "tags": [{"Key": "owner", "Value": "app-team"}],
        }));
        if i % 2 == 0 {
            catalog.push_str(&format!(
                "  {name}:\n    metadata:\n      id: REGISTRY_{}\n      owner: platform-team\n      environment: dev\n      risk: low\n",
                name.to_uppercase().replace('-', "_")
            ));
        }
    }
    (
        serde_json::json!({ "repositories": repos }).to_string(),
        catalog,
    )
}

fn bench_sync(c: &mut Criterion) {
    let config = ecr_registrar::Config::default();
    let options = ecr_registrar::SyncOptions {
        region: "eu-west-2".into(),
        account: None,
        now: "2026-11-21T18:00:00Z".into(),
    };
    let mut g = c.benchmark_group("sync_render");
    g.sample_size(10);
    for n in [1_000, 10_000, 100_000] {
        let (listing, catalog) = ecr_listing(n);
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| ecr_registrar::sync(&listing, Some(&catalog), &options, &config).unwrap())
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_validate,
    bench_scaffold,
    bench_cli,
    bench_sync
);
criterion_main!(benches);
