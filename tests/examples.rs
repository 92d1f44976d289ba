//! Every example's committed `docker-compose.yml` is the golden output:
//! acegen must regenerate it byte for byte, and it must be valid compose.
//! After a deliberate change, regenerate with `ACEGEN_UPDATE_EXAMPLES=1 cargo test`
//! and review the diff of examples/ like code.

mod common;

use common::{acegen, example_args, example_dirs, repo_root, stderr, stdout};
use serde_json::Value;

fn compose_schema() -> jsonschema::Validator {
    // The official Compose Specification schema, vendored in schemas/ (source
    // and licence in tests/fixtures/reference/README.md).
    let text = std::fs::read_to_string(repo_root().join("schemas/compose-spec.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn there_are_at_least_ten_examples() {
    assert!(example_dirs().len() >= 10);
}

#[test]
fn every_example_regenerates_byte_for_byte() {
    let update = std::env::var_os("ACEGEN_UPDATE_EXAMPLES").is_some();
    let mut mismatched = Vec::new();
    for dir in example_dirs() {
        let args = example_args(&dir);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = acegen(&dir, &args);
        assert!(
            output.status.success(),
            "{}: {}",
            dir.display(),
            stderr(&output)
        );
        let generated = stdout(&output);
        let golden_path = dir.join("docker-compose.yml");
        if update {
            std::fs::write(&golden_path, &generated).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&golden_path).unwrap_or_default();
        if golden != generated {
            mismatched.push(dir.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(
        mismatched.is_empty(),
        "examples whose output changed (review, then ACEGEN_UPDATE_EXAMPLES=1 cargo test): {mismatched:?}"
    );
}

#[test]
fn every_example_output_is_valid_compose() {
    let validator = compose_schema();
    for dir in example_dirs() {
        let text = std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap();
        let document: Value = serde_yaml::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", dir.display());
    }
}

#[test]
fn output_does_not_depend_on_the_shell_environment() {
    let dir = repo_root().join("examples/single-vpn-forwarded");
    let plain = acegen(&dir, &[]);
    let shell = std::process::Command::new(env!("CARGO_BIN_EXE_acegen"))
        .current_dir(&dir)
        .env("MIN_REPLICAS", "9")
        .env("ENGINE_VARIANT", "jopsis-arm32")
        .env("GLUETUN_FORWARDED_PORT", "1234")
        .output()
        .unwrap();
    assert_eq!(plain.stdout, shell.stdout);
}

#[test]
fn generated_files_hold_no_secret_values() {
    for dir in example_dirs() {
        let env = std::fs::read_to_string(dir.join(".env")).unwrap_or_default();
        let compose = std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap();
        for line in env.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            if acegen::keys::looks_secret(key) && value.len() > 3 {
                assert!(
                    !compose.contains(value),
                    "{}: the value of {key} leaked",
                    dir.display()
                );
            }
        }
    }
}

/// Engines of an example, as the generated document says.
fn services(dir: &str) -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(
        repo_root()
            .join("examples")
            .join(dir)
            .join("docker-compose.yml"),
    )
    .unwrap();
    let document: Value = serde_yaml::from_str(&text).unwrap();
    document["services"].as_object().unwrap().clone()
}

#[test]
fn the_orchestrators_documented_env_gives_its_ten_engines() {
    let services = services("orchestrator");
    let engines: Vec<_> = services
        .keys()
        .filter(|k| k.starts_with("acestream-"))
        .collect();
    assert_eq!(engines.len(), 10);
    // Its custom variant file is enabled and wins over ENGINE_VARIANT; the
    // label names the platform, as the orchestrator writes it.
    assert_eq!(
        services["acestream-10"]["labels"]["acestream.engine_variant"],
        "amd64"
    );
    assert_eq!(services["acestream-10"]["networks"][0], "aceserver");
}

#[test]
fn the_redundant_example_publishes_each_vpns_engines_on_that_vpn() {
    let services = services("redundant-vpn");
    assert_eq!(
        services["gluetun"]["ports"],
        serde_json::json!(["127.0.0.1:8000:8000", "19000-19002:19000-19002"])
    );
    assert_eq!(
        services["gluetun2"]["ports"],
        serde_json::json!(["127.0.0.1:8001:8000", "19500-19502:19500-19502"])
    );
    assert_eq!(
        services["gluetun2"]["environment"]["WIREGUARD_PRIVATE_KEY"],
        "${WIREGUARD_PRIVATE_KEY_2}"
    );
    assert_eq!(services["acestream-2"]["network_mode"], "service:gluetun2");
    assert_eq!(
        services["acestream-2"]["labels"]["acestream.forwarded"],
        "true"
    );
    assert_eq!(
        services["acestream-3"]["labels"].get("acestream.forwarded"),
        None
    );
}
