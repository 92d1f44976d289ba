//! Finding the stack's folder the way docker compose finds its project:
//! `--project-directory DIR` (`-C DIR`) when given, else the current folder
//! or the nearest folder above it holding a compose file or a `.env`.

use camino::{Utf8Path, Utf8PathBuf};

/// The compose file names docker compose looks for, in its order of preference.
pub const COMPOSE_FILE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Where the project folder came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectSource {
    /// `--project-directory` / `-C`.
    Option,
    /// The folder of `--env-file`.
    EnvFile,
    /// Found by walking up from the current folder (or the current folder
    /// itself when nothing was found above it).
    Search { found: bool },
}

/// The first folder, from `start` up to the root, that holds one of the
/// compose files or `.env`, as the number of levels above `start`.
pub fn levels_up_to_project(start: &std::path::Path) -> Option<usize> {
    start.ancestors().position(|folder| {
        COMPOSE_FILE_NAMES
            .iter()
            .chain([&super::DEFAULT_ENV_FILE])
            .any(|name| folder.join(name).is_file())
    })
}

/// The project folder found from the current folder, relative to it (`""`
/// for the current folder, `..`, `../..`), so paths in messages stay short.
pub fn search_from_current_folder() -> (Utf8PathBuf, ProjectSource) {
    let levels = std::env::current_dir()
        .ok()
        .and_then(|dir| levels_up_to_project(&dir));
    match levels {
        Some(levels) => (
            relative_parent(levels),
            ProjectSource::Search { found: true },
        ),
        None => (Utf8PathBuf::new(), ProjectSource::Search { found: false }),
    }
}

fn relative_parent(levels: usize) -> Utf8PathBuf {
    let mut path = Utf8PathBuf::new();
    for _ in 0..levels {
        path.push("..");
    }
    path
}

/// The folder as a person should read it: absolute when it can be.
pub fn shown(folder: &Utf8Path) -> String {
    let folder = if folder.as_str().is_empty() {
        Utf8Path::new(".")
    } else {
        folder
    };
    match folder.canonicalize_utf8() {
        Ok(absolute) => absolute.to_string(),
        Err(_) => folder.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_folder_with_a_compose_file_or_env_wins() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("stack/sub/deeper");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.path().join("stack/compose.yaml"), "services: {}\n").unwrap();
        assert_eq!(levels_up_to_project(&deep), Some(2));
        std::fs::write(root.path().join("stack/sub/.env"), "").unwrap();
        assert_eq!(levels_up_to_project(&deep), Some(1));
        std::fs::write(deep.join("docker-compose.yml"), "").unwrap();
        assert_eq!(levels_up_to_project(&deep), Some(0));
    }

    #[test]
    fn a_folder_named_like_a_compose_file_does_not_count() {
        let root = tempfile::tempdir().unwrap();
        let start = root.path().join("a");
        std::fs::create_dir_all(start.join(".env")).unwrap();
        assert_ne!(levels_up_to_project(&start), Some(0));
    }

    #[test]
    fn parents_are_written_relatively() {
        assert_eq!(relative_parent(0), Utf8PathBuf::new());
        assert_eq!(relative_parent(2), Utf8PathBuf::from("../.."));
    }
}
