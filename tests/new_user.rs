//! A new user's path (#25), run as a user runs the binary: Gluetun settings
//! without a VPN name, keys that look like acegen's, `acegen init` and what
//! follows it, custom variant errors in words, and the README's first
//! command on a clean example.

mod common;

use common::{acegen, folder_with, repo_root, stderr, stdout};
use std::path::Path;

const VPN_WITHOUT_NAME: &str = "MIN_REPLICAS=2\n\
    # GLUETUN_CONTAINER_NAME=gluetun\n\
    VPN_SERVICE_PROVIDER=protonvpn\n\
    VPN_TYPE=wireguard\n\
    WIREGUARD_PRIVATE_KEY=wg-s3cret-value\n";

fn refused_with(dir: &Path, args: &[&str], code: &str) -> String {
    let output = acegen(dir, args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {err}");
    assert!(err.contains(&format!("error[{code}]")), "{args:?}: {err}");
    assert!(stdout(&output).is_empty(), "nothing is written on an error");
    err
}

#[test]
fn gluetun_settings_without_a_vpn_name_are_refused_everywhere() {
    let dir = folder_with(&[(".env", VPN_WITHOUT_NAME)]);
    for args in [
        &["check", "--strict"][..],
        &[],
        &["--stack", "orchestrator"],
        &["--target", "kubernetes"],
    ] {
        let err = refused_with(dir.path(), args, "E0430");
        assert!(!err.contains("wg-s3cret-value"), "{err}");
    }
    let err = refused_with(dir.path(), &["check"], "E0430");
    assert!(err.contains(".env:3:1"), "at the first VPN setting: {err}");
    assert!(err.contains("GLUETUN_CONTAINER_NAME is not set"), "{err}");
    assert!(err.contains("set GLUETUN_CONTAINER_NAME=gluetun"), "{err}");
}

#[test]
fn an_emptied_or_mistyped_vpn_name_is_refused_too() {
    let named = folder_with(&[(
        ".env",
        "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=custom\n",
    )]);
    assert!(acegen(named.path(), &["check", "--strict"])
        .status
        .success());
    let err = refused_with(
        named.path(),
        &["check", "--set", "GLUETUN_CONTAINER_NAME="],
        "E0430",
    );
    assert!(err.contains("--set GLUETUN_CONTAINER_NAME="), "{err}");
    let mistyped = folder_with(&[(
        ".env",
        "GLUETUN_CONTAINER=gluetun\nVPN_SERVICE_PROVIDER=custom\n",
    )]);
    let err = refused_with(mistyped.path(), &["check"], "E0430");
    assert!(err.contains("error[E0110]: GLUETUN_CONTAINER:"), "{err}");
    assert!(
        err.contains("did you mean GLUETUN_CONTAINER_NAME?"),
        "{err}"
    );
}

#[test]
fn no_example_has_gluetun_settings_without_a_vpn() {
    for example in common::example_dirs() {
        let mut args = vec!["check".to_owned()];
        args.extend(common::example_args(&example));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = stderr(&acegen(&example, &args));
        assert!(!err.contains("E0430"), "{}: {err}", example.display());
    }
}

#[test]
fn near_misses_of_keys_that_decide_what_runs_are_errors() {
    for (line, meant) in [
        ("max_replicas=8", "MAX_REPLICAS"),
        ("MIN_REPLICA=4", "MIN_REPLICAS"),
        ("Port_Bind_IP=127.0.0.1", "PORT_BIND_IP"),
        ("GLUETUN_API_KEX=k3y-value", "GLUETUN_API_KEY"),
    ] {
        let dir = folder_with(&[(".env", &format!("{line}\n"))]);
        let err = refused_with(dir.path(), &["check"], "E0110");
        assert!(err.contains(&format!("did you mean {meant}?")), "{err}");
        assert!(!err.contains("k3y-value"), "{err}");
    }
    let dir = folder_with(&[(".env", "")]);
    let err = refused_with(dir.path(), &["check", "--set", "min_replicas=4"], "E0110");
    assert!(err.contains("--set min_replicas"), "{err}");
}

#[test]
fn other_near_misses_stay_warnings() {
    let dir = folder_with(&[(".env", "engine_variant=jopsis-amd64\nENGIN_VARIAN=x\n")]);
    let output = acegen(dir.path(), &["check"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning[W0101]").count(), 2, "{err}");
    assert!(err.contains("did you mean ENGINE_VARIANT?"), "{err}");
}

#[test]
fn the_orchestrators_own_env_draws_no_near_miss() {
    for file in [
        "examples/orchestrator/.env",
        "tests/fixtures/reference/orchestrator.env.example",
    ] {
        let path = repo_root().join(file);
        let output = acegen(
            &repo_root(),
            &["check", "--env-file", path.to_str().unwrap()],
        );
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(0), "{file}: {err}");
        assert!(
            !err.contains("E0110") && !err.contains("W0101"),
            "{file}: {err}"
        );
    }
}

/// Runs `acegen init new/stack` in a fresh folder; returns the folder and the stack's path.
fn initialised() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let output = acegen(dir.path(), &["init", "new/stack"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stack = dir.path().join("new/stack");
    (dir, stack)
}

fn passes_strict(stack: &Path, args: &[&str]) {
    let mut all = vec!["check", "--strict"];
    all.extend_from_slice(args);
    let output = acegen(stack, &all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
}

#[test]
fn init_makes_the_folder_and_its_files_pass_strict_checks() {
    let (_dir, stack) = initialised();
    passes_strict(&stack, &[]);
    passes_strict(&stack, &["--stack", "orchestrator"]);
    // Adding a VPN name, on the command line or by uncommenting its block.
    passes_strict(&stack, &["--set", "GLUETUN_CONTAINER_NAME=gluetun"]);
    passes_strict(
        &stack,
        &[
            "--stack",
            "orchestrator",
            "--set",
            "GLUETUN_CONTAINER_NAME=gluetun",
        ],
    );
    let env = stack.join(".env");
    let text = std::fs::read_to_string(&env).unwrap();
    let uncommented = text
        .replace("# GLUETUN_CONTAINER_NAME=", "GLUETUN_CONTAINER_NAME=")
        .replace("# VPN_SERVICE_PROVIDER=", "VPN_SERVICE_PROVIDER=");
    std::fs::write(&env, uncommented).unwrap();
    passes_strict(&stack, &["--stack", "orchestrator"]);
    passes_strict(&stack, &[]);
}

#[test]
fn init_files_pass_with_the_custom_variant_enabled() {
    let (_dir, stack) = initialised();
    let variant = stack.join("custom_engine_variant.json");
    let text = std::fs::read_to_string(&variant).unwrap();
    assert!(text.contains("\"enabled\": false,"));
    std::fs::write(
        &variant,
        text.replacen("\"enabled\": false,", "\"enabled\": true,", 1),
    )
    .unwrap();
    passes_strict(&stack, &[]);
    let output = acegen(&stack, &[]);
    assert!(
        stdout(&output).contains("nano-ace"),
        "the custom variant is used"
    );
}

#[test]
fn init_refuses_to_overwrite() {
    let (dir, _stack) = initialised();
    let again = acegen(dir.path(), &["init", "new/stack"]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn a_stack_publishing_very_many_ports_is_warned_about() {
    let redundant = "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\n\
        GLUETUN_CONTAINER_NAME_2=gluetun2\nGLUETUN_API_PORT=8001\n\
        GLUETUN_PORT_RANGE_1=19000-19499\nGLUETUN_PORT_RANGE_2=19500-19999\n\
        DOCKER_NETWORK=aceserver\n";
    let dir = folder_with(&[(".env", redundant)]);
    let err = stderr(&acegen(dir.path(), &["check", "--stack", "orchestrator"]));
    assert!(err.contains("warning[W0430]"), "{err}");
    assert!(err.contains("publishes 1003 host ports"), "{err}");
    let single = "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_API_PORT=8001\n\
        GLUETUN_PORT_RANGE_1=19000-19499\nDOCKER_NETWORK=aceserver\n";
    let dir = folder_with(&[(".env", single)]);
    let err = stderr(&acegen(dir.path(), &["check", "--stack", "orchestrator"]));
    assert!(!err.contains("W0430"), "502 ports pass: {err}");
}

#[test]
fn many_engines_publishing_their_own_ports_warn_on_compose_only() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=520\nMAX_REPLICAS=520\n")]);
    let err = stderr(&acegen(dir.path(), &["check"]));
    assert!(err.contains("publishes 520 host ports"), "{err}");
    let err = stderr(&acegen(dir.path(), &["check", "--target", "kubernetes"]));
    assert!(
        !err.contains("W0430"),
        "no docker-proxy on Kubernetes: {err}"
    );
}

#[test]
fn a_gluetun_style_near_miss_of_vpn_mode_is_an_error() {
    let dir = folder_with(&[(
        ".env",
        "GLUETUN_CONTAINER_NAME=g1\nGLUETUN_CONTAINER_NAME_2=g2\nVPN_MDOE=redundant\n",
    )]);
    let err = refused_with(dir.path(), &["check"], "E0110");
    assert!(err.contains("did you mean VPN_MODE?"), "{err}");
}

#[test]
fn custom_variant_errors_are_in_words_and_all_at_once() {
    let variant = r#"{
  "enabled": true,
  "platform": "amd64",
  "memory_limit": "1GB",
  "parameters": [
    {"name": "--live-bufer", "type": "int", "value": "ten", "enabled": true}
  ]
}"#;
    let dir = folder_with(&[(".env", ""), ("custom_engine_variant.json", variant)]);
    let err = refused_with(dir.path(), &["check"], "E0302");
    assert!(err.contains("expected a size such as 512m or 1g"), "{err}");
    assert!(
        err.contains("expected a whole number, found `\"ten\"`"),
        "{err}"
    );
    assert!(
        !err.contains("^(") && !err.contains("does not match"),
        "{err}"
    );
    assert!(
        err.contains("warning[W0301]"),
        "listed with the errors: {err}"
    );
}

#[test]
fn a_trailing_comma_is_reported_at_the_comma() {
    let variant = "{\n  \"enabled\": false,\n  \"parameters\": [\n    {\"name\": \"--live-buffer\", \"type\": \"int\", \"value\": 10, \"enabled\": true},\n  ]\n}\n";
    let dir = folder_with(&[(".env", ""), ("custom_engine_variant.json", variant)]);
    let err = refused_with(dir.path(), &["check"], "E0301");
    assert!(err.contains("custom_engine_variant.json:4:75"), "{err}");
}

#[test]
fn an_access_token_in_clear_is_warned_about_without_its_value() {
    let variant = r#"{"enabled": true, "platform": "amd64", "parameters": [
    {"name": "--access-token", "type": "string", "value": "t0ken-value", "enabled": true}]}"#;
    let dir = folder_with(&[(".env", ""), ("custom_engine_variant.json", variant)]);
    let output = acegen(dir.path(), &["check", "--format", "text"]);
    let err = stderr(&output);
    assert!(
        err.contains("warning[W0310]: parameter `--access-token` (line 2)"),
        "{err}"
    );
    assert!(!err.contains("t0ken-value"), "{err}");
    let json = stdout(&acegen(dir.path(), &["check", "--format", "json"]));
    assert!(
        json.contains("W0310") && !json.contains("t0ken-value"),
        "{json}"
    );
}

/// The README's first set-up command runs on an example a user sees
/// first: it must be clean (`check --strict` passes).
#[test]
fn the_readmes_first_command_uses_a_clean_example() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let setup = readme.split("## Set-up").nth(1).expect("a Set-up section");
    let first = setup
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .nth(1)
        .expect("a first command");
    let words: Vec<&str> = first.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| *w == "--env-file")
        .expect("--env-file");
    let env_file = words[at + 1];
    let output = acegen(&repo_root(), &["check", "--strict", "--env-file", env_file]);
    assert!(output.status.success(), "{first}: {}", stderr(&output));
    assert!(stderr(&output).contains("0 errors, 0 warnings"));
}
