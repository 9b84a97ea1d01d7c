//! The AWS adapter of `sync` (feature `aws`): list ECR through aws-sdk-ecr and hand the result to
//! the core as the JSON AWS itself returns. Paginated DescribeRepositories (1,000 per page),
//! ListTagsForResource with bounded concurrency, the SDK's standard retry
//! (up to 8 attempts, jittered backoff) in a retry partition per account and region; errors are turned into
//! messages that say what to do.

use std::io::IsTerminal;
use std::sync::Arc;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_ecr::config::retry::RetryPartition;
use aws_sdk_ecr::error::{ProvideErrorMetadata, SdkError};
use ecr_registrar::{AwsRepository, AwsTag, Error, ErrorCode};

use super::ListOptions;

/// The region from the profile's config (`~/.aws/config`), for when no flag or variable names one.
pub fn profile_region(profile: Option<&str>) -> Option<String> {
    let rt = runtime().ok()?;
    rt.block_on(async {
        let mut chain = aws_config::profile::ProfileFileRegionProvider::builder();
        if let Some(p) = profile {
            chain = chain.profile_name(p);
        }
        use aws_config::meta::region::ProvideRegion;
        chain.build().region().await.map(|r| r.to_string())
    })
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// A progress line on stderr when it is a terminal.
struct Progress {
    on: bool,
}

impl Progress {
    fn show(&self, text: &str) {
        if self.on {
            eprint!("\r\x1b[2K{text}");
        }
    }
    fn done(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

fn aws_error<E, R>(
    e: SdkError<E, R>,
    operation: &str,
    permission: &str,
    opts: &ListOptions,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let endpoint = opts.endpoint_url.clone().unwrap_or_else(|| {
        format!(
            "https://api.ecr.{}.{}",
            opts.region,
            ecr_registrar::partition_dns_suffix(&opts.region)
        )
    });
    // The error chain's messages, without the SDK's debug dump.
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let m = s.to_string();
        if !detail.contains(&m) {
            detail.push_str(": ");
            detail.push_str(&m);
        }
        source = s.source();
    }
    let message = match &e {
        SdkError::ServiceError(se) => {
            let code = se.err().code().unwrap_or("");
            let msg = se.err().message().unwrap_or("");
            match code {
                "AccessDeniedException" => format!(
                    "AWS denied {operation} (AccessDeniedException): the credentials need the IAM permission {permission} on the repositories of {}. {msg}",
                    opts.region
                ),
                "ExpiredTokenException" | "RequestExpired" | "ExpiredToken" => format!(
                    "the AWS credentials have expired ({code}); refresh them (for example `aws sso login`) and run again"
                ),
                "ThrottlingException"
                | "ThrottledException"
                | "TooManyRequestsException"
                | "RequestLimitExceeded" => format!(
                    "AWS kept throttling {operation} ({code}) in {} after every retry (--max-attempts): run again later, lower --concurrency, or ask for a higher request quota for the account",
                    opts.region
                ),
                "UnrecognizedClientException"
                | "InvalidSignatureException"
                | "InvalidClientTokenId" => format!(
                    "AWS did not accept the credentials ({code}); check AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
                ),
                _ => format!("{operation} failed: {code} {msg}"),
            }
        }
        _ if detail.contains("credentials") || detail.contains("Credentials") => format!(
            "no usable AWS credentials for {operation}: set AWS_PROFILE (and run `aws sso login` if it uses SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ({detail})"
        ),
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => format!(
            "could not connect to the ECR endpoint {endpoint} for {operation}: confirm the region ({}; set --region, AWS_REGION or AWS_DEFAULT_REGION), network access to the regional ECR endpoint, or --endpoint-url ({detail})",
            opts.region
        ),
        _ => format!("{operation} failed: {detail}"),
    };
    Error::new(ErrorCode::Aws, message)
}

/// Every repository of the region, with its tags unless `tags` is off.
pub fn list(opts: &ListOptions) -> Result<Vec<AwsRepository>, Error> {
    let rt = runtime()
        .map_err(|e| Error::new(ErrorCode::Io, format!("cannot start the runtime: {e}")))?;
    rt.block_on(list_async(opts, Permits::new(opts.concurrency, None)))
}

/// How many tag requests may be in flight: `target`'s own (each account and region throttles on
/// its own, so a throttled target waiting in its retries holds only its own permits), and all
/// targets together.
#[derive(Clone)]
struct Permits {
    target: Arc<tokio::sync::Semaphore>,
    overall: Option<Arc<tokio::sync::Semaphore>>,
}

impl Permits {
    fn new(per_target: usize, overall: Option<Arc<tokio::sync::Semaphore>>) -> Self {
        Self {
            target: Arc::new(tokio::sync::Semaphore::new(per_target.max(1))),
            overall,
        }
    }
}

/// Attempts per request when `ListOptions::max_attempts` is 0 (the CLI's default is the same).
const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// At most this many tag requests in flight over all targets.
const MAX_OVERALL_CONCURRENCY: usize = 64;

/// Several targets concurrently, their tag requests bounded per target (its `concurrency`) and
/// overall (64); one result each, in order. A failure names its target.
pub fn list_many(targets: Vec<ListOptions>) -> Vec<Result<Vec<AwsRepository>, Error>> {
    let n = targets.len();
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            let e = Error::new(ErrorCode::Io, format!("cannot start the runtime: {e}"));
            return (0..n).map(|_| Err(e.clone())).collect();
        }
    };
    let overall = Arc::new(tokio::sync::Semaphore::new(MAX_OVERALL_CONCURRENCY));
    rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, opts) in targets.into_iter().enumerate() {
            let permits = Permits::new(opts.concurrency, Some(overall.clone()));
            tasks.spawn(async move {
                let label = opts.label.clone().unwrap_or_default();
                let r = list_async(&opts, permits)
                    .await
                    .map_err(|e| Error::new(e.code, format!("target {label}: {}", e.message)));
                (i, r)
            });
        }
        let mut out: Vec<Option<Result<Vec<AwsRepository>, Error>>> =
            (0..n).map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            if let Ok((i, r)) = joined {
                out[i] = Some(r);
            }
        }
        out.into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(Error::new(ErrorCode::Aws, "a target's listing task failed"))
                })
            })
            .collect()
    })
}

