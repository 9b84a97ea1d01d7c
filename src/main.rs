//! The native CLI: argument parsing, file I/O and output. All decisions are the core's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ecr_registrar::{Config, Error, ErrorCode, Files, Request, ScaffoldOutput, Validator, diff};
use serde::Serialize;

#[cfg(feature = "aws")]
mod aws;

/// Self-service AWS ECR registries for Backstage: validate requests and add them to the
/// governance catalog and the Terraform inputs with edits that are verified before they are written.
///
/// Exit codes: 0 success (changed or unchanged), 1 invalid request, conflict, invalid policy or
/// (`sync --check`) drift, 2 usage error, unreadable or malformed file, I/O or internal error,
/// 3 AWS error (unreachable endpoint, denied permission, bad credentials).
#[derive(Parser, Debug)]
#[command(name = "ecr-registrar", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a registry request against the platform's, AWS's and Backstage's naming rules.
    ///
    /// Only the fields you pass are checked (the name always). Every problem is listed with a
    /// stable code.
    ///
    /// Example:
    ///   ecr-registrar validate --name payments-api --owner platform-team --environment dev --risk low
    #[command(verbatim_doc_comment)]
    Validate {
        #[command(flatten)]
        request: RequestArgs,
        /// Platform config (default: built-in platform defaults).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Add a registry to the governance catalog and to envs/<env>/terraform.tfvars of a platform repo.
    ///
    /// Reads both files under --repo, inserts only the new lines, re-parses the result and checks
    /// it equals the old file plus the entry, then writes atomically (temp file + rename). Running
    /// the same request again changes nothing. Missing files are created. The config is --config,
    /// else <repo>/registrar.yaml when present, else the built-in platform defaults.
    ///
    /// Example (preview, writes nothing):
    ///   ecr-registrar scaffold --repo . --name payments-api --owner platform-team \
    ///     --environment dev --risk low --requester daniel-deans --dry-run
    #[command(verbatim_doc_comment)]
    Scaffold {
        /// The platform repository (its root).
        #[arg(long, value_name = "DIR")]
        repo: PathBuf,
        #[command(flatten)]
        request: RequestArgs,
        /// Creation date for the catalog (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<String>,
        /// Print a unified diff of what would change and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Platform config (default: <repo>/registrar.yaml, else built-in defaults).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Render the registry's Backstage entities from AWS ECR, the source of truth (runbook RB-0025).
    ///
    /// Lists every repository of the region (DescribeRepositories, 1,000 per page) and its tags
    /// (ListTagsForResource, --concurrency at a time, adaptive retry), enriches them from the
    /// governance catalog (environment, risk, owner) and writes under --repo: the registry and one
    /// Resource per repository, the System, the Domain and a Location (paths from the config's
    /// `sync` section). Files are written atomically and only when more than `platform/last-sync`
    /// changed; a listing that fails part-way writes nothing. The report lists repositories in
    /// both (synced), only in the catalog (ghosts) and only in AWS (orphans).
    ///
    /// Region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's config.
    ///
    /// Examples:
    ///   ecr-registrar sync --repo . --region eu-west-2 --dry-run
    ///   ecr-registrar sync --repo . --check                  # CI: exit 1 when the files drifted
    ///   aws ecr describe-repositories > repos.json && ecr-registrar sync --repo . --from-json repos.json
    #[command(verbatim_doc_comment)]
    Sync(SyncArgs),
    /// Render governance artifacts for a request.
    #[command(subcommand)]
    Render(RenderCommand),
    /// ECR lifecycle policies: render the platform's policy, or check any policy before AWS does.
    #[command(subcommand)]
    Lifecycle(LifecycleCommand),
}

#[derive(clap::Args, Debug)]
struct SyncArgs {
    /// The platform repository (its root).
    #[arg(long, value_name = "DIR")]
    repo: PathBuf,
    /// AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region).
    #[arg(long)]
    region: Option<String>,
    /// AWS profile (else AWS_PROFILE, else default).
    #[arg(long)]
    profile: Option<String>,
    /// ECR endpoint, e.g. a local emulator (else AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Skip ListTagsForResource: owners then come from the catalog or the default only.
    #[arg(long)]
    no_tags: bool,
    /// Parallel tag requests.
    #[arg(long, default_value_t = 16, value_name = "N")]
    concurrency: usize,
    /// Read `aws ecr describe-repositories` JSON (one or more pages) from FILE or - instead of
    /// calling AWS.
    #[arg(long, value_name = "FILE")]
    from_json: Option<PathBuf>,
    /// AWS account for the report (default: from the listing).
    #[arg(long)]
    account: Option<String>,
    /// Print a unified diff of what would change and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write nothing; exit 1 when the files on disk differ from what would be written
    /// (ignoring platform/last-sync).
    #[arg(long, conflicts_with = "dry_run")]
    check: bool,
    /// The sync time (default: now), UTC as 2026-11-21T17:45:00Z.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
    /// Platform config (default: <repo>/registrar.yaml, else built-in defaults).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Subcommand, Debug)]
enum RenderCommand {
    /// Crossplane manifests: a Repository and a LifecyclePolicy (ecr.aws.m.upbound.io/v1beta1).
    ///
    /// Mutability, encryption, scanning and the number of images kept come from the risk tier
    /// (low/medium: AES256, MUTABLE, 20/30 images; high: KMS, IMMUTABLE, 50 images). The request
    /// is validated first, and the object names must be valid Kubernetes names.
    ///
    /// Example:
    ///   ecr-registrar render crossplane --name payments-api --owner app-team --environment prod \
    ///     --risk high --region eu-west-2 --kms-key-ref ecr-key --out payments-api.yaml
    #[command(verbatim_doc_comment)]
    Crossplane {
        #[command(flatten)]
        request: RequestArgs,
        /// AWS region of the repository, e.g. eu-west-2.
        #[arg(long)]
        region: String,
        /// The `system` tag (default: --domain, else container-registry).
        #[arg(long)]
        system: Option<String>,
        /// Namespace of both objects.
        #[arg(long, default_value = "crossplane-system")]
        namespace: String,
        /// Images to keep (default: the risk tier's retention).
        #[arg(long, value_name = "N")]
        keep: Option<u32>,
        /// Also expire untagged images this many days after push.
        #[arg(long, value_name = "DAYS")]
        expire_untagged_days: Option<u32>,
        /// Crossplane KMS Key to encrypt with when the tier uses KMS (default: AWS managed key).
        #[arg(long, value_name = "NAME")]
        kms_key_ref: Option<String>,
        /// Platform config (default: built-in platform defaults).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Write the manifests to FILE (atomically) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// yaml: one stream with `---` between the objects; json: `{repository, lifecyclePolicy}`.
        #[arg(long, value_enum, default_value_t = ManifestFormat::Yaml)]
        format: ManifestFormat,
    },
}

#[derive(Subcommand, Debug)]
enum LifecycleCommand {
    /// Print the lifecycle policy JSON: keep the last N images, optionally expire untagged ones.
    ///
    /// Example:
    ///   ecr-registrar lifecycle render --keep 30 --expire-untagged-days 7
    #[command(verbatim_doc_comment)]
    Render {
        /// Images to keep (1 or more).
        #[arg(long, value_name = "N")]
        keep: u32,
        /// Expire untagged images this many days after push (rule 1, before the keep rule).
        #[arg(long, value_name = "DAYS")]
        expire_untagged_days: Option<u32>,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check a lifecycle policy against AWS's documented rules; every problem is listed.
    ///
    /// Exit 0 valid, 1 invalid, 2 unreadable file.
    ///
    /// Example:
    ///   ecr-registrar lifecycle validate policy.json
    ///   kubectl get lifecyclepolicy x -o jsonpath='{.spec.forProvider.policy}' | ecr-registrar lifecycle validate -
    #[command(verbatim_doc_comment)]
    Validate {
        /// The policy file, or - for stdin.
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ManifestFormat {
    Yaml,
    Json,
}

#[derive(clap::Args, Debug)]
struct RequestArgs {
    /// Repository name, e.g. payments-api.
    #[arg(long)]
    name: String,
    /// Owning team, e.g. platform-team.
    #[arg(long)]
    owner: Option<String>,
    /// Person who asked for it, e.g. daniel-deans.
    #[arg(long)]
    requester: Option<String>,
    /// Domain, e.g. delivery.
    #[arg(long)]
    domain: Option<String>,
    /// Environment: one of the platform's (dev, test, staging, prod by default).
    #[arg(long)]
    environment: Option<String>,
    /// Risk tier: low, medium or high by default.
    #[arg(long)]
    risk: Option<String>,
    /// Explicit governance id (default: REGISTRY_<NAME>).
    #[arg(long)]
    id: Option<String>,
}

impl RequestArgs {
    /// A whole request (missing required fields are empty, so validation names them).
    fn into_request(self) -> Request {
        Request {
            name: self.name,
            owner: self.owner.unwrap_or_default(),
            requester: self.requester,
            domain: self.domain,
            environment: self.environment.unwrap_or_default(),
            risk: self.risk.unwrap_or_default(),
            id: self.id,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// What `scaffold --format json` prints: the outcome without the file texts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScaffoldReport<'a> {
    changed: bool,
    dry_run: bool,
    registry_id: &'a str,
    entity_name: &'a str,
    plan_command: &'a str,
    files: Vec<FileReport<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileReport<'a> {
    path: &'a str,
    changed: bool,
    created: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = match &cli.command {
        Command::Validate { format, .. }
        | Command::Scaffold { format, .. }
        | Command::Sync(SyncArgs { format, .. })
        | Command::Lifecycle(LifecycleCommand::Validate { format, .. }) => *format,
        Command::Render(RenderCommand::Crossplane { format, .. }) => match format {
            ManifestFormat::Json => Format::Json,
            ManifestFormat::Yaml => Format::Text,
        },
        Command::Lifecycle(LifecycleCommand::Render { .. }) => Format::Text,
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if format == Format::Json {
                println!("{}", json(&serde_json::json!({ "error": e })));
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::from(match e.code {
                ErrorCode::InvalidRequest | ErrorCode::Conflict => 1,
                ErrorCode::Aws => 3,
                _ => 2,
            })
        }
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(ErrorCode::Io, format!("cannot {what}: {e}")).in_file(path.display().to_string())
}

fn load_config(explicit: Option<&Path>, repo: Option<&Path>) -> Result<Config, Error> {
    let path = match (explicit, repo) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(r)) if r.join("registrar.yaml").is_file() => r.join("registrar.yaml"),
        _ => return Ok(Config::default()),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, "read the config", e))?;
    Config::from_yaml(&text).map_err(|e| e.in_file(path.display().to_string()))
}

/// Write `text` to `out` atomically (the same temp file + fsync + rename as the edits), or print it.
fn emit(out: Option<&Path>, text: &str) -> Result<(), Error> {
    let Some(path) = out else {
        print!("{text}");
        return Ok(());
    };
    // A bare file name has an empty parent; name the current directory instead.
    let path = match path.parent() {
        Some(d) if d.as_os_str().is_empty() => Path::new(".").join(path),
        _ => path.to_path_buf(),
    };
    let change = ecr_registrar::FileChange {
        path: path.display().to_string(),
        text: text.to_string(),
        changed: true,
        created: !path.exists(),
    };
    write_all(&[(&path, &None, &change)])
}

/// The region: the flag, AWS_REGION, AWS_DEFAULT_REGION, the profile's config, in that order.
fn resolve_region(flag: Option<String>, profile: Option<&str>) -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    flag.or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| profile_region(profile))
}

#[cfg(feature = "aws")]
fn profile_region(profile: Option<&str>) -> Option<String> {
    aws::profile_region(profile)
}

#[cfg(not(feature = "aws"))]
fn profile_region(_: Option<&str>) -> Option<String> {
    None
}

/// The region named in the listing's ARNs (`arn:aws:ecr:<region>:…`), for `--from-json`.
fn region_in_listing(text: &str) -> Option<String> {
    let i = text.find("arn:aws")?;
    text[i..]
        .split(':')
        .nth(3)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

fn sync(args: SyncArgs) -> Result<ExitCode, Error> {
    let SyncArgs {
        repo,
        region,
        profile,
        endpoint_url,
        no_tags,
        concurrency,
        from_json,
        account,
        dry_run,
        check,
        now,
        config,
        format,
    } = args;
    use ecr_registrar::sync;
    if !repo.is_dir() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("--repo {} is not a directory", repo.display()),
        ));
    }
    let config = load_config(config.as_deref(), Some(&repo))?;
    let profile = profile.or_else(|| std::env::var("AWS_PROFILE").ok());
    let listing = match &from_json {
        Some(path) if path.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                .map_err(|e| io_error(Path::new("<stdin>"), "read", e))?;
            Some(s)
        }
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| io_error(path, "read", e))?),
        None => None,
    };
    let listing_name = from_json
        .as_ref()
        .map_or("<AWS listing>".to_string(), |p| p.display().to_string());
    if let Some(text) = &listing {
        // A malformed file is the first thing to report, before any region question.
        sync::parse_listing(text).map_err(|e| e.in_file(listing_name.clone()))?;
    }
    let region = resolve_region(region, profile.as_deref())
        .or_else(|| listing.as_deref().and_then(region_in_listing))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "no AWS region: ECR is regional, so name one with --region eu-west-2, the AWS_REGION or AWS_DEFAULT_REGION environment variable, or a default region in the profile's ~/.aws/config",
            )
        })?;
    let listing = match listing {
        Some(text) => text,
        None => list_ecr(&region, profile, endpoint_url, !no_tags, concurrency)?,
    };
    let catalog = read_optional(&repo.join(&config.catalog_path))?;
    let options = sync::SyncOptions {
        region,
        account,
        now: now.unwrap_or_else(now_utc),
    };
    let out = sync::sync(&listing, catalog.as_deref(), &options, &config).map_err(|e| {
        if e.file.is_some() {
            e
        } else {
            e.in_file(listing_name)
        }
    })?;
    // The inputs are no longer needed; at 100,000 repositories they are ~40 MB.
    drop((listing, catalog));
    let sync::SyncOutput { files, report } = out;
    let mut existing = std::collections::BTreeMap::new();
    for f in &files {
        existing.insert(f.path.clone(), read_optional(&repo.join(&f.path))?);
    }
    let changes = sync::changes(files, &mut existing);
    let changed: Vec<&ecr_registrar::FileChange> = changes.iter().filter(|c| c.changed).collect();
    if !check && !dry_run {
        let paths: Vec<PathBuf> = changes.iter().map(|c| repo.join(&c.path)).collect();
        let olds: Vec<Option<String>> = changes
            .iter()
            .map(|c| existing.get(&c.path).cloned().flatten())
            .collect();
        let pairs: Vec<_> = changes
            .iter()
            .enumerate()
            .map(|(i, c)| (&paths[i], &olds[i], c))
            .collect();
        write_all(&pairs)?;
    }
    let report = &report;
    match format {
        Format::Json => println!(
            "{}",
            json(&serde_json::json!({
                "report": report,
                "dryRun": dry_run,
                "check": check,
                "files": changes.iter().map(|c| {
                    let mut f = serde_json::json!({
                        "path": c.path, "changed": c.changed, "created": c.created,
                    });
                    if dry_run && c.changed {
                        let old = existing.get(&c.path).cloned().flatten();
                        f["diff"] = diff::unified(&c.path, old.as_deref(), &c.text).into();
                    }
                    f
                }).collect::<Vec<_>>(),
            }))
        ),
        Format::Text => {
            println!(
                "{} repositories in {}{}: {} synced, {} orphans (AWS only), {} ghosts (catalog only)",
                report.repo_count,
                report.region,
                report
                    .account
                    .as_deref()
                    .map_or(String::new(), |a| format!(" (account {a})")),
                report.synced.len(),
                report.orphans.len(),
                report.ghosts.len()
            );
            for (label, list) in [("orphan", &report.orphans), ("ghost", &report.ghosts)] {
                for name in list.iter().take(20) {
                    println!("  {label}: {name}");
                }
                if list.len() > 20 {
                    println!("  … and {} more {label}s", list.len() - 20);
                }
            }
            for c in &report.collisions {
                println!(
                    "  collision: {} would be the entity of {}",
                    c.entity_name,
                    c.repositories.join(", ")
                );
            }
            for s in &report.skipped {
                println!("  skipped: {}: {}", s.repository, s.reason);
            }
            let verb = if check || dry_run {
                "would change"
            } else {
                "changed"
            };
            if changed.is_empty() {
                println!("entities are up to date");
            }
            for c in &changed {
                println!(
                    "{verb}: {}{}",
                    c.path,
                    if c.created { " (new)" } else { "" }
                );
            }
        }
    }
    if dry_run && format == Format::Text {
        for c in &changed {
            let old = existing.get(&c.path).cloned().flatten();
            print!("{}", diff::unified(&c.path, old.as_deref(), &c.text));
        }
    }
    Ok(ExitCode::from(if check && !changed.is_empty() {
        1
    } else {
        0
    }))
}

