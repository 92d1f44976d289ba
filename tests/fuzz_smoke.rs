//! The stable smoke harness for the fuzz invariants (`fuzz/src/`): seeded
//! mutations of the example and reference inputs through the `.env`
//! reader, the custom variant reader and the whole pipeline, in process.
//!
//! By default a fixed number of cases per target (part of `cargo test`);
//! `ACEGEN_FUZZ_SECONDS=N` runs each target for N seconds instead and
//! `ACEGEN_FUZZ_SEED` changes the seed (docs/development/fuzzing.md). A failing input is
//! written to `target/fuzz-smoke-findings/` for the regression corpus.

#[path = "../fuzz/src/canary.rs"]
mod canary;
#[path = "../fuzz/src/invariants.rs"]
mod invariants;
#[path = "../fuzz/src/known.rs"]
mod known;
#[path = "../fuzz/src/mutate.rs"]
mod mutate;

mod common;

use invariants::Finding;
use mutate::Rng;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const FIXED_CASES: u64 = 60;
/// The canary check runs every command twice over: fewer cases by default.
const FIXED_CANARY_CASES: u64 = 20;

fn seeds(extension_or_name: &str) -> Vec<String> {
    let root = common::repo_root();
    let mut files: Vec<PathBuf> = common::example_dirs()
        .into_iter()
        .map(|dir| dir.join(extension_or_name))
        .collect();
    files.push(
        root.join("tests/fixtures/reference")
            .join(match extension_or_name {
                ".env" => "orchestrator.env.example",
                _ => "orchestrator.custom_engine_variant.json",
            }),
    );
    files.push(root.join("templates").join(match extension_or_name {
        ".env" => "starter.env",
        _ => "starter.custom_engine_variant.json",
    }));
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

fn keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = acegen::keys::KEYS.iter().map(|k| k.name).collect();
    keys.extend([
        "WIREGUARD_PRIVATE_KEY",
        "OPENVPN_PASSWORD",
        "SERVER_COUNTRIES",
        "SERVER_COUNTRIES.nl",
        "VPN_SERVICE_PROVIDER-custom",
        "CONTAINER_LABEL",
        "MIN_REPLICAZ",
    ]);
    keys
}

/// How long or how many: `(deadline, cases)`.
fn budget() -> (Option<Duration>, u64) {
    match std::env::var("ACEGEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(seconds) => (Some(Duration::from_secs(seconds)), u64::MAX),
        None => (None, FIXED_CASES),
    }
}

fn seed() -> u64 {
    std::env::var("ACEGEN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16)
}

fn findings_dir(target: &str, case: u64) -> PathBuf {
    common::repo_root()
        .join("target/fuzz-smoke-findings")
        .join(format!("{target}-seed{}-case{case}", seed()))
}

/// Runs `check` on generated inputs until the budget is spent; fails on
/// the first finding that is not a known open one, after saving its input.
fn run_target(
    target: &str,
    mut generate: impl FnMut(&mut Rng) -> (String, Option<String>),
    check: impl Fn(&str, Option<&str>) -> Result<(), Finding>,
) {
    let (deadline, cases) = budget();
    let started = Instant::now();
    let mut rng = Rng::new(seed() ^ target.len() as u64);
    let mut known_seen = 0;
    let mut case = 0;
    while case < cases && deadline.is_none_or(|d| started.elapsed() < d) {
        let (env, custom) = generate(&mut rng);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check(&env, custom.as_deref())
        }));
        let finding = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(finding)) => Some(finding),
            Err(panic) => Some(Finding(format!("panic: {}", panic_text(&panic)))),
        };
        if let Some(finding) = finding {
            if let Some(reason) = known::known_open(&finding, &env) {
                known_seen += 1;
                eprintln!("{target} case {case}: known open finding ({reason})");
            } else {
                let dir = findings_dir(target, case);
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(".env"), &env).unwrap();
                if let Some(custom) = &custom {
                    std::fs::write(dir.join("custom_engine_variant.json"), custom).unwrap();
                }
                std::fs::write(dir.join("finding.txt"), format!("{}\n", finding.0)).unwrap();
                panic!(
                    "{target} case {case} (seed {}): {}\ninput saved in {}",
                    seed(),
                    finding.0,
                    dir.display()
                );
            }
        }
        case += 1;
    }
    eprintln!(
        "{target}: {case} cases in {:.1}s, {known_seen} known open findings",
        started.elapsed().as_secs_f64()
    );
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn env_reader_invariants_hold_on_mutated_inputs() {
    let seeds = seeds(".env");
    let keys = keys();
    run_target(
        "env_reader",
        |rng| {
            (
                mutate::mutate_env(rng.pick::<String>(&seeds), rng, &keys),
                None,
            )
        },
        |env, _| invariants::check_env_reader(env),
    );
}

#[test]
fn custom_variant_reader_invariants_hold_on_mutated_inputs() {
    let seeds = seeds("custom_engine_variant.json");
    run_target(
        "custom_variant_reader",
        |rng| (mutate::mutate_json(rng.pick::<String>(&seeds), rng), None),
        |json, _| invariants::check_custom_variant_reader(json),
    );
}

