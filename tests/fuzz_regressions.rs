//! Replays the regression corpus, `fuzz/corpus/regressions/*/`: every
//! input the fuzzers (or the issue reports) found to break acegen, with
//! what must hold now. Each folder holds `.env`, maybe
//! `custom_engine_variant.json`, maybe `args.json` (extra arguments for
//! `acegen generate`), `finding.txt` (what went wrong; `status: open …`
//! while the fix is on another branch) and maybe `expect` (`key: value`
//! lines, see below). For every case:
//!
//! - acegen exits 0, 1 or 2 within [`TIMEOUT`], prints no raw control
//!   character on stderr, and at most `stderr-max-bytes` (default 1 MB);
//! - an exit-0 output is accepted by the real `docker compose config`
//!   (when `ACEGEN_COMPOSE` names it) and, without extra arguments, meets
//!   the in-process invariants (`fuzz/src/invariants.rs`);
//! - `exit`, `stdout-not-contains`, `stderr-contains`, `stderr-not-contains`
//!   in `expect` hold (`\n` in a value is a line break).
//!
//! An open case that fails is reported, not failed; one that passes says so,
//! so that its status can be set to fixed once the fix is merged.

#[allow(dead_code)] // the reader checks are for the other harnesses
#[path = "../fuzz/src/invariants.rs"]
mod invariants;

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);
/// Open cases are expected to fail, perhaps slowly (a stack overflow can
/// take a while to die): a shorter wait keeps `cargo test` quick.
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_STDERR_MAX: usize = 1_000_000;

struct Case {
    dir: PathBuf,
    name: String,
    open: bool,
    args: Vec<String>,
    expect: Vec<(String, String)>,
}

fn cases() -> Vec<Case> {
    let root = common::repo_root().join("fuzz/corpus/regressions");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fuzz/corpus/regressions exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("finding.txt").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let finding = std::fs::read_to_string(dir.join("finding.txt")).unwrap();
            let status = finding
                .lines()
                .find_map(|l| l.strip_prefix("status:"))
                .unwrap_or_else(|| panic!("{}: finding.txt has no status line", dir.display()))
                .trim()
                .to_owned();
            let args = std::fs::read_to_string(dir.join("args.json"))
                .map(|text| serde_json::from_str(&text).expect("args.json is a list of strings"))
                .unwrap_or_default();
            let expect = std::fs::read_to_string(dir.join("expect"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once(": "))
                .map(|(k, v)| (k.to_owned(), v.replace("\\n", "\n")))
                .collect();
            Case {
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                open: status.starts_with("open"),
                dir,
                args,
                expect,
            }
        })
        .collect()
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs acegen on a copy of the case's files, killing it after [`TIMEOUT`].
fn run(case: &Case, work: &Path) -> Result<Run, String> {
    for file in [".env", "custom_engine_variant.json"] {
        if case.dir.join(file).is_file() {
            std::fs::copy(case.dir.join(file), work.join(file)).unwrap();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .current_dir(work)
        .arg("generate")
        .args(&case.args)
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut bytes);
        bytes
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let timeout = if case.open { OPEN_TIMEOUT } else { TIMEOUT };
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("ran over {timeout:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Run {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    })
}

/// Every problem with `case`'s run; empty when it holds.
fn problems(case: &Case, compose: Option<&Path>) -> Vec<String> {
    let work = tempfile::tempdir().unwrap();
    let run = match run(case, work.path()) {
        Ok(run) => run,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    if !matches!(run.code, Some(0..=2)) {
        problems.push(format!(
            "exit {:?} (a crash: only 0, 1, 2 are allowed)",
            run.code
        ));
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let raw: Vec<char> = stderr
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        .collect();
    if !raw.is_empty() {
        problems.push(format!("raw control characters on stderr: {raw:?}"));
    }
    let stderr_max = case
        .expect
        .iter()
        .find(|(k, _)| k == "stderr-max-bytes")
        .map_or(DEFAULT_STDERR_MAX, |(_, v)| v.parse().unwrap());
    if run.stderr.len() > stderr_max {
        problems.push(format!(
            "{} bytes on stderr (at most {stderr_max})",
            run.stderr.len()
        ));
    }
    for (key, value) in &case.expect {
        let broken = match key.as_str() {
            "exit" => run.code != Some(value.parse().unwrap()),
            "stdout-not-contains" => stdout.contains(value.as_str()),
            "stderr-contains" => !stderr.contains(value.as_str()),
            "stderr-not-contains" => stderr.contains(value.as_str()),
            "stderr-max-bytes" => false,
            other => panic!("{}: unknown expectation {other}", case.name),
        };
        if broken {
            problems.push(format!("expected {key}: {value:?} (exit {:?})", run.code));
        }
    }
    if run.code == Some(0) {
        if let Some(compose) = compose {
            problems.extend(compose_refusal(compose, work.path(), &run.stdout));
        }
        if case.args.is_empty() {
            problems.extend(invariant_failure(case));
        }
    }
    problems
}

fn compose_refusal(compose: &Path, work: &Path, output: &[u8]) -> Option<String> {
    let file = work.join("docker-compose.yml");
    std::fs::write(&file, output).unwrap();
    let mut command = Command::new(compose);
    command.current_dir(work).arg("-f").arg(&file);
    if work.join(".env").is_file() {
        command.arg("--env-file").arg(work.join(".env"));
    }
    let checked = command.args(["config", "--quiet"]).output().unwrap();
    (!checked.status.success()).then(|| {
        format!(
            "docker compose config refused the output: {}",
            String::from_utf8_lossy(&checked.stderr).trim()
        )
    })
}

fn invariant_failure(case: &Case) -> Option<String> {
    let env = std::fs::read(case.dir.join(".env")).ok()?;
    let env = String::from_utf8(env).ok()?;
    let custom = std::fs::read_to_string(case.dir.join("custom_engine_variant.json")).ok();
    invariants::check_pipeline(&env, custom.as_deref())
        .err()
        .map(|finding| format!("invariant: {}", finding.0))
}

#[test]
fn the_regression_corpus_replays_clean() {
    let compose = common::compose_binary();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "the regression corpus is empty");
    for case in &cases {
        let problems = problems(case, compose.as_deref());
        match (case.open, problems.is_empty()) {
            (false, true) => {}
            (false, false) => failures.push(format!("{}:\n  {}", case.name, problems.join("\n  "))),
            (true, false) => eprintln!("still open: {}: {}", case.name, problems.join("; ")),
            (true, true) => eprintln!(
                "now passes: {} (set `status: fixed` in its finding.txt)",
                case.name
            ),
        }
    }
    assert!(failures.is_empty(), "regressions:\n{}", failures.join("\n"));
}

#[test]
fn a_fixed_case_that_breaks_again_is_reported() {
    // The replay must be able to fail: the same checks on a case whose
    // expectation cannot hold.
    let dir = common::folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let case = Case {
        dir: dir.path().to_owned(),
        name: "synthetic".into(),
        open: false,
        args: vec![],
        expect: vec![
            ("exit".into(), "1".into()),
            ("stdout-not-contains".into(), "services:".into()),
        ],
    };
    assert_eq!(problems(&case, None).len(), 2);
}
