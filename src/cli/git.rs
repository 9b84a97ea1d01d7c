//! Reading a platform repository at a revision, through the `git` command (no work tree needed).

use std::path::Path;
use std::process::{Command, Output};

use ecr_registrar::{Error, ErrorCode, PathAttribute, PathChange, Revisions, TreeEntry};

fn git(repo: &Path, args: &[&str]) -> Result<Output, Error> {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| {
            // E2BIG: the arguments, not git, are the problem.
            let why = if e.raw_os_error() == Some(7) {
                "the paths to ask about are too many or too long for one command".to_string()
            } else {
                format!("is it installed and on PATH? {e}")
            };
            Error::new(ErrorCode::Io, format!("cannot run git: {why}"))
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

/// Files' texts at commits, in the order asked, each `None` when it does not exist there or is
/// no blob (a directory, a submodule: the guard judges those by their git mode). One `git
/// cat-file --batch` reads them all: a process per file cost more than reading 1 MB files.
pub fn read_all(repo: &Path, wanted: &[(&str, &str)]) -> Result<Vec<Option<String>>, Error> {
    use std::io::Write;
    use std::process::Stdio;
    let mut input = String::new();
    for (commit, path) in wanted {
        if path.contains(['\n', '\r']) || commit.contains(['\n', '\r']) {
            // The batch protocol is line-based; such a path is never a governed one.
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("a path with a line break cannot be read at {commit}: {path:?}"),
            ));
        }
        input.push_str(&format!("{commit}:{path}\n"));
    }
    let fail = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            format!("cannot run git (is it installed and on PATH?): {e}"),
        )
    };
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(fail)?;
    // Written from a thread of its own while this one reads the answers: git answers as it
    // reads, and requests over a pipe's size (a config with a thousand environments) would have
    // both sides waiting on a full pipe for ever.
    let writer = child.stdin.take().map(|mut stdin| {
        std::thread::spawn(move || {
            // An error here is git having stopped reading; its exit status says why.
            let _ = stdin.write_all(input.as_bytes());
        })
    });
    let o = child.wait_with_output().map_err(fail)?;
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    if !o.status.success() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("git cat-file --batch failed: {}", stderr(&o)),
        ));
    }
    let mut out = &o.stdout[..];
    let mut texts = Vec::with_capacity(wanted.len());
    for (commit, path) in wanted {
        let broken = || {
            Error::new(
                ErrorCode::Io,
                format!(
                    "cannot read {path} at {commit}: git cat-file --batch answered out of order"
                ),
            )
        };
        let eol = out.iter().position(|&b| b == b'\n').ok_or_else(broken)?;
        let header = std::str::from_utf8(&out[..eol]).map_err(|_| broken())?;
        out = &out[eol + 1..];
        // `<object> <type> <size>`, or `<request> missing` / `ambiguous` with no content.
        let mut words = header.rsplitn(3, ' ');
        let (size, kind) = (words.next(), words.next());
        let size = match (kind, size.and_then(|s| s.parse::<usize>().ok())) {
            (Some(kind), Some(size)) if words.next().is_some() => Some((kind, size)),
            _ => None,
        };
        let Some((kind, size)) = size else {
            texts.push(None);
            continue;
        };
        if out.len() < size + 1 || out[size] != b'\n' {
            return Err(broken());
        }
        let (content, rest) = out.split_at(size);
        out = &rest[1..];
        if kind != "blob" {
            // A directory or a submodule: no text; the guard refuses it from its git mode.
            texts.push(None);
            continue;
        }
        let text = String::from_utf8(content.to_vec()).map_err(|e| {
            Error::new(
                ErrorCode::Malformed,
                format!(
                    "{path} at {commit} is not UTF-8 (byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        texts.push(Some(text));
    }
    Ok(texts)
}

/// Whether `base` is an ancestor of `head` (or the same commit).
pub fn is_ancestor(repo: &Path, base: &str, head: &str) -> Result<bool, Error> {
    let o = git(repo, &["merge-base", "--is-ancestor", base, head])?;
    match o.status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(Error::new(
            ErrorCode::Io,
            format!("git merge-base {base} {head} failed: {}", stderr(&o)),
        )),
    }
}

/// The NUL-separated fields of a `-z` output.
fn fields(o: &Output) -> Vec<String> {
    o.stdout
        .split(|&b| b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

/// What git records for every path that differs between two commits, renames detected (`git diff
/// --raw -M`): modes and object ids at both sides.
pub fn raw_changes(repo: &Path, base: &str, head: &str) -> Result<Vec<PathChange>, Error> {
    let o = git(
        repo,
        &[
            "diff",
            "--raw",
            "-z",
            "--no-abbrev",
            "--find-renames",
            "--no-ext-diff",
            "--no-textconv",
            base,
            head,
            "--",
        ],
    )?;
    let malformed = || {
        Error::new(
            ErrorCode::Io,
            format!("git diff --raw {base} {head}: unexpected output"),
        )
    };
    if !o.status.success() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("git diff {base} {head} failed: {}", stderr(&o)),
        ));
    }
    let mut out = Vec::new();
    let mut f = fields(&o).into_iter();
    while let Some(meta) = f.next() {
        if meta.is_empty() {
            continue;
        }
        // ":old_mode new_mode old_id new_id status"
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let [base_mode, head_mode, base_id, head_id, status] = parts[..] else {
            return Err(malformed());
        };
        let first = f.next().ok_or_else(malformed)?;
        let (from, path) = if status.starts_with(['R', 'C']) {
            (Some(first), f.next().ok_or_else(malformed)?)
        } else {
            (None, first)
        };
        out.push(PathChange {
            path,
            from,
            base_mode: base_mode.into(),
            head_mode: head_mode.into(),
            base_id: base_id.into(),
            head_id: head_id.into(),
        });
    }
    Ok(out)
}

/// The tree entries at `commit` of each path and every directory above it (`git ls-tree`; a
/// directory that git descends into is not listed, one it cannot descend into — a symlink, a
/// submodule, a file — is).
pub fn tree_entries(repo: &Path, commit: &str, paths: &[String]) -> Result<Vec<TreeEntry>, Error> {
    let mut specs: Vec<&str> = Vec::new();
    for p in paths {
        for (i, b) in p.bytes().enumerate() {
            if b == b'/' {
                specs.push(&p[..i]);
            }
        }
        specs.push(p);
        // A tfvars file's directory's entries too (`dir/` lists them): the other files Terraform
        // loads variables from there.
        if p.ends_with(".tfvars") {
            if let Some(i) = p.rfind('/') {
                specs.push(&p[..=i]);
            }
        }
    }
    specs.sort_unstable();
    specs.dedup();
    let mut args = vec![
        "--literal-pathspecs",
        "ls-tree",
        "-z",
        "--full-tree",
        commit,
        "--",
    ];
    args.extend(specs);
    let o = git(repo, &args)?;
    if !o.status.success() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("git ls-tree {commit} failed: {}", stderr(&o)),
        ));
    }
    Ok(fields(&o)
        .into_iter()
        .filter_map(|line| {
            // "mode type id\tpath"
            let (meta, path) = line.split_once('\t')?;
            Some(TreeEntry {
                path: path.to_string(),
                mode: meta.split(' ').next()?.to_string(),
            })
        })
        .collect())
}

/// The checkout attributes of each path as `.gitattributes` at `commit` sets them (`git
/// check-attr --source`), `unspecified` ones left out.
pub fn checkout_attributes(
    repo: &Path,
    commit: &str,
    paths: &[String],
) -> Result<Vec<PathAttribute>, Error> {
    let source = format!("--source={commit}");
    let mut args = vec!["--literal-pathspecs", "check-attr", "-z", source.as_str()];
    args.extend(Revisions::CHECKOUT_ATTRIBUTES);
    args.push("--");
    args.extend(paths.iter().map(String::as_str));
    let o = git(repo, &args)?;
    if !o.status.success() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("git check-attr at {commit} failed: {}", stderr(&o)),
        ));
    }
    let f = fields(&o);
    Ok(f.chunks_exact(3)
        .filter(|c| c[2] != "unspecified")
        .map(|c| PathAttribute {
            path: c[0].clone(),
            name: c[1].clone(),
            value: c[2].clone(),
        })
        .collect())
}
