//! Reading a platform repository at a revision, through the `git` command (no work tree needed).

use std::path::Path;
use std::process::{Command, Output};

use ecr_registrar::{Error, ErrorCode};

fn git(repo: &Path, args: &[&str]) -> Result<Output, Error> {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("cannot run git (is it installed and on PATH?): {e}"),
            )
        })
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

/// The commit a revision names; an error naming the revision when it names none.
pub fn commit(repo: &Path, rev: &str) -> Result<String, Error> {
    if rev.starts_with('-') {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("revision {rev:?} must not start with '-'"),
        ));
    }
    let o = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    if !o.status.success() {
        let why = git(repo, &["rev-parse", "--git-dir"])
            .ok()
            .filter(|o| !o.status.success())
            .map_or_else(
                || "it names no commit".to_string(),
                |o| format!("not a git repository ({})", stderr(&o)),
            );
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("revision {rev:?} in {}: {why}", repo.display()),
        ));
    }
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Every path that differs between two commits (renames as a removal and an addition).
pub fn changed_paths(repo: &Path, base: &str, head: &str) -> Result<Vec<String>, Error> {
    let o = git(
        repo,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            base,
            head,
            "--",
        ],
    )?;
    if !o.status.success() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("git diff {base} {head} failed: {}", stderr(&o)),
        ));
    }
    Ok(o.stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// A file's text at a commit, or `None` when it does not exist there.
pub fn read_at(repo: &Path, commit: &str, path: &str) -> Result<Option<String>, Error> {
    let spec = format!("{commit}:{path}");
    let kind = git(repo, &["cat-file", "-t", &spec])?;
    if !kind.status.success() {
        return Ok(None);
    }
    if String::from_utf8_lossy(&kind.stdout).trim() != "blob" {
        return Err(Error::new(
            ErrorCode::Malformed,
            format!("{path} at {commit} is not a file"),
        ));
    }
    let o = git(repo, &["cat-file", "blob", &spec])?;
    if !o.status.success() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("cannot read {path} at {commit}: {}", stderr(&o)),
        ));
    }
    String::from_utf8(o.stdout).map(Some).map_err(|e| {
        Error::new(
            ErrorCode::Malformed,
            format!(
                "{path} at {commit} is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}
