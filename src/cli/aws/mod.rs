//! AWS for `sync`: the region, and the listing of ECR (through aws-sdk-ecr with the `aws` feature;
//! without it, `--from-json` is the way in).

#[cfg(not(feature = "aws"))]
use ecr_registrar::ErrorCode;
use ecr_registrar::{AwsRepository, Error};

#[cfg(feature = "aws")]
mod sdk;

/// What to list, and how (read only by the `aws` feature's SDK adapter).
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
pub struct ListOptions {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub tags: bool,
    pub concurrency: usize,
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
    let endpoint_url = opts.endpoint_url.clone().or_else(|| {
        std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|v| !v.is_empty())
    });
    sdk::list(&ListOptions {
        endpoint_url,
        ..opts
    })
}

#[cfg(not(feature = "aws"))]
pub fn list(_: ListOptions) -> Result<Vec<AwsRepository>, Error> {
    Err(Error::new(
        ErrorCode::InvalidArgument,
        "this build lists ECR only with the `aws` feature (cargo build --features aws); pass `--from-json FILE` with the output of `aws ecr describe-repositories` instead",
    ))
}
