//! `--stack orchestrator`: the orchestrator's two reference setups
//! reproduced from a `.env`, and the host-port checks, through the binary.

mod common;

use common::{acegen, compose_binary, folder_with, repo_root, stderr, stdout};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("YAML")
}

fn reference(name: &str) -> Value {
    let path = repo_root().join("tests/fixtures/reference").join(name);
    yaml(&std::fs::read_to_string(path).unwrap())
}

fn example(name: &str) -> Value {
    let path = repo_root()
        .join("examples")
        .join(name)
        .join("docker-compose.yml");
    yaml(&std::fs::read_to_string(path).unwrap())
}

/// A service's published ports without the address, as a set.
fn host_ports(service: &Value) -> BTreeSet<String> {
    service["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .unwrap()
                .trim_start_matches("127.0.0.1:")
                .to_owned()
        })
        .collect()
}

/// The reference's `environment` list item `KEY=VALUE`'s value.
fn listed(service: &Value, key: &str) -> Option<String> {
    service["environment"].as_array()?.iter().find_map(|item| {
        let (k, v) = item.as_str()?.split_once('=')?;
        (k == key).then(|| v.trim().to_owned())
    })
}

/// The topology of the orchestrator's reference file, service by service:
/// the same services, VPN ports and control servers, and the same
/// orchestrator service (image, env_file, socket, port, restart,
/// depends_on, network).
fn assert_same_topology(reference: &Value, generated: &Value) {
    let names = |doc: &Value| -> BTreeSet<String> {
        doc["services"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(names(reference), names(generated));
    for (name, theirs) in reference["services"].as_object().unwrap() {
        let ours = &generated["services"][name];
        assert_eq!(ours["container_name"], theirs["container_name"], "{name}");
        assert_eq!(host_ports(ours), host_ports(theirs), "{name}");
        assert_eq!(ours["networks"], theirs["networks"], "{name}");
        if name == "orchestrator" {
            for key in ["image", "env_file", "volumes", "restart"] {
                assert_eq!(ours[key], theirs[key], "orchestrator {key}");
            }
            assert_eq!(ours["depends_on"], theirs["depends_on"]);
        } else {
            assert_eq!(
                ours["environment"]["HTTP_CONTROL_SERVER_ADDRESS"].as_str(),
                listed(theirs, "HTTP_CONTROL_SERVER_ADDRESS").as_deref(),
                "{name}"
            );
        }
    }
    let network = |doc: &Value| doc["networks"]["aceserver"]["name"].clone();
    assert_eq!(network(generated), network(reference));
}

#[test]
fn the_single_vpn_reference_setup_is_reproduced_from_its_env() {
    assert_same_topology(
        &reference("orchestrator.docker-compose.gluetun.yml"),
        &example("orchestrator-gluetun"),
    );
}

#[test]
fn the_redundant_reference_setup_is_reproduced_from_its_env() {
    assert_same_topology(
        &reference("orchestrator.docker-compose.gluetun-redundant.yml"),
        &example("orchestrator-gluetun-redundant"),
    );
}

#[test]
fn diff_lists_what_differs_from_the_hand_written_file() {
    let dir = repo_root().join("examples/orchestrator-gluetun-redundant");
    let reference = repo_root()
        .join("tests/fixtures/reference/orchestrator.docker-compose.gluetun-redundant.yml");
    let output = acegen(
        &dir,
        &[
            "diff",
            "--stack",
            "orchestrator",
            "--semantic",
            reference.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output).replace(reference.to_str().unwrap(), "reference.yml");
    insta::assert_snapshot!("orchestrator_redundant_semantic_diff", text);
}

#[test]
fn the_orchestrators_own_env_with_a_vpn_clashes_on_port_8000() {
    let env = "APP_PORT=8000\nGLUETUN_CONTAINER_NAME=gluetun\nMAX_REPLICAS=6\n";
    let dir = folder_with(&[(".env", env)]);
    for stack in ["engines", "orchestrator"] {
        let output = acegen(dir.path(), &["check", "--stack", stack]);
        assert_eq!(output.status.code(), Some(1), "{stack}");
        let text = stderr(&output);
        assert!(
            text.contains(
                "error[E0420]: host port 8000 on 127.0.0.1 is published twice: APP_PORT 8000"
            ) && text.contains(".env:1:10")
                && text.contains("GLUETUN_API_PORT 8000 (gluetun's control server) by default"),
            "{stack}: {text}"
        );
    }
}

#[test]
fn redundant_mode_without_per_vpn_ranges_is_refused_for_the_orchestrator() {
    let env = "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\nGLUETUN_API_PORT=8001\n";
    let dir = folder_with(&[(".env", env)]);
    let output = acegen(dir.path(), &["--stack", "orchestrator"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains("error[E0421]"),
        "{}",
        stderr(&output)
    );
    // The engines shape splits PORT_RANGE_HOST instead, and is valid.
    assert_eq!(acegen(dir.path(), &[]).status.code(), Some(0));
}

#[test]
fn check_warns_when_engines_carry_the_label_of_the_orchestrator_the_env_configures() {
    let dir = repo_root().join("examples/orchestrator");
    let output = acegen(&dir, &["check"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stderr(&output);
    assert!(text.contains("warning[W0422]"), "{text}");
    assert!(text.contains(".env:2:10"), "{text}");
    let relabelled = acegen(
        &dir,
        &["check", "--set", "CONTAINER_LABEL=acegen.engines=static"],
    );
    assert!(!stderr(&relabelled).contains("W0422"));
}

#[test]
fn explain_describes_the_orchestrator_and_its_engines() {
    let dir = repo_root().join("examples/orchestrator-gluetun");
    let output = acegen(
        &dir,
        &["explain", "--stack", "orchestrator", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["stack"], "orchestrator");
    assert_eq!(value["engines"], json!([]));
    assert_eq!(value["orchestrator"]["app_port"], 8000);
    assert_eq!(value["orchestrator"]["min_replicas"], 10);
    assert_eq!(
        value["orchestrator"]["engine_ports"],
        json!(["19000-19499"])
    );
    let text = stdout(&acegen(&dir, &["explain", "--stack", "orchestrator"]));
    assert!(
        text.contains(
            "Engines: none in this file; the orchestrator starts 10 (MIN_REPLICAS at .env:8)"
        ),
        "{text}"
    );
}

#[test]
fn the_real_compose_accepts_both_reference_setups() {
    let Some(compose) = compose_binary() else {
        return;
    };
    for name in ["orchestrator-gluetun", "orchestrator-gluetun-redundant"] {
        let dir = repo_root().join("examples").join(name);
        let output = std::process::Command::new(&compose)
            .current_dir(&dir)
            .args(["config", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let config: Value = serde_json::from_slice(&output.stdout).unwrap();
        let orchestrator = &config["services"]["orchestrator"];
        // env_file reached the orchestrator: compose read the .env beside the file.
        assert_eq!(orchestrator["environment"]["IDLE_TTL_S"], "600", "{name}");
        assert_eq!(orchestrator["ports"][0]["published"], "8000", "{name}");
    }
}

#[test]
fn explain_text_for_the_redundant_orchestrator_stack() {
    let dir = repo_root().join("examples/orchestrator-gluetun-redundant");
    let output = acegen(&dir, &["explain", "--stack", "orchestrator"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    for line in env
        .lines()
        .filter(|l| l.starts_with("WIREGUARD_PRIVATE_KEY"))
    {
        let secret = line.split_once('=').unwrap().1;
        assert!(!text.contains(secret), "a WireGuard key was printed");
    }
    insta::assert_snapshot!("orchestrator_redundant_explain_text", text);
}

#[test]
fn env_file_names_the_env_given_and_set_values_reach_the_orchestrator() {
    let dir = folder_with(&[]);
    std::fs::create_dir(dir.path().join("conf")).unwrap();
    std::fs::write(
        dir.path().join("conf/prod.env"),
        "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_API_PORT=8001\nTZ=Europe/Madrid\n",
    )
    .unwrap();
    let output = acegen(
        dir.path(),
        &[
            "--stack",
            "orchestrator",
            "--env-file",
            "conf/prod.env",
            "--set",
            "MAX_REPLICAS=20",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document = yaml(&stdout(&output));
    let services = &document["services"];
    // Printed, the file is meant to go beside the .env (the header's
    // regenerate command writes it there): compose reads `env_file:` from
    // the compose file's folder.
    assert_eq!(services["orchestrator"]["env_file"], "prod.env");
    // The orchestrator numbers engines behind the VPN 19000 + MAX_REPLICAS,
    // and sees the MAX_REPLICAS acegen resolved the ports with.
    assert_eq!(
        services["orchestrator"]["environment"]["MAX_REPLICAS"],
        "20"
    );
    assert_eq!(
        services["gluetun"]["ports"],
        json!(["127.0.0.1:8001:8001", "19000-19019:19000-19019"])
    );
}

/// The rows of the orchestrator rule table in docs/development/spec.md: the `.env`
/// line and the code acegen gives it (`None` for "accepted").
fn orchestrator_rule_table() -> Vec<(String, Option<String>)> {
    let spec = std::fs::read_to_string(repo_root().join("docs/development/spec.md")).unwrap();
    let start = spec
        .find("<!-- orchestrator-rules:start -->")
        .expect("table start");
    let end = spec
        .find("<!-- orchestrator-rules:end -->")
        .expect("table end");
    spec[start..end]
        .lines()
        // Rows only: the header's first cell has no `=`.
        .filter(|line| line.starts_with("| `") && line.split(" | ").next().unwrap().contains('='))
        .map(|line| {
            let cells: Vec<&str> = line
                .split(" | ")
                .map(|c| c.trim_matches('|').trim())
                .collect();
            let input = cells[0].trim_matches('`').to_owned();
            let code = cells[cells.len() - 1];
            let code = (code != "accepted").then(|| code.to_owned());
            (input, code)
        })
        .collect()
}

#[test]
fn every_row_of_the_orchestrator_rule_table_holds_in_both_stacks() {
    let rows = orchestrator_rule_table();
    assert!(
        rows.len() >= 7,
        "the table in docs/development/spec.md lost rows: {rows:?}"
    );
    for (line, code) in rows {
        // A VPN so that VPN_MODE matters; per-VPN ranges so that redundant
        // mode is valid for the orchestrator's stack too.
        let env = format!(
            "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\n\
             GLUETUN_PORT_RANGE_1=19000-19099\nGLUETUN_PORT_RANGE_2=19100-19199\n\
             GLUETUN_API_PORT=8001\n{line}\n"
        );
        let dir = folder_with(&[(".env", &env)]);
        for stack in ["engines", "orchestrator"] {
            let output = acegen(dir.path(), &["check", "--stack", stack, "--format", "json"]);
            let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON report");
            let errors: Vec<(&str, u64)> = report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["severity"] == "error")
                .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap_or(0)))
                .collect();
            match &code {
                Some(code) => assert_eq!(
                    errors,
                    vec![(code.as_str(), 6)],
                    "{line} ({stack}): expected {code} at the line"
                ),
                None => assert_eq!(errors, vec![], "{line} ({stack})"),
            }
        }
    }
}

/// The orchestrator stack written with `-C stack -o stack/docker-compose.yml`,
/// `-o deploy/docker-compose.yml --env-file conf/prod.env`, and compared
/// by `diff FILE`: `env_file:` names the `.env` from the written file's
/// folder, which is where compose looks, so the real compose finds it
/// wherever it is run from.
#[test]
fn env_file_is_written_relative_to_the_output_file_and_compose_finds_it() {
    let dir = folder_with(&[]);
    let root = dir.path();
    for folder in ["stack", "conf", "deploy"] {
        std::fs::create_dir(root.join(folder)).unwrap();
    }
    let env =
        "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_API_PORT=8001\nIDLE_TTL_S=600\nTZ=Europe/Madrid\n";
    std::fs::write(root.join("stack/.env"), env).unwrap();
    std::fs::write(root.join("conf/prod.env"), env).unwrap();
    let runs: [(&[&str], &str, &str); 2] = [
        (
            &[
                "-C",
                "stack",
                "--stack",
                "orchestrator",
                "-o",
                "stack/docker-compose.yml",
            ],
            "stack/docker-compose.yml",
            ".env",
        ),
        (
            &[
                "--stack",
                "orchestrator",
                "--env-file",
                "conf/prod.env",
                "-o",
                "deploy/docker-compose.yml",
            ],
            "deploy/docker-compose.yml",
            "../conf/prod.env",
        ),
    ];
    for (args, file, expected) in runs {
        let output = acegen(root, args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let written = yaml(&std::fs::read_to_string(root.join(file)).unwrap());
        assert_eq!(
            written["services"]["orchestrator"]["env_file"], expected,
            "{args:?}"
        );
        // `diff FILE` generates for FILE's folder too: nothing differs.
        let mut diff_args = vec!["diff"];
        diff_args.extend_from_slice(&args[..args.len() - 2]);
        diff_args.push(file);
        let diff = acegen(root, &diff_args);
        assert_eq!(
            diff.status.code(),
            Some(0),
            "{}{}",
            stdout(&diff),
            stderr(&diff)
        );
        let Some(compose) = compose_binary() else {
            continue;
        };
        let config = std::process::Command::new(&compose)
            .current_dir(root)
            .args(["-f", file, "config", "--format", "json"])
            .env_remove("COMPOSE_FILE")
            .output()
            .unwrap();
        assert!(
            config.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&config.stderr)
        );
        let config: Value = serde_json::from_slice(&config.stdout).unwrap();
        assert_eq!(
            config["services"]["orchestrator"]["environment"]["IDLE_TTL_S"], "600",
            "{file}: compose read the .env through env_file"
        );
    }
}

#[test]
fn the_orchestrator_stack_refuses_a_env_from_standard_input() {
    let dir = folder_with(&[(".env", "TZ=UTC\n")]);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_acegen"))
        .current_dir(dir.path())
        .args(["--stack", "orchestrator", "--env-file", "-"])
        .stdin(std::fs::File::open(dir.path().join(".env")).unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("give --env-file a file"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty(), "nothing generated");
}
