//! `acegen check` as a user runs it: the binary, in a fixture folder, in
//! each output format. Fixtures: tests/fixtures/broken/<name>/ (one kind
//! of problem each, `many-problems` and `three-mistakes` several) and
//! tests/fixtures/valid/clean/.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const FORMATS: [&str; 3] = ["text", "json", "github"];

fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let broken = root.join("broken").join(name);
    if broken.is_dir() {
        broken
    } else {
        root.join("valid").join(name)
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `acegen check ARGS` in the fixture folder, with an environment
/// that does not depend on the shell the tests run in.
fn check_in(name: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .arg("check")
        .args(args)
        .current_dir(fixture(name))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ACEGEN_FIXTURE_UNDEFINED")
        .output()
        .expect("acegen runs");
    Run {
        code: output.status.code().expect("acegen exits with a code"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn check_format(name: &str, format: &str) -> Run {
    check_in(name, &["--format", format, "--color", "never"])
}

fn snapshot_every_format(name: &str) {
    for format in FORMATS {
        let run = check_format(name, format);
        let shown = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            run.code, run.stdout, run.stderr
        );
        insta::assert_snapshot!(format!("{name}__{format}"), shown);
    }
}

macro_rules! fixture_snapshots {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                snapshot_every_format($name);
            }
        )*
    };
}

fixture_snapshots! {
    env_syntax_error => "env-syntax-error",
    bad_value => "bad-value",
    unknown_key => "unknown-key",
    unresolved_variable => "unresolved-variable",
    custom_variant_schema_error => "custom-variant-schema-error",
    custom_variant_json_syntax => "custom-variant-json-syntax",
    unknown_parameter => "unknown-parameter",
    port_range_too_small => "port-range-too-small",
    redundant_missing_name => "redundant-missing-name",
    min_above_max => "min-above-max",
    setting_without_effect => "setting-without-effect",
    vpn_setting_without_vpn => "vpn-setting-without-vpn",
    secret_line => "secret-line",
    three_mistakes => "three-mistakes",
    many_problems => "many-problems",
    host_port_clash => "host-port-clash",
    clean => "clean",
}

const ALL_FIXTURES: [&str; 17] = [
    "env-syntax-error",
    "bad-value",
    "unknown-key",
    "unresolved-variable",
    "custom-variant-schema-error",
    "custom-variant-json-syntax",
    "unknown-parameter",
    "port-range-too-small",
    "redundant-missing-name",
    "min-above-max",
    "setting-without-effect",
    "vpn-setting-without-vpn",
    "secret-line",
    "three-mistakes",
    "many-problems",
    "host-port-clash",
    "clean",
];

fn json_report(name: &str) -> Value {
    let run = check_format(name, "json");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"))
}

/// `(line, column)` of every diagnostic, in the order printed.
fn json_positions(report: &Value) -> Vec<(u64, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect()
}

/// The `--> file:line:col` lines of the text output.
fn text_locations(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(str::to_owned)
        .collect()
}

/// `(line, col)` of every github workflow command.
fn github_positions(stdout: &str) -> Vec<(u64, u64)> {
    stdout
        .lines()
        .map(|l| {
            let properties = l.split("::").nth(1).unwrap();
            let value = |name: &str| {
                properties
                    .split(',')
                    .find_map(|p| p.strip_prefix(name))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("no {name} in {l}"))
            };
            (value("line="), value("col="))
        })
        .collect()
}

#[test]
fn three_mistakes_on_three_lines_give_three_located_diagnostics_in_every_format() {
    let expected = vec![(2, 16), (3, 14), (4, 17)];

    let text = check_format("three-mistakes", "text");
    assert_eq!(text.code, 1);
    assert_eq!(
        text_locations(&text.stderr),
        vec![".env:2:16", ".env:3:14", ".env:4:17"]
    );

    let json = check_format("three-mistakes", "json");
    assert_eq!(json.code, 1);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["error_count"], 3);
    assert_eq!(report["valid"], false);
    assert_eq!(json_positions(&report), expected);

    let github = check_format("three-mistakes", "github");
    assert_eq!(github.code, 1);
    assert_eq!(github_positions(&github.stdout), expected);
    assert!(github
        .stdout
        .lines()
        .all(|l| l.starts_with("::error file=.env,")));
}

