//! Which compose file `acegen diff` compares when none is named: the one
//! docker compose would read — the first file of COMPOSE_FILE, else the first
//! of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml in
//! the project folder.

use super::{DEFAULT_FILE, EXIT_USAGE_OR_IO};
use crate::load::project::{self, COMPOSE_FILE_NAMES};
use camino::{Utf8Path, Utf8PathBuf};

/// The files COMPOSE_FILE names, split on COMPOSE_PATH_SEPARATOR (else `:`,
/// `;` on Windows), as compose splits them; empty entries are skipped.
pub fn compose_file_list(value: &str, separator: Option<&str>) -> Vec<Utf8PathBuf> {
    let default = if cfg!(windows) { ";" } else { ":" };
    let separator = separator.filter(|s| !s.is_empty()).unwrap_or(default);
    value
        .split(separator)
        .filter(|entry| !entry.trim().is_empty())
        .map(Utf8PathBuf::from)
        .collect()
}

/// The first existing compose file name in `folder`, in compose's order.
pub fn find_in(folder: &Utf8Path) -> Option<Utf8PathBuf> {
    COMPOSE_FILE_NAMES
        .iter()
        .map(|name| folder.join(name))
        .find(|path| path.is_file())
}

pub fn default_file(project_dir: &Utf8Path, allow_missing: bool) -> Result<Utf8PathBuf, u8> {
    let compose_file = std::env::var("COMPOSE_FILE").unwrap_or_default();
    let separator = std::env::var("COMPOSE_PATH_SEPARATOR").ok();
    let listed = compose_file_list(&compose_file, separator.as_deref());
    if let Some(first) = listed.first() {
        if listed.len() > 1 {
            crate::report::print_note(&format!(
                "COMPOSE_FILE names {} files; comparing the first, {first} \
                 (acegen generates one file; the others are overrides of it)",
                listed.len()
            ));
        }
        return Ok(first.clone());
    }
    if let Some(found) = find_in(project_dir) {
        return Ok(found);
    }
    if allow_missing {
        return Ok(project_dir.join(DEFAULT_FILE));
    }
    crate::report::print_error(&format!(
        "no compose file in {} (looked for {}); name the file to compare \
         (`acegen diff FILE`), or pass --allow-missing to compare with an empty file",
        project::shown(project_dir),
        COMPOSE_FILE_NAMES.join(", ")
    ));
    Err(EXIT_USAGE_OR_IO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_file_is_split_like_compose_splits_it() {
        assert_eq!(
            compose_file_list("a.yml:b.yml", None),
            ["a.yml", "b.yml"].map(Utf8PathBuf::from)
        );
        assert_eq!(
            compose_file_list("a.yml;b.yml", Some(";")),
            ["a.yml", "b.yml"].map(Utf8PathBuf::from)
        );
        assert!(compose_file_list("", None).is_empty());
        assert_eq!(
            compose_file_list(":x.yml:", None),
            [Utf8PathBuf::from("x.yml")]
        );
    }

    #[test]
    fn compose_yaml_is_preferred_over_docker_compose_yml() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Utf8Path::from_path(dir.path()).unwrap();
        assert_eq!(find_in(folder), None);
        std::fs::write(folder.join("docker-compose.yml"), "").unwrap();
        assert_eq!(find_in(folder), Some(folder.join("docker-compose.yml")));
        std::fs::write(folder.join("docker-compose.yaml"), "").unwrap();
        assert_eq!(find_in(folder), Some(folder.join("docker-compose.yaml")));
        std::fs::write(folder.join("compose.yml"), "").unwrap();
        assert_eq!(find_in(folder), Some(folder.join("compose.yml")));
        std::fs::write(folder.join("compose.yaml"), "").unwrap();
        assert_eq!(find_in(folder), Some(folder.join("compose.yaml")));
    }
}
