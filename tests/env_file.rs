//! The `.env` file through the binary: compose's reading rules seen by a
//! user, secrets kept out of every output (issue 16 item 4), keys compose
//! cannot pass (item 5), bounds (item 6) and encoding (item 8).

mod common;

use std::path::Path;
use std::process::{Command, Output};

const VPN: &str = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=protonvpn\n";

/// Runs acegen in `dir` with exactly `process_env` as the environment.
fn run(dir: &Path, args: &[&str], process_env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acegen"))
        .current_dir(dir)
        .args(args)
        .env_clear()
        .envs(process_env.iter().copied())
        .output()
        .expect("acegen runs")
}

/// Everything a user can see from `check` (every format), `explain` (every
/// format) and `generate` (stdout and stderr).
fn every_output(dir: &Path, process_env: &[(&str, &str)]) -> String {
    let mut all = String::new();
    let commands: [&[&str]; 6] = [
        &["check"],
        &["check", "--format", "json"],
        &["check", "--format", "github"],
        &["explain"],
        &["explain", "--format", "json"],
        &["generate"],
    ];
    for args in commands {
        let output = run(dir, args, process_env);
        all.push_str(&String::from_utf8_lossy(&output.stdout));
        all.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    all
}

fn check_text(dir: &Path, process_env: &[(&str, &str)]) -> (i32, String) {
    let output = run(dir, &["check"], process_env);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_not_shown(all: &str, secret: &str) {
    assert!(!all.contains(secret), "`{secret}` was shown:\n{all}");
}

#[test]
fn w0102_does_not_quote_a_secret_value() {
    let dir = common::folder_with(&[(
        ".env",
        &format!("{VPN}OPENVPN_PASSWORD=Tr0ub4dor$Horse_battery_staple\n"),
    )]);
    let all = every_output(dir.path(), &[]);
    assert!(all.contains("W0102"), "{all}");
    assert_not_shown(&all, "Horse_battery_staple");
    assert_not_shown(&all, "Tr0ub4dor");
}

#[test]
fn a_mistyped_secret_key_is_masked_like_a_secret() {
    let dir = common::folder_with(&[(".env", "GLUETUN_API_KEX=s3cr3t-value-1\n")]);
    let all = every_output(dir.path(), &[]);
    // A near miss of a secret's key is an error (E0110): the key is ignored.
    assert!(all.contains("E0110"), "{all}");
    assert!(all.contains("did you mean GLUETUN_API_KEY?"), "{all}");
    assert_not_shown(&all, "s3cr3t-value-1");
}

#[test]
fn export_with_a_tab_before_a_secret_key_is_masked() {
    let dir = common::folder_with(&[(
        ".env",
        &format!("{VPN}export\tWIREGUARD_PRIVATE_KEY=abc${{NOPE}}zz-private-zz\n"),
    )]);
    let all = every_output(dir.path(), &[]);
    assert!(all.contains("W0102"), "{all}");
    assert_not_shown(&all, "zz-private-zz");
}

#[test]
fn a_broken_multi_line_secret_shows_neither_its_lines_nor_its_references() {
    let dir = common::folder_with(&[(
        ".env",
        &format!("{VPN}OPENVPN_PASSWORD=\"first-line\nsecond-line-hidden ${{pw:x}}\"\n"),
    )]);
    let (code, stderr) = check_text(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("E0101"), "{stderr}");
    assert!(stderr.contains(".env:4:20"), "{stderr}");
    let all = every_output(dir.path(), &[]);
    assert_not_shown(&all, "second-line-hidden");
    assert_not_shown(&all, "${pw:x}");
    assert_not_shown(&all, "first-line");
}

#[test]
fn a_value_from_the_process_environment_is_never_shown() {
    let dir = common::folder_with(&[(
        ".env",
        "GLUETUN_API_PORT=${CI_DEPLOY_PASSWORD}\nCONTAINER_LABEL=${CI_LABEL}\n",
    )]);
    let env = [
        ("CI_DEPLOY_PASSWORD", "hunter2ci"),
        ("CI_LABEL", "team=label-from-ci"),
    ];
    let (code, stderr) = check_text(dir.path(), &env);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("E0201"), "{stderr}");
    assert!(stderr.contains("W0105"), "{stderr}");
    assert!(stderr.contains("CI_DEPLOY_PASSWORD"), "{stderr}");
    let all = every_output(dir.path(), &env);
    assert_not_shown(&all, "hunter2ci");
    let explain = run(dir.path(), &["explain"], &env);
    assert_not_shown(&String::from_utf8_lossy(&explain.stdout), "label-from-ci");
}

#[test]
fn a_label_from_the_process_environment_is_refused_without_showing_it() {
    // The generated file is committed, and a value from the shell may be a
    // secret: CONTAINER_LABEL written as text must not take it (E0204).
    let dir = common::folder_with(&[(".env", "MIN_REPLICAS=1\nCONTAINER_LABEL\n")]);
    let env = [("CONTAINER_LABEL", "team=from-ci")];
    let output = run(dir.path(), &["generate"], &env);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let (code, stderr) = check_text(dir.path(), &env);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("E0204") && stderr.contains("W0105"),
        "{stderr}"
    );
    assert!(stderr.contains(".env:2:1"), "{stderr}");
    assert_not_shown(&stderr, "from-ci");
}

