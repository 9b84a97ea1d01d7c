//! AWS for `sync`: the region, and the listing of ECR (through aws-sdk-ecr with the `aws` feature;
//! without it, `--from-json` is the way in).

#[cfg(not(feature = "aws"))]
use ecr_registrar::ErrorCode;
use ecr_registrar::{AwsRepository, Error};

#[cfg(feature = "aws")]
mod sdk;

/// What to list, and how (read only by the `aws` feature's SDK adapter).
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
#[derive(Clone, Default)]
pub struct ListOptions {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub tags: bool,
    pub concurrency: usize,
    /// Attempts per request, the first included (the SDK's standard retry; 0 means the default).
    pub max_attempts: u32,
    /// A role to assume (STS AssumeRole) on top of the default credentials.
    pub role_arn: Option<String>,
    /// The external id its trust policy requires.
    pub external_id: Option<String>,
    /// The account the credentials must be for (STS GetCallerIdentity).
    pub expected_account: Option<String>,
    /// The target, for messages (several targets).
    pub label: Option<String>,
}

#[cfg(feature = "aws")]
fn with_endpoint(opts: ListOptions) -> ListOptions {
    let endpoint_url = opts.endpoint_url.clone().or_else(|| {
        std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|v| !v.is_empty())
    });
    ListOptions {
        endpoint_url,
        ..opts
    }
}

/// Several targets at once (each with its own `concurrency` tag requests, 64 in all); one result
/// each.
#[cfg(feature = "aws")]
pub fn list_many(targets: Vec<ListOptions>) -> Vec<Result<Vec<AwsRepository>, Error>> {
    sdk::list_many(targets.into_iter().map(with_endpoint).collect())
}

#[cfg(not(feature = "aws"))]
pub fn list_many(targets: Vec<ListOptions>) -> Vec<Result<Vec<AwsRepository>, Error>> {
    targets.into_iter().map(list).collect()
}

/// The region: the flag, AWS_REGION, AWS_DEFAULT_REGION, the profile's config, in that order.
pub fn resolve_region(flag: Option<String>, profile: Option<&str>) -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    flag.or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| profile_region(profile))
}

/// The region named in a listing's ARNs (`arn:aws:ecr:<region>:…`), for `--from-json`.
pub fn region_in_listing(text: &str) -> Option<String> {
    let i = text.find("arn:aws")?;
    text[i..]
        .split(':')
        .nth(3)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

#[cfg(feature = "aws")]
fn profile_region(profile: Option<&str>) -> Option<String> {
    sdk::profile_region(profile)
}

#[cfg(not(feature = "aws"))]
fn profile_region(_: Option<&str>) -> Option<String> {
    None
}

/// Every repository of the region, with tags unless `tags` is off.
#[cfg(feature = "aws")]
pub fn list(opts: ListOptions) -> Result<Vec<AwsRepository>, Error> {
    sdk::list(&with_endpoint(opts))
}

#[cfg(not(feature = "aws"))]
pub fn list(_: ListOptions) -> Result<Vec<AwsRepository>, Error> {
    Err(Error::new(
        ErrorCode::InvalidArgument,
        "this build lists ECR only with the `aws` feature (cargo build --features aws); pass `--from-json FILE` with the output of `aws ecr describe-repositories` instead",
    ))
}
