//! `--orchestrator 2.1` through the binary, on examples/orchestrator-2.1 (a
//! 1.x single-VPN `.env` taken to 2.1): the key report of `check` in every
//! format, the settings body (golden: settings.json, regenerate with
//! `ACEGEN_UPDATE_EXAMPLES=1`), the refused engines stack, `diff`, `explain`,
//! and no secret of the `.env` in any output.

mod common;

use common::{acegen, folder_with, repo_root, stderr, stdout};
use serde_json::Value;
use std::path::PathBuf;

fn example() -> PathBuf {
    repo_root().join("examples/orchestrator-2.1")
}

fn check_json(dir: &std::path::Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--orchestrator", "2.1", "--format", "json"];
    args.extend_from_slice(extra);
    let output = acegen(dir, &args);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("the JSON envelope");
    (report, output.status.code().unwrap())
}

/// The code of the diagnostic on `line` of `.env`.
fn code_on_line(report: &Value, line: u64) -> Vec<&str> {
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let on = diagnostics
        .iter()
        .filter(|d| d["file"] == ".env" && d["line"] == line);
    on.map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn check_says_for_every_key_what_2_1_does_with_it() {
    let dir = example();
    let (report, code) = check_json(&dir, &[]);
    assert_eq!(code, 0, "{report:#}");
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    let mut expected = std::collections::BTreeMap::new();
    for (index, line) in env.lines().enumerate() {
        if let Some((key, _)) = line.split_once('=').filter(|_| !line.starts_with('#')) {
            let codes = code_on_line(&report, index as u64 + 1);
            assert_eq!(codes.len(), 1, "{key}: {codes:?}");
            expected.insert(key, codes[0]);
        }
    }
    // Facts of 2.1's code (src/orchestrator21/keys*.rs names each place).
    for (key, code) in [
        ("MIN_REPLICAS", "W1002"),          // config.go ApplyEngineSettings
        ("DOCKER_NETWORK", "W1002"),        // config.go ApplyOrchestratorSettings
        ("PORT_RANGE_HOST", "N1001"),       // engine/ports.go newPortAllocator, at package init
        ("CONTAINER_LABEL", "N1001"),       // config.go load()
        ("IDLE_TTL_S", "W1005"),            // docs/CONFIG.md only
        ("VPN_MODE", "W1003"),              // settings.go normalizeVPNSettings deletes it
        ("WIREGUARD_PRIVATE_KEY", "W1003"), // node_provisioner.go applyCredentialEnv
        ("GLUETUN_PORT_RANGE_1", "N1001"),  // engine/ports.go newPortAllocator
        ("HEALTH_TARGET_ADDRESS", "W1003"), // a Gluetun setting
    ] {
        assert_eq!(expected[key], code, "{key}");
    }
    assert_eq!(report["error_count"], 0);
}

#[test]
fn values_2_1_misreads_fail_the_check_and_the_stack() {
    let dir = folder_with(&[(
        ".env",
        "ENGINE_VARIANT=jopsis-amd64\nREPUTATION_ENABLED=yes\nMIN_REPLICAS=10\n",
    )]);
    let (report, code) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(code_on_line(&report, 1), vec!["E1010"]);
    assert_eq!(report["diagnostics"][0]["column"], 16, "at the value");
    let generate = acegen(
        dir.path(),
        &["--stack", "orchestrator", "--orchestrator", "2.1"],
    );
    assert_eq!(generate.status.code(), Some(1));
    assert!(stdout(&generate).is_empty());
}

#[test]
fn github_and_text_formats_carry_the_notes() {
    let env = std::fs::read_to_string(example().join(".env")).unwrap();
    let line_of = |key: &str| env.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    let args = ["check", "--orchestrator", "2.1", "--format", "github"];
    let text = stdout(&acegen(&example(), &args));
    let label = line_of("CONTAINER_LABEL=");
    let notice = format!("::notice file=.env,line={label},col=1,title=N1001::");
    let replicas = line_of("MIN_REPLICAS=");
    let warning = format!("::warning file=.env,line={replicas},col=1,title=W1002::");
    assert!(text.contains(&notice), "{text}");
    assert!(text.contains(&warning), "{text}");
    let plain = acegen(&example(), &["check", "--orchestrator", "2.1"]);
    let err = stderr(&plain);
    assert!(err.contains("note[N1001]"), "{err}");
    assert!(err.contains("error, ") || err.contains("0 errors"), "{err}");
}

#[test]
fn settings_prints_the_store_body_for_the_env() {
    let dir = example();
    let output = acegen(&dir, &["settings", "--orchestrator", "2.1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let body = stdout(&output);
    let golden_path = dir.join("settings.json");
    if std::env::var_os("ACEGEN_UPDATE_EXAMPLES").is_some() {
        std::fs::write(&golden_path, &body).unwrap();
    }
    assert_eq!(
        body,
        std::fs::read_to_string(&golden_path).unwrap_or_default()
    );
    let value: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["engine_settings"]["min_replicas"], 10);
    assert_eq!(
        value["vpn_settings"]["enabled"], true,
        "GLUETUN_CONTAINER_NAME switched the VPN on in 1.x"
    );
    assert!(stderr(&output).contains("/api/v1/settings/vpn/credentials"));
    let refused = acegen(&dir, &["settings"]);
    assert_eq!(refused.status.code(), Some(2), "1.x has no settings store");
}

#[test]
fn settings_refuses_a_value_the_store_would_not_keep() {
    let dir = folder_with(&[(".env", "MAX_STREAMS_PER_ENGINE=50\n")]);
    let output = acegen(dir.path(), &["settings", "--orchestrator", "2.1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("E1011"), "{}", stderr(&output));
}

#[test]
fn the_engines_stack_is_refused_with_the_reason() {
    let output = acegen(&example(), &["--orchestrator", "2.1"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    for needle in [
        "CONTAINER_LABEL",
        "Gluetun",
        "--stack orchestrator",
        "acegen settings",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert!(stdout(&output).is_empty());
}

#[test]
fn diff_and_explain_work_on_the_2_1_stack() {
    let dir = example();
    let args = ["--stack", "orchestrator", "--orchestrator", "2.1"];
    let diff = acegen(&dir, &[&["diff"][..], &args].concat());
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    let explain = acegen(
        &dir,
        &[&["explain", "--format", "json"][..], &args].concat(),
    );
    assert!(explain.status.success(), "{}", stderr(&explain));
    let value: Value = serde_json::from_str(&stdout(&explain)).unwrap();
    assert_eq!(
        value["stack"]["image"],
        "ghcr.io/krinkuto11/acestream-orchestrator:v2.1.0.2"
    );
    assert_eq!(value["settings"]["engine_settings"]["min_replicas"], 10);
    let keys = value["keys"].as_array().unwrap();
    assert!(keys
        .iter()
        .any(|k| k["key"] == "MIN_REPLICAS" && k["field"] == "engine_settings.min_replicas"));
}

#[test]
fn no_output_holds_a_secret_of_the_env() {
    let dir = example();
    let runs: [&[&str]; 5] = [
        &["check", "--orchestrator", "2.1", "--format", "json"],
        &["settings", "--orchestrator", "2.1"],
        &[
            "explain",
            "--stack",
            "orchestrator",
            "--orchestrator",
            "2.1",
        ],
        &["--stack", "orchestrator", "--orchestrator", "2.1"],
        &["check", "--orchestrator", "2.1", "--format", "github"],
    ];
    for args in runs {
        let output = acegen(&dir, args);
        let all = stdout(&output) + &stderr(&output);
        for secret in [
            "bm90LWEtcmVhbC13aXJlZ3VhcmQta2V5LTAwMDA=",
            "defaultpassword",
        ] {
            assert!(!all.contains(secret), "{args:?} printed a secret");
        }
    }
}

#[test]
fn init_and_schema_know_2_1() {
    let dir = folder_with(&[]);
    let init = acegen(dir.path(), &["init", "--orchestrator", "2.1"]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(
        !dir.path().join("custom_engine_variant.json").exists(),
        "2.1 never reads it"
    );
    let (report, code) = check_json(dir.path(), &["--strict"]);
    assert_eq!(code, 0, "the 2.1 starter is clean: {report:#}");
    let schema = acegen(dir.path(), &["schema", "env", "--orchestrator", "2.1"]);
    let schema: Value = serde_json::from_str(&stdout(&schema)).unwrap();
    assert!(schema["properties"]["REPUTATION_ENABLED"]["pattern"].is_string());
    let refused = acegen(
        dir.path(),
        &["schema", "custom-variant", "--orchestrator", "2.1"],
    );
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn sarif_gives_notes_the_note_level() {
    let args = ["check", "--orchestrator", "2.1", "--format", "sarif"];
    let log: Value = serde_json::from_str(&stdout(&acegen(&example(), &args))).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let level_of = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .map(|r| r["level"].clone())
    };
    assert_eq!(level_of("N1001"), Some(Value::from("note")));
    assert_eq!(level_of("W1002"), Some(Value::from("warning")));
}
