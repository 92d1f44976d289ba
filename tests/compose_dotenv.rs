//! Differential test: acegen's `.env` reader against the real Docker Compose
//! v2 (`ACEGEN_COMPOSE`, installed by `scripts/ci/install-compose.sh`).
//!
//! The corpus is every hand-written case in `tests/compose_dotenv/corpus/`
//! (one per rule of SPEC 1.1 and per difference issue 10 listed; a sidecar
//! `NAME.process-env` holds the process environment of that case) and 350
//! files from `tests/compose_dotenv/generator.rs` with a fixed seed, every
//! third one read with a process environment that overrides and supplies
//! names the files use.
//!
//! Compose is asked for every key's value through a service whose `env_file:`
//! is the case (compose reads it with the same reader as `--env-file`, and
//! shows every key, odd names included), run with a clean environment.
//! Both must agree on every value, and on which files are refused, except
//! the deliberate differences (cases named `deliberate-…`, refused by acegen
//! with the code the docs list).

mod common;

#[path = "compose_dotenv/generator.rs"]
mod generator;
#[path = "compose_dotenv/project.rs"]
mod project;

use acegen::load::dotenv;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const SEED: u64 = 0x0AC3_6E5E_ED00_0010;
const GENERATED: usize = 350;
/// Codes of the places where acegen is deliberately stricter than compose.
const DELIBERATE_CODES: &[&str] = &["E0102", "E0103", "E0104"];

struct Case {
    name: String,
    bytes: Vec<u8>,
    process_env: Vec<(String, String)>,
}

type Values = BTreeMap<String, String>;

/// What a reader made of a file: every key's value, or a refusal.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    Values(Values),
    Refused(String),
}

fn corpus() -> Vec<Case> {
    cases_in("tests/compose_dotenv/corpus")
}

