//! The command line, as clap types: one struct per command, so each command's file takes its own.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use ecr_registrar::Request;

/// Self-service AWS ECR registries for Backstage: validate requests and add them to the
/// governance catalog and the Terraform inputs with edits that are verified before they are written.
///
/// Exit codes: 0 success (changed or unchanged), 1 invalid request, conflict, invalid policy or
/// (`sync --check`) drift, 2 usage error, unreadable or malformed file, I/O or internal error,
/// 3 AWS error (unreachable endpoint, denied permission, bad credentials).
#[derive(Parser, Debug)]
#[command(name = "ecr-registrar", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a registry request against the platform's, AWS's and Backstage's naming rules.
    ///
    /// Only the fields you pass are checked (the name always). Every problem is listed with a
    /// stable code.
    ///
    /// Example:
    ///   ecr-registrar validate --name payments-api --owner platform-team --environment dev --risk low
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),
    /// Add a registry to the governance catalog and to envs/<env>/terraform.tfvars of a platform repo.
    ///
    /// Reads both files under --repo, inserts only the new lines, re-parses the result and checks
    /// it equals the old file plus the entry, then writes atomically (temp file + rename). Running
    /// the same request again changes nothing. A missing catalog is created, and a missing tfvars
    /// file in an environment directory that exists. The config is --config,
    /// else <repo>/registrar.yaml when present, else the built-in platform defaults.
    ///
    /// Example (preview, writes nothing):
    ///   ecr-registrar scaffold --repo . --name payments-api --owner platform-team \
    ///     --environment dev --risk low --requester daniel-deans \
    ///     --description "Payments API images" --region eu-west-2 --dry-run
    #[command(verbatim_doc_comment)]
    Scaffold(ScaffoldArgs),
    /// Render the registry's Backstage entities from AWS ECR, the source of truth (runbook RB-0025).
    ///
    /// Lists every repository of the region (DescribeRepositories, 1,000 per page) and its tags
    /// (ListTagsForResource, --concurrency at a time, standard retry, 8 attempts), enriches them from the
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
    ///   ecr-registrar sync --repo . --region eu-west-2 --promote --environment dev   # pending → active
    #[command(verbatim_doc_comment)]
    Sync(SyncArgs),
    /// Render governance artifacts for a request.
    #[command(subcommand)]
    Render(RenderCommand),
    /// ECR lifecycle policies: render the platform's policy, or check any policy before AWS does.
    #[command(subcommand)]
    Lifecycle(LifecycleCommand),
    /// List every stable code: what an error, a field problem or a policy problem means.
    ///
    /// Scripts switch on these codes (`error.code`, `errors[].code`, `problems[].code`); they
    /// never change meaning.
    ///
    /// Example:
    ///   ecr-registrar codes --format json
    #[command(verbatim_doc_comment)]
    Codes(CodesArgs),
    /// What a pull request changes, and whether it may be applied automatically (the guard).
    ///
    /// Reads the catalog and every configured environment's tfvars at --base and --head through
    /// git, lists each registry entry added, updated or removed per environment with its targeted
    /// plan and apply commands (a destroy plan for a removal), and checks that the diff is exactly
    /// registry entries: nothing else changed in any file, each tfvars change has its catalog
    /// counterpart and every added or updated entry passes the request rules. Each problem names
    /// its file and line.
    ///
    /// It judges git's objects, what a checkout gives Terraform: a governed path (the catalog,
    /// the tfvars, registrar.yaml) must be a regular file (mode 100644) at both sides, not
    /// renamed into or out of, below no symlinked or submodule directory at --head, with no
    /// filter/eol/text/crlf/ident/working-tree-encoding attribute there.
    ///
    /// --base must be an ancestor of --head (everything a push brought, e.g. GitHub's
    /// `before`..`after`); a rewritten history is an error, never guessed. For a branch whose
    /// base moved on, pass `$(git merge-base origin/main HEAD)`.
    ///
    /// Exit codes: 0 the guard passed; 1 it failed (apply nothing automatically); 2 error (bad
    /// revision, --base not an ancestor of --head, not a git repository, invalid config).
    ///
    /// Examples:
    ///   ecr-registrar changes --repo . --base origin/main              # a PR branch checked out
    ///   ecr-registrar changes --repo . --base "$BEFORE" --head "$AFTER" --format json   # a push
    #[command(verbatim_doc_comment)]
    Changes(ChangesArgs),
    /// Change the owner, risk tier, requester or domain of a registry that exists (day 2).
    ///
    /// The catalog entry's fields and the tfvars entry's metadata (owner, risk) change in place,
    /// nothing else; the result is re-parsed and verified like a new request, written atomically,
    /// and the same update again changes nothing. The merged request must pass the rules.
    ///
    /// Example (preview):
    ///   ecr-registrar update --repo . --name payments-api --environment dev --risk high --dry-run
    #[command(verbatim_doc_comment)]
    Update(UpdateArgs),
    /// Retire a registry: its tfvars entry is removed (Terraform then deletes the repository and
    /// every image in it) and its catalog entry stays, with `status: decommissioned` and
    /// `decommissioned_date`.
    ///
    /// Verified and atomic like scaffold; a second run changes nothing (the first date stays).
    ///
    /// Example (preview):
    ///   ecr-registrar decommission --repo . --name payments-api --environment dev --dry-run
    #[command(verbatim_doc_comment)]
    Decommission(DecommissionArgs),
}

