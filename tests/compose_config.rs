//! Every generated file goes through the real `docker compose config`
//! (`ACEGEN_COMPOSE`), run in the folder of its `.env` with a clean
//! environment, as a user would run it: compose must accept it (exit code
//! checked), and every value acegen passes by reference (`${KEY}`) must come
//! out exactly as acegen's reader reads KEY from that `.env`.
//!
//! The files are each example's `docker-compose.yml` and the outputs of a
//! property test over random valid configurations (fixed seed, 24 cases)
//! whose Gluetun values use every quoting style and awkward characters.

mod common;

use acegen::load::dotenv;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// `docker compose config --format json` in `dir`, with nothing in the
/// environment: compose reads `dir/.env` as the user's would.
fn compose_config(compose: &Path, dir: &Path) -> Result<Value, String> {
    let output = Command::new(compose)
        .env_clear()
        .current_dir(dir)
        .args(["-f", "docker-compose.yml", "config", "--format", "json"])
        .output()
        .expect("docker compose runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&output.stdout).expect("compose prints JSON"))
}

/// Each `${NAME}` in `raw` replaced by acegen's reading of NAME, `$$` by `$`.
fn as_acegen_reads(raw: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("$$") {
            out.push('$');
            rest = after;
        } else if let Some(close) = tail.strip_prefix("${").and_then(|t| t.find('}')) {
            let name = &tail[2..2 + close];
            out.push_str(env.get(name).map_or("", String::as_str));
            rest = &tail[close + 3..];
        } else {
            out.push('$');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Checks one folder holding `.env` and acegen's `docker-compose.yml`;
/// returns how many references were compared.
fn check_folder(compose: &Path, dir: &Path) -> usize {
    let env_text = std::fs::read_to_string(dir.join(".env")).unwrap_or_default();
    let env = dotenv::parse(&env_text, &|_| None).to_map();
    let generated = std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap();
    let ours: serde_yaml::Value = serde_yaml::from_str(&generated).unwrap();
    let theirs = compose_config(compose, dir).unwrap_or_else(|message| {
        panic!(
            "docker compose refused acegen's output in {}: {message}\n.env:\n{env_text}\n{generated}",
            dir.display()
        )
    });
    let mut compared = 0;
    let services = ours["services"].as_mapping().expect("services");
    for (service, definition) in services {
        let service = service.as_str().unwrap();
        let Some(environment) = definition["environment"].as_mapping() else {
            continue;
        };
        for (key, raw) in environment {
            let (key, raw) = (key.as_str().unwrap(), raw.as_str().unwrap_or(""));
            if !raw.contains("${") {
                continue;
            }
            let composed = theirs["services"][service]["environment"][key]
                .as_str()
                .unwrap_or_else(|| panic!("{service}.{key} is missing from compose's output"))
                .replace("$$", "$");
            assert_eq!(
                composed,
                as_acegen_reads(raw, &env),
                "{service}.{key} in {}: compose and acegen read `{raw}` differently",
                dir.display()
            );
            if key == "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE" {
                let role: Value = serde_json::from_str(&composed).expect("the auth role is JSON");
                assert_eq!(
                    role["apikey"].as_str(),
                    env.get("GLUETUN_API_KEY").map(String::as_str)
                );
            }
            compared += 1;
        }
    }
    compared
}

#[test]
fn every_example_is_accepted_by_docker_compose_with_the_values_acegen_read() {
    let Some(compose) = common::compose_binary() else {
        return;
    };
    let mut compared = 0;
    for dir in common::example_dirs() {
        compared += check_folder(&compose, &dir);
    }
    println!("compose_config: examples accepted, {compared} references compared");
    assert!(compared >= 10, "the VPN examples pass keys by reference");
}

/// A value as a user might write it, and how it is quoted in `.env`.
fn written_value() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        "a", "Z", "0", " ", "#", " #", "'", "\"", "\\", "$$", "=", ":", "{", "}", "é", "日", "\t",
    ]);
    let text = prop::collection::vec(chars, 1..8).prop_map(|parts| parts.concat());
    (text, 0..3usize).prop_map(|(text, quoting)| match quoting {
        // Single quotes: literal, `\'` for a quote.
        0 if !text.ends_with('\\') => format!("'{}'", text.replace('\'', "\\'")),
        // Double quotes: escape what would end or change the value.
        1 => format!(
            "\"{}\"",
            text.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace("$$", "\\$")
        ),
        // Unquoted: only what compose keeps as written.
        _ => text
            .replace([' ', '\t', '#', '\'', '"', '\\'], "")
            .replace('$', "$$")
            .replace("$$$$", "$$"),
    })
}

fn configuration() -> impl Strategy<Value = String> {
    let gluetun_keys = prop::collection::btree_map(
        prop::sample::select(vec![
            "VPN_SERVICE_PROVIDER",
            "VPN_TYPE",
            "WIREGUARD_PRIVATE_KEY",
            "WIREGUARD_ADDRESSES",
            "OPENVPN_USER",
            "OPENVPN_PASSWORD",
            "SERVER_COUNTRIES",
            "SERVER_CITIES",
            "TZ",
            "FIREWALL_OUTBOUND_SUBNETS",
        ]),
        written_value(),
        0..6,
    );
    (
        0..3usize,
        1..4usize,
        gluetun_keys,
        prop::option::of("[a-zA-Z0-9 ._-]{1,12}"),
        any::<bool>(),
    )
        .prop_map(|(vpns, engines, keys, api_key, export)| {
            let mut env = format!("MIN_REPLICAS={engines}\n");
            if vpns >= 1 {
                env.push_str("GLUETUN_CONTAINER_NAME=gluetun\n");
            }
            if vpns == 2 {
                env.push_str(
                    "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME_2=gluetun2\n\
                     GLUETUN_PORT_RANGE_1=19000-19499\nGLUETUN_PORT_RANGE_2=19500-19999\n",
                );
            }
            if let Some(key) = api_key {
                env.push_str(&format!("GLUETUN_API_KEY=\"{key}\"\n"));
            }
            // Gluetun settings without a VPN name are refused (E0430): the
            // generator gives them only to configurations with a VPN.
            for (key, value) in keys.into_iter().filter(|_| vpns >= 1) {
                let prefix = if export { "export " } else { "" };
                env.push_str(&format!("{prefix}{key}={value}\n"));
                if vpns == 2 && key.starts_with("WIREGUARD") {
                    env.push_str(&format!("{key}_2={value}x\n"));
                }
            }
            env
        })
}

#[test]
fn random_valid_configurations_are_accepted_by_docker_compose() {
    let Some(compose) = common::compose_binary() else {
        return;
    };
    let config = Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    };
    let seed = *b"acegen compose config proptest!!";
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let compared = std::cell::Cell::new(0);
    runner
        .run(&configuration(), |env| {
            let dir = common::folder_with(&[(".env", &env)]);
            let output = common::acegen(dir.path(), &["-o", "docker-compose.yml"]);
            prop_assert!(
                output.status.success(),
                "acegen refused a valid configuration:\n{env}\n{}",
                common::stderr(&output)
            );
            compared.set(compared.get() + check_folder(&compose, dir.path()));
            Ok(())
        })
        .unwrap();
    let compared = compared.get();
    println!("compose_config: 24 random configurations accepted, {compared} references compared");
    assert!(compared > 0);
}