#[test]
fn the_process_environment_wins_over_an_earlier_definition() {
    let dir = common::folder_with(&[(".env", "N=2\nMIN_REPLICAS=${N}\nMAX_REPLICAS=9\n")]);
    let output = run(dir.path(), &["generate"], &[("N", "3")]);
    let yaml = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(yaml.contains("acestream-3:"), "{yaml}");
    assert!(!yaml.contains("acestream-4:"), "{yaml}");
}

#[test]
fn a_gluetun_api_key_that_breaks_the_json_role_is_an_error_that_hides_it() {
    for value in ["'ab\"cd-key'", "'ab\\cd-key'", "\"ab\\tcd-key\""] {
        let dir = common::folder_with(&[(".env", &format!("{VPN}GLUETUN_API_KEY={value}\n"))]);
        let (code, stderr) = check_text(dir.path(), &[]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains("error[E0203]"), "{stderr}");
        assert!(stderr.contains(".env:3:17"), "{stderr}");
        assert_not_shown(&every_output(dir.path(), &[]), "cd-key");
    }
    let fine = common::folder_with(&[(".env", &format!("{VPN}GLUETUN_API_KEY=a1b2c3\n"))]);
    assert_eq!(check_text(fine.path(), &[]).0, 0);
}

#[test]
fn gluetun_style_keys_compose_cannot_interpolate_are_not_passed() {
    let dir = common::folder_with(&[(
        ".env",
        &format!(
            "{VPN}SERVER_COUNTRIES.nl=NL\nVPN_SERVICE_PROVIDER-custom=x\nSERVER_CITIES=Amsterdam\n"
        ),
    )]);
    let output = run(dir.path(), &["generate"], &[]);
    let yaml = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{yaml}");
    assert!(
        yaml.contains("SERVER_CITIES: \"${SERVER_CITIES}\""),
        "{yaml}"
    );
    assert!(!yaml.contains("SERVER_COUNTRIES.nl"), "{yaml}");
    assert!(!yaml.contains("VPN_SERVICE_PROVIDER-custom"), "{yaml}");
    let (_, stderr) = check_text(dir.path(), &[]);
    assert!(stderr.contains("warning[W0106]"), "{stderr}");
    assert!(stderr.contains(".env:3:1"), "{stderr}");
    assert!(stderr.contains(".env:4:1"), "{stderr}");
}