#[cfg(feature = "aws")]
fn list_ecr(
    region: &str,
    profile: Option<String>,
    endpoint_url: Option<String>,
    tags: bool,
    concurrency: usize,
) -> Result<String, Error> {
    let endpoint_url = endpoint_url.or_else(|| {
        std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|v| !v.is_empty())
    });
    let repos = aws::list(&aws::ListOptions {
        region: region.to_string(),
        profile,
        endpoint_url,
        tags,
        concurrency,
    })?;
    Ok(json(&serde_json::json!({ "repositories": repos })))
}

#[cfg(not(feature = "aws"))]
fn list_ecr(
    _: &str,
    _: Option<String>,
    _: Option<String>,
    _: bool,
    _: usize,
) -> Result<String, Error> {
    Err(Error::new(
        ErrorCode::InvalidArgument,
        "this build lists ECR only with the `aws` feature (cargo build --features aws); pass `--from-json FILE` with the output of `aws ecr describe-repositories` instead",
    ))
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Sync(args) => sync(args),
        Command::Render(RenderCommand::Crossplane {
            request,
            region,
            system,
            namespace,
            keep,
            expire_untagged_days,
            kms_key_ref,
            config,
            out,
            format,
        }) => {
            let v = Validator::new(&load_config(config.as_deref(), None)?)?;
            let opts = ecr_registrar::crossplane::CrossplaneOptions {
                region,
                namespace: Some(namespace),
                system,
                keep,
                expire_untagged_days,
                kms_key_ref,
            };
            let m =
                ecr_registrar::crossplane::render_crossplane(&v, &request.into_request(), &opts)?;
            let text = match format {
                ManifestFormat::Yaml => ecr_registrar::crossplane::to_yaml(&m)?,
                ManifestFormat::Json => json(&m) + "\n",
            };
            emit(out.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lifecycle(LifecycleCommand::Render {
            keep,
            expire_untagged_days,
            out,
        }) => {
            let text = ecr_registrar::lifecycle::render_policy(
                &ecr_registrar::lifecycle::LifecycleOptions {
                    keep,
                    expire_untagged_days,
                },
            )?;
            emit(out.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lifecycle(LifecycleCommand::Validate { file, format }) => {
            let text = if file.as_os_str() == "-" {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                    .map_err(|e| io_error(Path::new("<stdin>"), "read", e))?;
                s
            } else {
                std::fs::read_to_string(&file).map_err(|e| io_error(&file, "read", e))?
            };
            let report = ecr_registrar::lifecycle::validate_policy(&text);
            match format {
                Format::Json => println!("{}", json(&report)),
                Format::Text if report.valid => {
                    println!("valid lifecycle policy: {}", file.display())
                }
                Format::Text => {
                    println!("invalid lifecycle policy: {}", file.display());
                    for p in &report.problems {
                        let at = if p.path.is_empty() {
                            "(document)"
                        } else {
                            &p.path
                        };
                        println!("  {at} [{}]: {}", p.code, p.message);
                    }
                }
            }
            Ok(ExitCode::from(if report.valid { 0 } else { 1 }))
        }
        Command::Validate {
            request,
            config,
            format,
        } => {
            let v = Validator::new(&load_config(config.as_deref(), None)?)?;
            let fields: Vec<(&str, &str)> = [
                ("owner", &request.owner),
                ("requester", &request.requester),
                ("domain", &request.domain),
                ("environment", &request.environment),
                ("risk", &request.risk),
                ("id", &request.id),
            ]
            .into_iter()
            .filter_map(|(f, v)| v.as_deref().map(|v| (f, v)))
            .collect();
            let report = v.validate_fields(&request.name, &fields);
            match format {
                Format::Json => println!("{}", json(&report)),
                Format::Text if report.valid => println!(
                    "valid: {} (registry id {})",
                    request.name,
                    report.registry_id.as_deref().unwrap_or("-")
                ),
                Format::Text => {
                    println!("invalid request:");
                    for e in &report.errors {
                        println!("  {} [{}]: {}", e.field, e.code, e.message);
                    }
                }
            }
            Ok(ExitCode::from(if report.valid { 0 } else { 1 }))
        }
        Command::Scaffold {
            repo,
            request,
            today,
            dry_run,
            config,
            format,
        } => {
            if !repo.is_dir() {
                return Err(Error::new(
                    ErrorCode::Io,
                    format!("--repo {} is not a directory", repo.display()),
                ));
            }
            let config = load_config(config.as_deref(), Some(&repo))?;
            let req = request.into_request();
            let v = Validator::new(&config)?;
            // Validate before touching the file system: the environment becomes a path.
            let report = v.validate_request(&req);
            if !report.valid {
                let mut e = Error::new(ErrorCode::InvalidRequest, "the request is invalid");
                e.errors = report.errors;
                return Err(e);
            }
            let catalog_path = repo.join(&config.catalog_path);
            let tfvars_path = repo.join(config.tfvars_path_for(&req.environment));
            let files = Files {
                catalog: read_optional(&catalog_path)?,
                tfvars: read_optional(&tfvars_path)?,
            };
            let today = today.unwrap_or_else(today_utc);
            let out = ecr_registrar::scaffold_with(&v, &req, &files, &today)?;
            let pairs = [
                (&catalog_path, &files.catalog, &out.catalog),
                (&tfvars_path, &files.tfvars, &out.tfvars),
            ];
            if !dry_run {
                write_all(&pairs)?;
            }
            report_scaffold(&req.name, &out, &files, dry_run, format);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report_scaffold(name: &str, out: &ScaffoldOutput, files: &Files, dry_run: bool, format: Format) {
    let changes = [(&files.catalog, &out.catalog), (&files.tfvars, &out.tfvars)];
    match format {
        Format::Json => {
            let report = ScaffoldReport {
                changed: out.changed(),
                dry_run,
                registry_id: &out.registry_id,
                entity_name: &out.entity_name,
                plan_command: &out.plan_command,
                files: changes
                    .iter()
                    .map(|(old, c)| FileReport {
                        path: &c.path,
                        changed: c.changed,
                        created: c.created && c.changed,
                        diff: (dry_run && c.changed)
                            .then(|| diff::unified(&c.path, old.as_deref(), &c.text)),
                    })
                    .collect(),
            };
            println!("{}", json(&report));
        }
        Format::Text => {
            let mut stdout = std::io::stdout().lock();
            if dry_run {
                for (old, c) in &changes {
                    let _ = write!(
                        stdout,
                        "{}",
                        diff::unified(&c.path, old.as_deref(), &c.text)
                    );
                }
            }
            if !out.changed() {
                let _ = writeln!(
                    stdout,
                    "unchanged: {} ({}) is already in both files with the same values",
                    name, out.registry_id
                );
            } else {
                let verb = if dry_run { "would add" } else { "added" };
                let _ = writeln!(stdout, "{verb} {} ({})", name, out.registry_id);
                for (_, c) in &changes {
                    let state = match (c.changed, c.created) {
                        (false, _) => "unchanged",
                        (true, true) => "created",
                        (true, false) => "updated",
                    };
                    let _ = writeln!(stdout, "  {state:<9} {}", c.path);
                }
            }
            let _ = writeln!(stdout, "plan: {}", out.plan_command);
            if dry_run {
                let _ = writeln!(stdout, "dry run: nothing was written");
            }
        }
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            Error::new(
                ErrorCode::Malformed,
                format!(
                    "the file is not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .in_file(path.display().to_string())
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, "read", e)),
    }
}

/// Write every changed file to a temp file next to it first, then rename them all into place.
fn write_all(
    pairs: &[(&PathBuf, &Option<String>, &ecr_registrar::FileChange)],
) -> Result<(), Error> {
    let mut staged = Vec::new();
    for (path, _, change) in pairs {
        if !change.changed {
            continue;
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the directory", e))?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(change.text.as_bytes())?;
            f.sync_all()?;
            if let Ok(meta) = std::fs::metadata(path) {
                std::fs::set_permissions(&tmp, meta.permissions())?;
            }
            Ok::<_, std::io::Error>(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(io_error(path, "write", e));
        }
        staged.push((tmp, (*path).clone()));
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).map_err(|e| io_error(path, "replace", e))?;
    }
    Ok(())
}

/// Now in UTC as 2026-11-21T17:45:00Z.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let s = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        civil_date(secs),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Today's date in UTC as YYYY-MM-DD.
fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs)
}

/// The UTC date of a Unix time (civil-from-days, proleptic Gregorian).
fn civil_date(secs: u64) -> String {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
