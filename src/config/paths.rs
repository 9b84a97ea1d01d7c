//! The configured paths: why one could leave the repository or mean two things (`path_problem`),
//! and the names a file system takes for `.git`.

/// Why a configured path (`/`-separated, relative to the repository) could leave the repository or
/// mean two things, or `None`: absolute, `..` or `.`, an empty component (`a//b`, a leading or
/// trailing `/`), a backslash (a separator on Windows), NUL or another control character, or a
/// component that is `.git` in any case (also with trailing dots or spaces, which Windows drops,
/// and its 8.3 short name `GIT~1`). The CLI checks every path again as it resolves it.
pub fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("is empty");
    }
    if path.starts_with('/') {
        return Some("is absolute");
    }
    if path.contains('\\') {
        return Some("contains a backslash");
    }
    if path.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    if path.len() > 1 && path.as_bytes()[1] == b':' {
        return Some("starts with a drive letter");
    }
    for component in path.split('/') {
        match component {
            "" => return Some("has an empty component"),
            "." | ".." => return Some("contains `.` or `..`"),
            c if is_git_dir_name(c) => return Some("points into `.git`"),
            _ => {}
        }
    }
    None
}

/// Is `name` the `.git` directory to some file system: any case, trailing dots or spaces, or the
/// 8.3 short name?
pub fn is_git_dir_name(name: &str) -> bool {
    let trimmed = name.trim_end_matches(['.', ' ']);
    trimmed.eq_ignore_ascii_case(".git") || trimmed.eq_ignore_ascii_case("git~1")
}

#[cfg(all(test, feature = "edit"))]
mod tests {

    use crate::config::Config;
    use crate::error::ErrorCode;

    #[test]
    fn config_paths_stay_inside_the_repository_and_out_of_git() {
        for (yaml, key, why) in [
            ("catalogPath: /etc/passwd\n", "catalogPath", "absolute"),
            ("catalogPath: a/../../x.yaml\n", "catalogPath", "`..`"),
            ("catalogPath: a//x.yaml\n", "catalogPath", "empty component"),
            ("catalogPath: 'a\\x.yaml'\n", "catalogPath", "backslash"),
            ("catalogPath: \"a/\\0x.yaml\"\n", "catalogPath", "control"),
            (
                "catalogPath: .git/hooks/pre-commit\n",
                "catalogPath",
                "`.git`",
            ),
            ("catalogPath: docs/.GIT/x.yaml\n", "catalogPath", "`.git`"),
            ("catalogPath: '.git. /x.yaml'\n", "catalogPath", "`.git`"),
            ("catalogPath: GIT~1/x.yaml\n", "catalogPath", "`.git`"),
            ("catalogPath: 'c:x.yaml'\n", "catalogPath", "drive"),
            (
                "sync:\n  entitiesPath: .git/info/x.yaml\n",
                "sync.entitiesPath",
                "`.git`",
            ),
            (
                "sync:\n  locationPath: ./x.yaml\n",
                "sync.locationPath",
                "`..`",
            ),
            (
                "environments: [dev, .Git]\ntfvarsPath: '{environment}/terraform.tfvars'\n",
                "tfvarsPath",
                "`.git`",
            ),
        ] {
            let e = Config::from_yaml(yaml).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{yaml}");
            assert!(e.message.contains(key), "{yaml}: {}", e.message);
            assert!(e.message.contains(why), "{yaml}: {}", e.message);
        }
        // Dots elsewhere in a name are fine.
        Config::from_yaml("catalogPath: docs/.github-x/git.yaml\n").unwrap();
    }
}
