//! The listing AWS returns: DescribeRepositories JSON, one page or many, with optional `tags` per
//! repository (ListTagsForResource), as the CLI's `aws` adapter and `aws ecr describe-repositories`
//! print it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result, parser_reason_at};
use crate::naming::{AWS_NAME_MAX, is_disallowed_in_aws_name, matches_aws_pattern};

/// One repository as DescribeRepositories returns it; `tags` as ListTagsForResource returns them.
/// Fields AWS adds later are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsRepository {
    /// `repositoryName`.
    pub repository_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// `repositoryArn`.
    pub repository_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// `registryId`: the AWS account.
    pub registry_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The repository's tags, when listed.
    pub tags: Vec<AwsTag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// One tag as ListTagsForResource returns it (`Key`/`Value`; lower case accepted).
pub struct AwsTag {
    #[serde(rename = "Key", alias = "key")]
    /// The tag's key.
    pub key: String,
    #[serde(rename = "Value", alias = "value")]
    /// The tag's value.
    pub value: String,
}

fn malformed(message: String) -> Error {
    Error::new(ErrorCode::Malformed, message)
}

/// A listed name AWS ECR could not hold (its repository-name pattern, at most 256 characters of
/// lowercase letters, digits and separators) is refused, naming where it is in the listing: such a
/// listing was not written by AWS, and a name with a line break, a Unicode line separator or a
/// control character could read differently to the YAML readers of the entities it becomes.
fn check_name(name: &str, page: usize, position: usize, pages: usize) -> Result<()> {
    // A one-character name (AWS needs two) is let through: it reads the same everywhere, and
    // fixtures use them.
    if name.len() <= AWS_NAME_MAX && matches_aws_pattern(name) {
        return Ok(());
    }
    let reason = if name.len() > AWS_NAME_MAX {
        format!(
            "it is {} bytes long; AWS allows at most {AWS_NAME_MAX}",
            name.len()
        )
    } else if name.is_empty() {
        "it is empty".to_string()
    } else if let Some((i, c)) = name
        .chars()
        .enumerate()
        .find(|&(_, c)| is_disallowed_in_aws_name(c))
    {
        // The character by its code point only: the listing is a file, and no error echoes a
        // file's text (a name can be anything a hostile listing holds).
        format!(
            "character {} is U+{:04X}; allowed are lowercase letters, digits and the separators '.', '_', '__', '-' and '/'",
            i + 1,
            c as u32
        )
    } else {
        "its separators break AWS's pattern (a path component starts or ends with '.', '_' or '-', two separators meet, or a component is empty)".to_string()
    };
    let at = if pages > 1 {
        format!("repository {position} of page {page}")
    } else {
        format!("repository {position}")
    };
    Err(malformed(format!(
        "{at} of the repository listing has a name AWS ECR cannot hold: {reason}; the listing is refused"
    )))
}

#[derive(Deserialize)]
struct Page {
    repositories: Vec<AwsRepository>,
}

/// Read the listing: one DescribeRepositories response, several concatenated, or a JSON array of
/// them. Repositories listed twice (an overlapping page) count once.
pub fn parse_listing(text: &str) -> Result<Vec<AwsRepository>> {
    crate::limits::check(
        "the repository listing",
        text.len(),
        crate::limits::MAX_LISTING_BYTES,
    )?;
    let bad = |e: serde_json::Error, page: usize| {
        let what = if e.is_data() && e.to_string().contains("missing field `repositories`") {
            format!(
                "page {page} of the repository listing has no \"repositories\" list; expected the JSON of `aws ecr describe-repositories`"
            )
        } else if e.is_data() {
            format!(
                "the repository listing is not DescribeRepositories output: {}",
                parser_reason_at(&e.to_string(), Some((e.line(), e.column())))
            )
        } else {
            format!(
                "the repository listing is not valid JSON: {}",
                parser_reason_at(&e.to_string(), Some((e.line(), e.column())))
            )
        };
        malformed(what).at(e.line(), e.column())
    };
    let mut pages: Vec<Page> = Vec::new();
    if text.trim_start().starts_with('[') {
        pages = serde_json::from_str(text).map_err(|e| bad(e, 1))?;
    } else {
        for page in serde_json::Deserializer::from_str(text).into_iter::<Page>() {
            pages.push(page.map_err(|e| bad(e, pages.len() + 1))?);
        }
    }
    if pages.is_empty() {
        return Err(malformed(
            "the repository listing is empty; expected the JSON of `aws ecr describe-repositories`"
                .into(),
        ));
    }
    for (p, page) in pages.iter().enumerate() {
        for (r, repo) in page.repositories.iter().enumerate() {
            check_name(&repo.repository_name, p + 1, r + 1, pages.len())?;
        }
    }
    let mut out: Vec<AwsRepository> = pages.into_iter().flat_map(|p| p.repositories).collect();
    // Stable sort, then drop repeats: the first listing of a name wins.
    out.sort_by(|a, b| a.repository_name.cmp(&b.repository_name));
    out.dedup_by(|b, a| a.repository_name == b.repository_name);
    Ok(out)
}

pub(crate) fn account_of(repos: &[AwsRepository]) -> Option<String> {
    repos.iter().find_map(|r| {
        r.registry_id.clone().or_else(|| {
            r.repository_arn
                .as_deref()
                .and_then(|arn| arn.split(':').nth(4))
                .filter(|a| !a.is_empty())
                .map(str::to_string)
        })
    })
}