#[test]
fn pipeline_invariants_hold_on_mutated_inputs() {
    let envs = seeds(".env");
    let customs = seeds("custom_engine_variant.json");
    let keys = keys();
    let outputs = std::cell::Cell::new(0u64);
    run_target(
        "pipeline",
        |rng| {
            let env = mutate::mutate_env(rng.pick::<String>(&envs), rng, &keys);
            let custom = match rng.below(3) {
                0 => None,
                1 => Some(rng.pick(customs.as_slice()).clone()),
                _ => Some(mutate::mutate_json(rng.pick::<String>(&customs), rng)),
            };
            (env, custom)
        },
        |env, custom| {
            let made_output = invariants::check_pipeline_outcome(env, custom)?;
            outputs.set(outputs.get() + u64::from(made_output));
            Ok(())
        },
    );
    eprintln!("pipeline: {} cases made an output", outputs.get());
    assert!(
        outputs.get() > 0,
        "no case made an output: the output checks never ran"
    );
}

/// Canary secrets planted in a `.env`, a compose file and a manifest never
/// reach the output of `check`, `explain` or any `diff` mode (issue 20).
#[test]
fn canary_secrets_never_appear_in_any_output() {
    let envs = seeds(".env");
    let keys = keys();
    let (deadline, cases) = budget();
    let cases = cases.min(if deadline.is_none() {
        FIXED_CANARY_CASES
    } else {
        u64::MAX
    });
    let started = Instant::now();
    let mut rng = Rng::new(seed() ^ 0x00ca_1aa7);
    let (mut case, mut known_seen, mut with_diffs) = (0, 0, 0);
    while case < cases && deadline.is_none_or(|d| started.elapsed() < d) {
        let env_seed = rng.pick(&envs).clone();
        let planted = canary::plant(&mut rng, &env_seed, &keys);
        let checked = canary::check_canaries(&planted);
        // check (3) + explain (2) + compose diffs (4) + Kubernetes diffs (3).
        with_diffs += u64::from(checked.as_ref().is_ok_and(|&n| n >= 12));
        if let Err(finding) = checked {
            if let Some(reason) = known::known_open(&finding, &planted.env) {
                known_seen += 1;
                eprintln!("canary case {case}: known open finding ({reason})");
            } else {
                let dir = findings_dir("canary", case);
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(".env"), &planted.env).unwrap();
                std::fs::write(dir.join("docker-compose.yml"), &planted.compose).unwrap();
                std::fs::write(dir.join("manifest.yaml"), &planted.manifest).unwrap();
                std::fs::write(dir.join("finding.txt"), format!("{}\n", finding.0)).unwrap();
                panic!(
                    "canary case {case} (seed {}): {}\ninputs saved in {}",
                    seed(),
                    finding.0,
                    dir.display()
                );
            }
        }
        case += 1;
    }
    eprintln!(
        "canary: {case} cases in {:.1}s ({with_diffs} ran every diff mode), {known_seen} known open findings",
        started.elapsed().as_secs_f64()
    );
    assert!(
        with_diffs > 0,
        "no case ran the diffs: the check proved nothing"
    );
}

#[test]
fn the_canary_check_catches_a_shown_secret() {
    // The check must be able to fail: a compose file whose secret sits under
    // an ordinary key is not masked by design, and the canary is found.
    let env =
        std::fs::read_to_string(common::repo_root().join("examples/redundant-vpn/.env")).unwrap();
    let planted = canary::Planted {
        env,
        compose: "services:\n  gluetun:\n    image: cnryNotASecretKey\n".to_owned(),
        manifest: "kind: ConfigMap\nmetadata: {name: x}\n".to_owned(),
    };
    let finding = canary::check_canaries(&planted).unwrap_err();
    assert!(finding.0.contains("`diff`"), "{}", finding.0);
}

#[test]
fn the_invariants_catch_a_broken_output() {
    // The checks must be able to fail: a plan with an engine the output
    // lacks, or an extra field, is a finding.
    let env =
        std::fs::read_to_string(common::repo_root().join("examples/redundant-vpn/.env")).unwrap();
    assert_eq!(invariants::check_pipeline(&env, None), Ok(()));
    let request = acegen::pipeline::Request::default();
    let inputs = acegen::load::Inputs::from_text(env);
    let compilation = acegen::pipeline::compile_inputs(inputs, &request);
    let plan = compilation.plan.unwrap();
    let output = compilation.output.unwrap();
    let extra_field = output.replacen(
        "    restart: \"unless-stopped\"",
        "    privileged: true\n    restart: \"unless-stopped\"",
        1,
    );
    assert!(invariants::check_output(&extra_field, &plan).is_err());
    let first_engine = &plan.engines[0].name;
    let renamed = output.replace(&format!("  {first_engine}:"), "  intruder:");
    assert!(invariants::check_output(&renamed, &plan).is_err());
    let relabelled = output.replacen("acestream.", "acestreamx.", 1);
    assert!(invariants::check_output(&relabelled, &plan).is_err());
}
