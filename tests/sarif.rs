//! `check --format sarif`: the log is valid against the OASIS SARIF 2.1.0
//! JSON Schema (tests/fixtures/sarif/, with its source and licence) and
//! carries what GitHub code scanning shows: the rule, the level, the file,
//! line and column of each problem.

mod common;

use common::{acegen, folder_with, stderr, stdout};
use serde_json::Value;

fn sarif_validator() -> jsonschema::Validator {
    let path = common::repo_root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Runs `check --format sarif` and returns the exit code and the log,
/// after checking the log against the schema.
fn check_sarif(dir: &std::path::Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend_from_slice(extra);
    let output = acegen(dir, &args);
    let log: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    let validator = sarif_validator();
    let problems: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{log:#}");
    (output.status.code(), log)
}

#[test]
fn problems_become_results_at_their_file_line_and_column() {
    let dir = folder_with(&[(
        ".env",
        "MIN_REPLICAS=many\nMAX_REPLICA=8\nthis is not a line\n",
    )]);
    let (code, log) = check_sarif(dir.path(), &["--set", "NO_SUCH_KEY=1"]);
    assert_eq!(code, Some(1));
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "acegen");
    let results = run["results"].as_array().unwrap();
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let first = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("MIN_REPLICAS")
        })
        .expect("the MIN_REPLICAS error is a result");
    assert_eq!(first["level"], "error");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], ".env");
    assert_eq!(location["region"]["startLine"], 1);
    assert_eq!(location["region"]["startColumn"], 14);
    // Each result names a rule of the driver, at its index.
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        // Code scanning attaches every result to a file: a `--set` problem goes on .env.
        assert!(
            result["locations"][0]["physicalLocation"].is_object(),
            "{result}"
        );
    }
    assert!(results.iter().any(|r| r["level"] == "warning"));
}

#[test]
fn a_clean_configuration_gives_an_empty_valid_log() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\nMAX_REPLICAS=2\n")]);
    let (code, log) = check_sarif(dir.path(), &["--strict"]);
    assert_eq!(code, Some(0));
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
}

#[test]
fn paths_with_spaces_and_many_problems_stay_valid_and_bounded() {
    let lines: String = (0..50).map(|i| format!("bad line {i}\n")).collect();
    let dir = folder_with(&[("my stack.env", &lines)]);
    let (code, log) = check_sarif(dir.path(), &["--env-file", "my stack.env"]);
    assert_eq!(code, Some(1));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "my%20stack.env");
    // As in the github format: 20 of a code per file, then a note of how many more.
    assert_eq!(results.iter().filter(|r| r["level"] == "error").count(), 20);
    let note = results.iter().find(|r| r["level"] == "note").unwrap();
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .contains("30 more"),
        "{note}"
    );
}

#[test]
fn the_validator_rejects_what_is_not_sarif() {
    // The test above would pass on nothing if the schema accepted anything.
    let validator = sarif_validator();
    let not_sarif = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!validator.is_valid(&not_sarif));
    let bad_level = serde_json::json!({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "acegen"}},
        "results": [{"message": {"text": "x"}, "level": "fatal"}]
    }]});
    assert!(!validator.is_valid(&bad_level));
}