#[test]
fn compose_reading_rules_a_user_meets() {
    let dir = common::folder_with(&[(
        ".env",
        "MIN_REPLICAS= 3 # comment\nCONTAINER_LABEL=a.b=c\t# kept\nDOCKER_NETWORK: net\n\
         ENGINE_MEMORY_LIMIT=\"1g\" MAX_REPLICAS=7\n",
    )]);
    let output = run(dir.path(), &["explain", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let text = json.to_string();
    assert!(text.contains("a.b=c\\t# kept"), "{text}");
    assert!(text.contains("\"net\""), "{text}");
    assert!(text.contains("\"7\""), "{text}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 30_000;
    let env = format!("A={}x{}\n", "${A:-".repeat(depth), "}".repeat(depth));
    let dir = common::folder_with(&[(".env", &env)]);
    let (code, stderr) = check_text(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0102]"), "{stderr}");
    assert!(stderr.contains("--> .env:1:"), "{stderr}");
}

#[test]
fn a_non_utf8_byte_is_exit_1_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        b"MIN_REPLICAS=2\nDOCKER_NETWORK=n\xffx\n",
    )
    .unwrap();
    let (code, stderr) = check_text(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0104]"), "{stderr}");
    assert!(stderr.contains(".env:2:17"), "{stderr}");
}

#[test]
fn too_many_lines_is_a_clear_error() {
    let env = "# x\n".repeat(200_001);
    let dir = common::folder_with(&[(".env", &env)]);
    let (code, stderr) = check_text(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0103]"), "{stderr}");
    assert!(stderr.contains("expected at most 200000 lines"), "{stderr}");
}

#[test]
fn twenty_thousand_mistyped_keys_are_checked_in_linear_time() {
    // Took 46 s (77 s in a debug build) when each diagnostic looked its line
    // up from the start of the file; now a few seconds even in debug.
    let env: String = (0..20_000)
        .map(|i| format!("ENGNE_VARIANT=x{i}\n"))
        .collect();
    let dir = common::folder_with(&[(".env", &env)]);
    let (code, stderr) = check_text(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("20000 warnings"),
        "{}",
        &stderr[stderr.len() - 200..]
    );
}

#[test]
fn values_that_look_like_comments_and_a_trailing_bare_key_draw_warnings() {
    let dir = common::folder_with(&[(
        ".env",
        &format!("{VPN}OPENVPN_PASSWORD= # fill me\nSERVER_CITIES=Amsterdam\t# city\nMIN_REPLICAS"),
    )]);
    let env = [("MIN_REPLICAS", "5")];
    let (code, stderr) = check_text(dir.path(), &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning[W0108]: the value of OPENVPN_PASSWORD starts with `#`"),
        "{stderr}"
    );
    assert!(stderr.contains(".env:3:19"), "{stderr}");
    assert!(
        stderr.contains("warning[W0108]: the value of SERVER_CITIES holds a tab"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[W0107]: MIN_REPLICAS on the last line"),
        "{stderr}"
    );
    assert!(stderr.contains(".env:5:1"), "{stderr}");
    assert_not_shown(&stderr, "fill me");
    // Compose ignores the last line, so MIN_REPLICAS keeps its default (2).
    let output = run(dir.path(), &["generate"], &env);
    let yaml = String::from_utf8_lossy(&output.stdout);
    assert!(
        yaml.contains("acestream-2:") && !yaml.contains("acestream-3:"),
        "{yaml}"
    );
}

#[test]
fn twenty_thousand_broken_lines_are_all_reported() {
    let env: String = (0..20_000).map(|i| format!("A B{i}=1\n")).collect();
    let dir = common::folder_with(&[(".env", &env)]);
    let (code, stderr) = check_text(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("20000 errors"),
        "{}",
        &stderr[stderr.len() - 200..]
    );
    // The text report prints the first 20 of a code, then how many more.
    assert!(
        stderr.contains("… and 19980 more E0101 in .env"),
        "{stderr}"
    );
}

#[test]
fn twenty_thousand_gluetun_keys_are_all_passed() {
    // Looking up each key's `_2` twin in a list made this 22 s in a debug build.
    let mut env = String::from(
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=g1\nGLUETUN_CONTAINER_NAME_2=g2\n\
         GLUETUN_PORT_RANGE_1=19000-19499\nGLUETUN_PORT_RANGE_2=19500-19999\n",
    );
    env.extend((0..20_000).map(|i| format!("SERVER_X{i}=1\n")));
    env.push_str("SERVER_X7_2=2\n");
    let dir = common::folder_with(&[(".env", &env)]);
    let output = run(dir.path(), &["generate"], &[]);
    let yaml = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(yaml.contains("SERVER_X19999: \"${SERVER_X19999}\""));
    assert!(yaml.contains("SERVER_X7: \"${SERVER_X7_2}\""));
}