#[test]
fn a_clean_configuration_exits_0_with_only_a_summary_line() {
    for format in FORMATS {
        let run = check_format("clean", format);
        assert_eq!(run.code, 0, "{format}");
        assert_eq!(
            run.stderr, "acegen: valid: 0 errors, 0 warnings\n",
            "{format}"
        );
        if format == "json" {
            let report: Value = serde_json::from_str(&run.stdout).unwrap();
            assert_eq!(report["valid"], true);
            assert_eq!(report["diagnostics"], Value::Array(vec![]));
        } else {
            assert_eq!(run.stdout, "", "{format}");
        }
    }
}

#[test]
fn json_output_parses_and_locates_every_diagnostic_the_text_locates() {
    for name in ALL_FIXTURES {
        let report = json_report(name);
        assert_eq!(report["format_version"], 1, "{name}");
        let diagnostics = report["diagnostics"].as_array().unwrap();
        let errors = diagnostics
            .iter()
            .filter(|d| d["severity"] == "error")
            .count();
        assert_eq!(report["error_count"], errors, "{name}");
        assert_eq!(
            report["warning_count"],
            diagnostics.len() - errors,
            "{name}"
        );
        let located: Vec<String> = diagnostics
            .iter()
            .filter(|d| !d["line"].is_null())
            .map(|d| {
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                )
            })
            .collect();
        let text = check_format(name, "text");
        let text_located: Vec<String> = text_locations(&text.stderr)
            .into_iter()
            .filter(|l| l.matches(':').count() >= 2)
            .collect();
        assert_eq!(located, text_located, "{name}");
        for d in diagnostics {
            for field in [
                "severity", "code", "message", "file", "line", "column", "hint",
            ] {
                assert!(d.get(field).is_some(), "{name}: {field} missing in {d}");
            }
        }
    }
}

#[test]
fn warnings_fail_only_with_strict() {
    let relaxed = check_format("unknown-key", "json");
    assert_eq!(relaxed.code, 0);
    let strict = check_in("unknown-key", &["--format", "json", "--strict"]);
    assert_eq!(strict.code, 1);
    let report: Value = serde_json::from_str(&strict.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["warning_count"], 1);
}

#[test]
fn colour_follows_the_color_flag_and_no_color() {
    let always = check_in("bad-value", &["--color", "always"]);
    assert!(
        always.stderr.contains("\x1b[1;31merror[E0201]"),
        "{}",
        always.stderr
    );
    let never = check_in("bad-value", &["--color", "never"]);
    assert!(!never.stderr.contains('\x1b'));
    // auto: stderr is a pipe here, so no colour.
    let auto = check_in("bad-value", &[]);
    assert!(!auto.stderr.contains('\x1b'));
    let output = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .args(["check", "--color", "auto"])
        .current_dir(fixture("bad-value"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains('\x1b'));
}

#[test]
fn an_unreadable_input_is_an_io_error_with_exit_2() {
    let run = check_in("clean", &["--env-file", "missing.env"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("missing.env"), "{}", run.stderr);
}

#[test]
fn secret_values_never_appear_in_any_format() {
    for format in FORMATS {
        let run = check_format("secret-line", format);
        for secret in ["wOEI9rqq", "correct-horse", "battery", "staple"] {
            assert!(!run.stdout.contains(secret), "{format} stdout: {secret}");
            assert!(!run.stderr.contains(secret), "{format} stderr: {secret}");
        }
    }
}

#[test]
fn schema_env_prints_a_schema_with_a_property_per_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .args(["schema", "env"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    assert_eq!(properties["VPN_MODE"]["default"], "single");
    assert!(properties.contains_key("GLUETUN_API_KEY"));
    let output = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .args(["schema", "custom-variant"])
        .output()
        .unwrap();
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(schema["properties"]["parameters"].is_object());
}

#[test]
fn a_custom_variant_may_name_its_schema_for_editors() {
    let run = check_format("custom-variant-with-schema", "text");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "acegen: valid: 0 errors, 0 warnings\n");
}

#[test]
fn a_required_variable_a_later_line_empties_is_refused_where_it_is_required() {
    // `docker compose config` refuses this file (its second read of .env
    // sees TZ empty); `check` must too, pointing at the reference.
    let run = check_format("required-emptied-later", "json");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert_eq!(errors[0]["code"], "E0101");
    assert_eq!(
        (&errors[0]["line"], &errors[0]["column"]),
        (&3.into(), &15.into())
    );
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("line 5"), "{message}");
    assert!(message.contains("set TZ"), "{message}");
}