impl Command {
    /// How a failure is reported: as JSON for the commands run with `--format json`.
    pub fn error_format(&self) -> Format {
        match self {
            Command::Validate(ValidateArgs { format, .. })
            | Command::Scaffold(ScaffoldArgs { format, .. })
            | Command::Sync(SyncArgs { format, .. })
            | Command::Codes(CodesArgs { format })
            | Command::Update(UpdateArgs {
                common: Day2Args { format, .. },
                ..
            })
            | Command::Decommission(DecommissionArgs {
                common: Day2Args { format, .. },
            })
            | Command::Lifecycle(LifecycleCommand::Validate(PolicyValidateArgs {
                format, ..
            })) => *format,
            Command::Render(
                RenderCommand::Crossplane(CrossplaneArgs { format, .. })
                | RenderCommand::Argocd(ArgocdArgs { format, .. }),
            ) => match format {
                ManifestFormat::Json => Format::Json,
                ManifestFormat::Yaml => Format::Text,
            },
            Command::Changes(ChangesArgs { format, .. }) => match format {
                ChangesFormat::Json => Format::Json,
                ChangesFormat::Text | ChangesFormat::Github | ChangesFormat::Markdown => {
                    Format::Text
                }
            },
            Command::Lifecycle(LifecycleCommand::Render(_)) => Format::Text,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// Platform config (default: built-in platform defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// What every day-2 command takes.
#[derive(clap::Args, Debug)]
pub struct Day2Args {
    /// The platform repository (its root).
    #[arg(long, value_name = "DIR")]
    pub repo: PathBuf,
    /// The registry's repository name.
    #[arg(long)]
    pub name: String,
    /// Its environment (must be the catalog entry's).
    #[arg(long)]
    pub environment: String,
    /// The date for `last_updated` (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Print a unified diff of what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Platform config (default: <repo>/registrar.yaml, else built-in defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub common: Day2Args,
    /// New owning team.
    #[arg(long)]
    pub owner: Option<String>,
    /// New risk tier.
    #[arg(long)]
    pub risk: Option<String>,
    /// New requester.
    #[arg(long)]
    pub requester: Option<String>,
    /// New domain.
    #[arg(long)]
    pub domain: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct DecommissionArgs {
    #[command(flatten)]
    pub common: Day2Args,
}

#[derive(clap::Args, Debug)]
pub struct ChangesArgs {
    /// The platform repository (a git work tree or bare repository).
    #[arg(long, value_name = "DIR")]
    pub repo: PathBuf,
    /// The revision the change starts from, an ancestor of --head (e.g. the commit the branch
    /// pointed to before the push).
    #[arg(long, value_name = "REV")]
    pub base: String,
    /// The revision to compare with it.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub head: String,
    /// Platform config (default: <repo>/registrar.yaml when present, else the built-in defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// `github`: one `::error` workflow command per guard problem (an annotation on the file and
    /// line), every value escaped so that none can forge another workflow command. `markdown`: for
    /// `$GITHUB_STEP_SUMMARY`, every value shown literally.
    #[arg(long, value_enum, default_value_t = ChangesFormat::Text)]
    pub format: ChangesFormat,
    /// A reviewer accepts that Terraform destroys and recreates a repository (deleting every image
    /// in it), e.g. for a tier move that changes the encryption. Takes effect only when the config
    /// sets `allowReplacements: true`; the apply workflow passes it for a reviewer's label.
    #[arg(long)]
    pub allow_replace: bool,
}

/// What `changes` prints.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChangesFormat {
    Text,
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Markdown for a step summary or a comment: every value in a code span it cannot close.
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct ScaffoldArgs {
    /// The platform repository (its root).
    #[arg(long, value_name = "DIR")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub request: RequestArgs,
    /// Creation date for the catalog (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Print a unified diff of what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Platform config (default: <repo>/registrar.yaml, else built-in defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// The platform repository (its root).
    #[arg(long, value_name = "DIR")]
    pub repo: PathBuf,
    /// AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region).
    #[arg(long)]
    pub region: Option<String>,
    /// AWS profile (else AWS_PROFILE, else default).
    #[arg(long)]
    pub profile: Option<String>,
    /// ECR endpoint, e.g. a local emulator (else AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Skip ListTagsForResource: owners then come from the catalog or the default only.
    #[arg(long)]
    pub no_tags: bool,
    /// Parallel tag requests (per target with several targets, at most 64 in all).
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
    /// Attempts per AWS request, the first included: throttling, 5xx answers and dropped
    /// connections are retried with jittered exponential backoff (1 s doubling, at most 20 s).
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// Read `aws ecr describe-repositories` JSON (one or more pages) from FILE or - instead of
    /// calling AWS.
    #[arg(long, value_name = "FILE")]
    pub from_json: Option<PathBuf>,
    /// The listing of one of the config's `sync.targets`, as SLUG=FILE (the target's slug: its
    /// environment, or environment-region when two targets share it; FILE as for --from-json).
    /// Repeatable: the targets given are rendered together, as one run over all of them would.
    #[arg(long, value_name = "SLUG=FILE")]
    pub listing: Vec<String>,
    /// Only these of the config's `sync.targets` (slug or environment). Repeatable.
    #[arg(long, value_name = "SLUG")]
    pub target: Vec<String>,
    /// Several targets: when some cannot be listed, write the files of those that were (the
    /// others' files stay as they were) and exit 3 naming the failed ones. Default: write nothing.
    #[arg(long)]
    pub partial: bool,
    /// Print the config's targets as a GitHub Actions matrix (`{"include": [{slug, environment,
    /// region, account}]}`) and stop.
    #[arg(long)]
    pub list_targets: bool,
    /// Several targets: list each from AWS and save its listing as DIR/<slug>.json, render
    /// nothing (the fan-out half of a matrix run; render later with --listing SLUG=FILE).
    #[arg(long, value_name = "DIR")]
    pub save_listings: Option<PathBuf>,
    /// AWS account for the report (default: from the listing).
    #[arg(long)]
    pub account: Option<String>,
    /// Print a unified diff of what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing; exit 1 when the files on disk differ from what would be written
    /// (ignoring platform/last-sync).
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Also set `status: active` in the catalog for the `pending` requests of --environment whose
    /// repository now exists (a minimal, verified edit), and report `active` entries missing from
    /// AWS.
    #[arg(long, requires = "environment")]
    pub promote: bool,
    /// The environment this account and region hold (for --promote).
    #[arg(long)]
    pub environment: Option<String>,
    /// The sync time (default: now), UTC as 2026-11-21T17:45:00Z.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Platform config (default: <repo>/registrar.yaml, else built-in defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Subcommand, Debug)]
pub enum RenderCommand {
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
    Crossplane(CrossplaneArgs),
    /// The Argo CD Application (argoproj.io/v1alpha1) that syncs a request's Crossplane manifests.
    ///
    /// Named ecr-<name>; it syncs --path of --repo-url to the cluster Argo CD knows as --cluster,
    /// automated with prune and self-heal, with the resources finalizer (deleting it deletes what
    /// it synced). The request is validated first; every option is checked and named when wrong.
    ///
    /// Example:
    ///   ecr-registrar render argocd --name payments-api --owner app-team --environment prod \
    ///     --risk high --cluster prod-eu-west-2 --repo-url https://github.com/acme/platform-gitops \
    ///     --path crossplane/ecr/payments-api --out argocd/applications/ecr-payments-api.yaml
    #[command(verbatim_doc_comment)]
    Argocd(ArgocdArgs),
}

#[derive(clap::Args, Debug)]
pub struct ArgocdArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// The destination cluster, as Argo CD names it.
    #[arg(long)]
    pub cluster: String,
    /// The GitOps repository holding the manifests (https://…, ssh://…, git@host:path or host/path).
    #[arg(long)]
    pub repo_url: String,
    /// Directory of the manifests in that repository.
    #[arg(long)]
    pub path: String,
    /// Revision Argo CD follows (default HEAD).
    #[arg(long)]
    pub target_revision: Option<String>,
    /// The Application's namespace (default argocd).
    #[arg(long)]
    pub namespace: Option<String>,
    /// Argo CD project (default default).
    #[arg(long)]
    pub project: Option<String>,
    /// Namespace of the synced objects (default crossplane-system).
    #[arg(long)]
    pub destination_namespace: Option<String>,
    /// Platform config (default: built-in platform defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the Application to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// yaml or json.
    #[arg(long, value_enum, default_value_t = ManifestFormat::Yaml)]
    pub format: ManifestFormat,
}

#[derive(clap::Args, Debug)]
pub struct CrossplaneArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// The `system` tag (default: --domain, else container-registry).
    #[arg(long)]
    pub system: Option<String>,
    /// Namespace of both objects.
    #[arg(long, default_value = "crossplane-system")]
    pub namespace: String,
    /// Images to keep (default: the risk tier's retention).
    #[arg(long, value_name = "N")]
    pub keep: Option<u32>,
    /// Also expire untagged images this many days after push.
    #[arg(long, value_name = "DAYS")]
    pub expire_untagged_days: Option<u32>,
    /// Crossplane KMS Key to encrypt with when the tier uses KMS (default: AWS managed key).
    #[arg(long, value_name = "NAME")]
    pub kms_key_ref: Option<String>,
    /// Platform config (default: built-in platform defaults).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the manifests to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// yaml: one stream with `---` between the objects; json: `{repository, lifecyclePolicy}`.
    #[arg(long, value_enum, default_value_t = ManifestFormat::Yaml)]
    pub format: ManifestFormat,
}

#[derive(Subcommand, Debug)]
pub enum LifecycleCommand {
    /// Print the lifecycle policy JSON: keep the last N images, optionally expire untagged ones.
    ///
    /// Example:
    ///   ecr-registrar lifecycle render --keep 30 --expire-untagged-days 7
    #[command(verbatim_doc_comment)]
    Render(PolicyRenderArgs),
    /// Check a lifecycle policy against AWS's documented rules; every problem is listed.
    ///
    /// Exit 0 valid, 1 invalid, 2 unreadable file.
    ///
    /// Example:
    ///   ecr-registrar lifecycle validate policy.json
    ///   kubectl get lifecyclepolicy x -o jsonpath='{.spec.forProvider.policy}' | ecr-registrar lifecycle validate -
    #[command(verbatim_doc_comment)]
    Validate(PolicyValidateArgs),
}

#[derive(clap::Args, Debug)]
pub struct PolicyRenderArgs {
    /// Images to keep (1 or more).
    #[arg(long, value_name = "N")]
    pub keep: u32,
    /// Expire untagged images this many days after push (rule 1, before the keep rule).
    #[arg(long, value_name = "DAYS")]
    pub expire_untagged_days: Option<u32>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct PolicyValidateArgs {
    /// The policy file, or - for stdin.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct CodesArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    Yaml,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct RequestArgs {
    /// Repository name, e.g. payments-api.
    #[arg(long)]
    pub name: String,
    /// Owning team, e.g. platform-team.
    #[arg(long)]
    pub owner: Option<String>,
    /// Person who asked for it, e.g. daniel-deans.
    #[arg(long)]
    pub requester: Option<String>,
    /// Domain, e.g. delivery.
    #[arg(long)]
    pub domain: Option<String>,
    /// Environment: one of the platform's (dev, test, staging, prod by default).
    #[arg(long)]
    pub environment: Option<String>,
    /// Risk tier: low, medium or high by default.
    #[arg(long)]
    pub risk: Option<String>,
    /// Explicit governance id (default: REGISTRY_<NAME>).
    #[arg(long)]
    pub id: Option<String>,
    /// What the repository is for: one line, at most 256 characters.
    #[arg(long)]
    pub description: Option<String>,
    /// AWS region, e.g. eu-west-2 (default: the environment's aws_region when the config has a
    /// defaultRegion, else that default).
    #[arg(long)]
    pub region: Option<String>,
}

impl RequestArgs {
    /// A whole request (missing required fields are empty, so validation names them).
    pub fn into_request(self) -> Request {
        Request {
            name: self.name,
            owner: self.owner.unwrap_or_default(),
            requester: self.requester,
            domain: self.domain,
            environment: self.environment.unwrap_or_default(),
            risk: self.risk.unwrap_or_default(),
            id: self.id,
            description: self.description,
            region: self.region,
        }
    }

    /// The fields given besides the name, as `(field, value)` pairs.
    pub fn given_fields(&self) -> Vec<(&str, &str)> {
        [
            ("owner", &self.owner),
            ("requester", &self.requester),
            ("domain", &self.domain),
            ("environment", &self.environment),
            ("risk", &self.risk),
            ("id", &self.id),
            ("description", &self.description),
            ("region", &self.region),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.as_deref().map(|v| (f, v)))
        .collect()
    }
}
