//! Compose's reading of a file as the project `.env` (`--env-file`), which
//! compose reads twice (see `src/load/dotenv/second_read`), where a
//! service's `env_file:` is read once.
//!
//! Values are asked for through `${KEY}` references in a service's
//! `environment:`, so only keys that are plain names can be compared, and
//! only those the process environment does not set (it wins over the file
//! in the project environment).

use super::{Case, Reading, Values};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn is_plain_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The keys of acegen's reading that compose can be asked about.
pub fn comparable(case: &Case, values: &Values) -> Values {
    values
        .iter()
        .filter(|(key, _)| is_plain_name(key))
        .filter(|(key, _)| !case.process_env.iter().any(|(name, _)| name == *key))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

/// Runs `docker compose --env-file CASE config`, asking for `names`.
pub fn compose_reads(compose: &Path, case: &Case, names: &[String]) -> Reading {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.env"), &case.bytes).unwrap();
    let mut yaml = String::from("services:\n  s:\n    image: x\n    environment:\n");
    yaml.push_str("      ACEGEN_PROBE: probe\n");
    for name in names {
        yaml.push_str(&format!("      {name}: ${{{name}}}\n"));
    }
    std::fs::write(dir.path().join("compose.yml"), yaml).unwrap();
    let output = Command::new(compose)
        .env_clear()
        .envs(case.process_env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir.path())
        .args([
            "--env-file",
            "case.env",
            "-f",
            "compose.yml",
            "-p",
            "project",
        ])
        .args(["config", "--format", "json"])
        .output()
        .expect("docker compose runs");
    if !output.status.success() {
        return Reading::Refused(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    let config: Value = serde_json::from_slice(&output.stdout).expect("compose prints JSON");
    let environment = &config["services"]["s"]["environment"];
    Reading::Values(
        names
            .iter()
            .map(|name| {
                let value = environment[name].as_str().unwrap_or("");
                // `config` writes every `$` as `$$`.
                (name.clone(), value.replace("$$", "$"))
            })
            .collect(),
    )
}