fn cases_in(folder: &str) -> Vec<Case> {
    let folder = common::repo_root().join(folder);
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("the corpus folder exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "env"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let sidecar = path.with_extension("process-env");
            let process_env = std::fs::read_to_string(sidecar)
                .map(|text| {
                    text.lines()
                        .filter_map(|l| l.split_once('='))
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            Case {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                bytes: std::fs::read(&path).unwrap(),
                process_env,
            }
        })
        .collect()
}

/// The process environment of every third generated file: it overrides a
/// name the files define (`A`), supplies one they reference (`lower`) and
/// one that bare keys take (`KEY_1`).
fn shell() -> Vec<(String, String)> {
    [
        ("A", "from-shell"),
        ("lower", "shell value"),
        ("KEY_1", "k1"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn generated() -> Vec<Case> {
    generator::files(SEED, GENERATED)
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| Case {
            name: format!("generated-{i:03}"),
            bytes,
            process_env: if i % 3 == 0 { shell() } else { Vec::new() },
        })
        .collect()
}

/// acegen's reading, through the library (as `load` does: bytes that are
/// not UTF-8 become U+FFFD, which the reader reports).
fn acegen_reads(case: &Case) -> Reading {
    let text = String::from_utf8_lossy(&case.bytes);
    let lookup = |name: &str| {
        case.process_env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let parsed = dotenv::parse(&text, &lookup);
    match parsed.errors.first() {
        Some(error) => Reading::Refused(format!("{} at {}: {error}", error.kind.code(), error.pos)),
        None => Reading::Values(parsed.to_map()),
    }
}

/// Runs `docker compose config` on one service per case; on success, each
/// case's environment. On failure, compose's message (which names the file).
fn compose_config(
    compose: &Path,
    cases: &[&Case],
    process_env: &[(String, String)],
) -> Result<Vec<Values>, String> {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("services:\n");
    for (i, case) in cases.iter().enumerate() {
        std::fs::write(dir.path().join(format!("f{i}.env")), &case.bytes).unwrap();
        yaml.push_str(&format!("  s{i}:\n    image: x\n    env_file: f{i}.env\n"));
    }
    std::fs::write(dir.path().join("compose.yml"), yaml).unwrap();
    let output = Command::new(compose)
        .env_clear()
        .envs(process_env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir.path())
        .args([
            "-f",
            "compose.yml",
            "-p",
            "differential",
            "config",
            "--format",
            "json",
        ])
        .output()
        .expect("docker compose runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    let config: Value = serde_json::from_slice(&output.stdout).expect("compose prints JSON");
    Ok((0..cases.len())
        .map(|i| {
            let environment = &config["services"][format!("s{i}")]["environment"];
            environment
                .as_object()
                .map(|map| {
                    map.iter()
                        // `config` writes every `$` as `$$`.
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").replace("$$", "$")))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect())
}

/// Compose's reading of every case: the cases acegen accepts in batches,
/// one per process environment (a refused file is found by its name in
/// compose's message, taken out, and the batch run again), the others one
/// by one, on two threads.
fn compose_reads(compose: &Path, cases: &[Case], acegen: &[Reading]) -> Vec<Reading> {
    let mut readings: Vec<Option<Reading>> = vec![None; cases.len()];
    let mut environments: Vec<&[(String, String)]> =
        cases.iter().map(|c| c.process_env.as_slice()).collect();
    environments.sort();
    environments.dedup();
    for environment in environments {
        let mut batch: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].process_env == environment)
            .filter(|&i| matches!(acegen[i], Reading::Values(_)))
            .collect();
        while !batch.is_empty() {
            let members: Vec<&Case> = batch.iter().map(|&i| &cases[i]).collect();
            match compose_config(compose, &members, environment) {
                Ok(values) => {
                    for (&i, values) in batch.iter().zip(values) {
                        readings[i] = Some(Reading::Values(values));
                    }
                    batch.clear();
                }
                Err(message) => {
                    let position = (0..batch.len())
                        .find(|n| message.contains(&format!("/f{n}.env")))
                        .unwrap_or_else(|| {
                            panic!("compose failed without naming a file: {message}")
                        });
                    readings[batch[position]] = Some(Reading::Refused(message));
                    batch.remove(position);
                }
            }
        }
    }
    let single: Vec<usize> = (0..cases.len())
        .filter(|&i| readings[i].is_none())
        .collect();
    let results: Vec<(usize, Reading)> = std::thread::scope(|scope| {
        let halves = single.chunks(single.len().div_ceil(2).max(1));
        let handles: Vec<_> = halves
            .map(|half| {
                scope.spawn(move || {
                    half.iter()
                        .map(|&i| {
                            let case = &cases[i];
                            let reading = match compose_config(compose, &[case], &case.process_env)
                            {
                                Ok(mut values) => Reading::Values(values.remove(0)),
                                Err(message) => Reading::Refused(message),
                            };
                            (i, reading)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for (i, reading) in results {
        readings[i] = Some(reading);
    }
    readings.into_iter().map(Option::unwrap).collect()
}

fn is_deliberate(case: &Case, acegen: &Reading, compose: &Reading) -> bool {
    case.name.contains("-deliberate-")
        && matches!(compose, Reading::Values(_))
        && matches!(acegen, Reading::Refused(m) if DELIBERATE_CODES.iter().any(|c| m.starts_with(c)))
}

/// How two readings of the same cases compare.
struct Tally {
    same_values: usize,
    same_refusal: usize,
    deliberate: usize,
    disagreements: Vec<String>,
}

fn tally(cases: &[Case], acegen: &[Reading], compose: &[Reading]) -> Tally {
    let mut tally = Tally {
        same_values: 0,
        same_refusal: 0,
        deliberate: 0,
        disagreements: Vec::new(),
    };
    for ((case, ours), theirs) in cases.iter().zip(acegen).zip(compose) {
        match (ours, theirs) {
            (Reading::Values(a), Reading::Values(b)) if a == b => tally.same_values += 1,
            (Reading::Refused(_), Reading::Refused(_)) => tally.same_refusal += 1,
            _ if is_deliberate(case, ours, theirs) => tally.deliberate += 1,
            _ => tally.disagreements.push(format!(
                "{}: {:?}\n  acegen:  {ours:?}\n  compose: {theirs:?}",
                case.name,
                String::from_utf8_lossy(&case.bytes)
            )),
        }
    }
    tally
}

#[test]
fn acegen_reads_every_env_file_as_docker_compose_does() {
    let Some(compose) = common::compose_binary() else {
        return;
    };
    let mut cases = corpus();
    let hand_written = cases.len();
    assert!(hand_written >= 60, "the hand-written corpus is missing");
    cases.extend(generated());
    let acegen: Vec<Reading> = cases.iter().map(acegen_reads).collect();
    let compose = compose_reads(&compose, &cases, &acegen);

    let Tally {
        same_values,
        same_refusal,
        deliberate,
        disagreements,
    } = tally(&cases, &acegen, &compose);
    println!(
        "compose_dotenv: {} files ({hand_written} hand-written, {GENERATED} generated): \
         {same_values} same values, {same_refusal} refused by both, \
         {deliberate} deliberate differences, {} disagreements",
        cases.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "acegen and docker compose disagree on {} files:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert!(
        deliberate >= 2,
        "the deliberate-difference cases must show their difference"
    );
}

#[test]
fn the_generator_is_deterministic_and_mostly_valid() {
    let first = generator::files(SEED, GENERATED);
    assert_eq!(first, generator::files(SEED, GENERATED));
    let refused = first
        .iter()
        .filter(|bytes| {
            let text = String::from_utf8_lossy(bytes);
            !dotenv::parse(&text, &|_| None).errors.is_empty()
        })
        .count();
    println!("generator: {refused} of {GENERATED} files are refused");
    assert!(
        refused * 2 < GENERATED,
        "{refused} refused: too few valid files"
    );
}

/// The hand-written corpus and the cases of compose's second read
/// (`tests/compose_dotenv/project/`), each read as the project `.env`:
/// compose and acegen must refuse the same files and agree on the values of
/// the others.
#[test]
fn acegen_reads_a_project_env_file_as_docker_compose_does() {
    let Some(compose) = common::compose_binary() else {
        return;
    };
    let second_read = cases_in("tests/compose_dotenv/project");
    assert!(second_read.len() >= 15, "the second-read corpus is missing");
    let mut cases = corpus();
    cases.extend(second_read);
    let acegen: Vec<Reading> = cases.iter().map(acegen_reads).collect();
    let pairs: Vec<(&Case, &Reading)> = cases.iter().zip(&acegen).collect();
    let compose: Vec<Reading> = std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(pairs.len().div_ceil(2))
            .map(|half| {
                let compose = &compose;
                scope.spawn(move || {
                    half.iter()
                        .map(|(case, ours)| {
                            let names: Vec<String> = match ours {
                                Reading::Values(values) => {
                                    project::comparable(case, values).into_keys().collect()
                                }
                                Reading::Refused(_) => Vec::new(),
                            };
                            project::compose_reads(compose, case, &names)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    // Compose is asked only about the keys it can be asked about.
    let compared: Vec<Reading> = cases
        .iter()
        .zip(&acegen)
        .map(|(case, ours)| match ours {
            Reading::Values(values) => Reading::Values(project::comparable(case, values)),
            refused => refused.clone(),
        })
        .collect();
    let Tally {
        same_values,
        same_refusal,
        deliberate,
        disagreements,
    } = tally(&cases, &compared, &compose);
    println!(
        "compose_dotenv (project .env): {} files: {same_values} same values, \
         {same_refusal} refused by both, {deliberate} deliberate differences, {} disagreements",
        cases.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "acegen and docker compose (--env-file) disagree on {} files:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    let refused_by_the_second_read = acegen
        .iter()
        .filter(|r| matches!(r, Reading::Refused(m) if m.contains("a second time")))
        .count();
    assert!(
        refused_by_the_second_read >= 8,
        "the second-read cases must be refused as compose refuses them"
    );
}
