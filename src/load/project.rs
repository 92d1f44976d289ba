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

/// `file` as a path relative to `folder`, as compose resolves `env_file:`
/// relative to the compose file's folder: `stack/.env` from `stack` is
/// `.env`, `conf/prod.env` from `deploy` is `../conf/prod.env`. Relative
/// inputs are taken from the current folder; when the two share nothing but
/// the root (or the current folder cannot be read), `file` made absolute.
pub fn relative_to(folder: &Utf8Path, file: &Utf8Path) -> Utf8PathBuf {
    let current = std::env::current_dir()
        .ok()
        .and_then(|dir| Utf8PathBuf::from_path_buf(dir).ok());
    let Some(current) = current else {
        return file.to_owned();
    };
    let (folder, file) = (lexical(&current.join(folder)), lexical(&current.join(file)));
    let (folder_parts, file_parts): (Vec<_>, Vec<_>) =
        (folder.components().collect(), file.components().collect());
    let shared = folder_parts
        .iter()
        .zip(&file_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if shared <= 1 {
        return file;
    }
    let mut relative = Utf8PathBuf::new();
    for _ in shared..folder_parts.len() {
        relative.push("..");
    }
    for part in &file_parts[shared..] {
        relative.push(part.as_str());
    }
    relative
}

/// An absolute path with `.` and `..` steps folded away (as compose joins
/// paths, without resolving links).
fn lexical(path: &Utf8Path) -> Utf8PathBuf {
    let mut out = Utf8PathBuf::new();
    for part in path.components() {
        match part {
            camino::Utf8Component::CurDir => {}
            camino::Utf8Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_str()),
        }
    }
    out
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
    fn env_file_paths_are_written_from_the_output_folder() {
        let relative = |folder: &str, file: &str| {
            relative_to(Utf8Path::new(folder), Utf8Path::new(file)).to_string()
        };
        assert_eq!(relative("stack", "stack/.env"), ".env");
        assert_eq!(relative("", ".env"), ".env");
        assert_eq!(relative("deploy", "conf/prod.env"), "../conf/prod.env");
        assert_eq!(relative("a/./b/../c", "a/c/x/.env"), "x/.env");
        assert_eq!(relative("/srv/stack", "/srv/stack/.env"), ".env");
        assert_eq!(relative("/srv/stack", "/etc/acegen.env"), "/etc/acegen.env");
    }

    #[test]
    fn parents_are_written_relatively() {
        assert_eq!(relative_parent(0), Utf8PathBuf::new());
        assert_eq!(relative_parent(2), Utf8PathBuf::from("../.."));
    }
}