fn loader(opts: &ListOptions) -> aws_config::ConfigLoader {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(aws_config::Region::new(opts.region.clone()))
        .retry_config(
            RetryConfig::standard().with_max_attempts(match opts.max_attempts {
                0 => DEFAULT_MAX_ATTEMPTS,
                n => n,
            }),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader
}

/// The SDK config: the default credential chain, then the target's role when it has one, checked
/// against the expected account.
async fn sdk_config(opts: &ListOptions) -> Result<aws_config::SdkConfig, Error> {
    let base = loader(opts).load().await;
    let conf = match &opts.role_arn {
        None => base,
        Some(arn) => {
            let mut role = aws_config::sts::AssumeRoleProvider::builder(arn)
                .session_name("ecr-registrar-sync")
                .configure(&base);
            if let Some(x) = &opts.external_id {
                role = role.external_id(x);
            }
            loader(opts)
                .credentials_provider(role.build().await)
                .load()
                .await
        }
    };
    if let Some(want) = &opts.expected_account {
        let me = aws_sdk_sts::Client::new(&conf)
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| aws_error(e, "GetCallerIdentity", "sts:GetCallerIdentity", opts))?;
        let got = me.account().unwrap_or_default();
        if got != want {
            return Err(Error::new(
                ErrorCode::Aws,
                format!(
                    "the credentials are for account {got}, not {want}: check the target's roleArn or the profile"
                ),
            ));
        }
    }
    Ok(conf)
}

async fn list_async(opts: &ListOptions, permits: Permits) -> Result<Vec<AwsRepository>, Error> {
    let progress = Progress {
        on: std::io::stderr().is_terminal() && opts.label.is_none(),
    };
    let conf = sdk_config(opts).await?;
    // AWS throttles each account and region on its own, but the SDK's clients of one service and
    // region share one retry partition (rate limiter and retry quota) by default: a throttled
    // account would slow every other account of the region. One partition per account and region.
    let who = opts
        .role_arn
        .as_deref()
        .or(opts.expected_account.as_deref())
        .unwrap_or("default-credentials");
    let partition = RetryPartition::new(format!("ecr-registrar {} {who}", opts.region));
    let client = aws_sdk_ecr::Client::from_conf(
        aws_sdk_ecr::config::Builder::from(&conf)
            .retry_partition(partition)
            .build(),
    );

    let mut repos = Vec::new();
    let mut pages = client
        .describe_repositories()
        .max_results(1000)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(|e| aws_error(e, "DescribeRepositories", "ecr:DescribeRepositories", opts))?;
        for r in page.repositories() {
            let Some(name) = r.repository_name() else {
                continue;
            };
            repos.push(AwsRepository {
                repository_name: name.to_string(),
                repository_arn: r.repository_arn().map(str::to_string),
                registry_id: r.registry_id().map(str::to_string),
                tags: Vec::new(),
            });
        }
        progress.show(&format!("listed {} repositories", repos.len()));
    }
    if opts.tags {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, r) in repos.iter().enumerate() {
            let Some(arn) = r.repository_arn.clone() else {
                continue;
            };
            let (client, permits) = (client.clone(), permits.clone());
            tasks.spawn(async move {
                let _own = permits.target.acquire_owned().await;
                let _all = match permits.overall {
                    Some(all) => Some(all.acquire_owned().await),
                    None => None,
                };
                (
                    i,
                    client
                        .list_tags_for_resource()
                        .resource_arn(arn)
                        .send()
                        .await,
                )
            });
        }
        let total = tasks.len();
        let mut done = 0;
        while let Some(joined) = tasks.join_next().await {
            let (i, result) = joined.map_err(|e| {
                Error::new(ErrorCode::Aws, format!("a tag listing task failed: {e}"))
            })?;
            let out = result.map_err(|e| {
                aws_error(e, "ListTagsForResource", "ecr:ListTagsForResource", opts)
            })?;
            repos[i].tags = out
                .tags()
                .iter()
                .map(|t| AwsTag {
                    key: t.key().to_string(),
                    value: t.value().to_string(),
                })
                .collect();
            done += 1;
            if done % 50 == 0 || done == total {
                progress.show(&format!(
                    "listed {} repositories, tags {done}/{total}",
                    repos.len()
                ));
            }
        }
    }
    progress.done();
    Ok(repos)
}
