//! The file system: reading inputs, the config, and writing edits atomically.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ecr_registrar::{Config, Error, ErrorCode, FileChange};

pub fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(ErrorCode::Io, format!("cannot {what}: {e}")).in_file(path.display().to_string())
}

/// `--repo` must be a directory: the core's paths are relative to it.
pub fn repo_dir(repo: &Path) -> Result<(), Error> {
    if repo.is_dir() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::Io,
            format!("--repo {} is not a directory", repo.display()),
        ))
    }
}

/// The config: `explicit`, else `<repo>/registrar.yaml` when present, else the platform defaults.
pub fn load_config(explicit: Option<&Path>, repo: Option<&Path>) -> Result<Config, Error> {
    let path = match (explicit, repo) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(r)) if r.join("registrar.yaml").is_file() => r.join("registrar.yaml"),
        _ => return Ok(Config::default()),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, "read the config", e))?;
    Config::from_yaml(&text).map_err(|e| e.in_file(path.display().to_string()))
}

/// A file's text, or `None` when it does not exist. Not UTF-8 is `malformed`, naming the offset.
pub fn read_optional(path: &Path) -> Result<Option<String>, Error> {
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

/// The text of `path`, or of standard input for `-`.
pub fn read_input(path: &Path) -> Result<String, Error> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| io_error(Path::new("<stdin>"), "read", e))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| io_error(path, "read", e))
    }
}

/// Write every changed file to a temp file next to it first (fsync'd, with the old file's
/// permissions), then rename them all into place. A failure before the renames removes the temp
/// files and leaves every file as it was.
pub fn write_all(changes: &[(PathBuf, &FileChange)]) -> Result<(), Error> {
    let mut staged = Vec::new();
    for (path, change) in changes.iter().filter(|(_, c)| c.changed) {
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
        staged.push((tmp, path));
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).map_err(|e| io_error(path, "replace", e))?;
    }
    Ok(())
}

/// Write `text` to `path` with the same atomic write as the edits.
pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    // A bare file name has an empty parent; name the current directory instead.
    let path = match path.parent() {
        Some(d) if d.as_os_str().is_empty() => Path::new(".").join(path),
        _ => path.to_path_buf(),
    };
    let change = FileChange {
        path: path.display().to_string(),
        text: text.to_string(),
        changed: true,
        created: !path.exists(),
    };
    write_all(&[(path, &change)])
}
