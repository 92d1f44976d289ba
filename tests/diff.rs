//! `acegen diff`: unified, semantic and JSON comparisons of a compose file
//! with what acegen would generate, run through the binary.

mod common;

use common::{acegen, stderr, stdout};
use std::path::Path;

const SINGLE_VPN_ENV: &str = include_str!("fixtures/diff/single-vpn.env");
const ORCHESTRATOR_COMPOSE: &str =
    include_str!("fixtures/diff/orchestrator.docker-compose.gluetun.yml");
/// The literal secret in the fixture `.env`: it must never be printed.
const ENV_SECRET: &str = "wg-private-key-do-not-print";

/// A folder with the single-VPN `.env` and a `docker-compose.yml`
/// generated from `env` (the configuration as it was when committed).
fn project(env_then: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join(".env"), env_then).unwrap();
    let generated = acegen(dir.path(), &["-o", "docker-compose.yml"]);
    assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
    std::fs::write(dir.path().join(".env"), SINGLE_VPN_ENV).unwrap();
    dir
}

fn compose(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap()
}

fn edit_compose(dir: &Path, edit: impl FnOnce(String) -> String) {
    let text = edit(compose(dir));
    std::fs::write(dir.join("docker-compose.yml"), text).unwrap();
}

/// The three forms of `diff`, each with its exit code, for one scenario.
fn all_forms(dir: &Path) -> [(&'static str, i32, String); 3] {
    let run = |args: &[&str]| {
        let output = acegen(dir, args);
        let out = stdout(&output);
        let err = stderr(&output);
        assert!(
            !out.contains(ENV_SECRET) && !err.contains(ENV_SECRET),
            "the .env secret leaked"
        );
        (output.status.code().expect("exit code"), out)
    };
    let (text_code, text) = run(&["diff"]);
    let (semantic_code, semantic) = run(&["diff", "--semantic"]);
    let (json_code, json) = run(&["diff", "--format", "json"]);
    [
        ("text", text_code, text),
        ("semantic", semantic_code, semantic),
        ("json", json_code, json),
    ]
}

fn snapshot_all(scenario: &str, dir: &Path) -> [i32; 3] {
    let forms = all_forms(dir);
    for (form, code, out) in &forms {
        insta::assert_snapshot!(format!("{scenario}_{form}"), format!("exit {code}\n{out}"));
    }
    [forms[0].1, forms[1].1, forms[2].1]
}

#[test]
fn identical_file_exits_0_in_every_form() {
    let dir = project(SINGLE_VPN_ENV);
    assert_eq!(snapshot_all("identical", dir.path()), [0, 0, 0]);
}

#[test]
fn a_changed_forwarded_port_shows_the_engine_and_firewall_change() {
    let dir = project(SINGLE_VPN_ENV);
    let moved = SINGLE_VPN_ENV.replace(
        "GLUETUN_FORWARDED_PORT=40123",
        "GLUETUN_FORWARDED_PORT=40200",
    );
    std::fs::write(dir.path().join(".env"), moved).unwrap();
    assert_eq!(snapshot_all("changed_port", dir.path()), [1, 1, 1]);
}

#[test]
fn one_engine_added() {
    let dir = project(&SINGLE_VPN_ENV.replace("MIN_REPLICAS=3", "MIN_REPLICAS=2"));
    assert_eq!(snapshot_all("engine_added", dir.path()), [1, 1, 1]);
}

#[test]
fn comment_and_quoting_edits_differ_as_text_but_not_as_data() {
    let dir = project(SINGLE_VPN_ENV);
    edit_compose(dir.path(), |text| {
        text.replace("services:\n", "# reviewed by ops\nservices:\n")
            .replace(
                "restart: \"unless-stopped\"",
                "restart: unless-stopped  # keep",
            )
            .replace("      - \"NET_ADMIN\"\n", "      - NET_ADMIN\n")
    });
    assert_eq!(snapshot_all("comment_only", dir.path()), [1, 0, 0]);
}

#[test]
fn a_secret_written_into_the_file_is_redacted_everywhere() {
    let dir = project(SINGLE_VPN_ENV);
    let secret = "old-literal-secret-1234";
    edit_compose(dir.path(), |text| {
        text.replace(
            "WIREGUARD_PRIVATE_KEY: \"${WIREGUARD_PRIVATE_KEY}\"",
            &format!("WIREGUARD_PRIVATE_KEY: \"{secret}\""),
        )
    });
    assert!(compose(dir.path()).contains(secret), "the edit applied");
    let forms = all_forms(dir.path());
    for (form, code, out) in &forms {
        assert_eq!(*code, 1, "{form}");
        assert!(!out.contains(secret), "{form} printed the secret:\n{out}");
        assert!(out.contains("<redacted, 23 bytes>"), "{form}:\n{out}");
        insta::assert_snapshot!(
            format!("secret_changed_{form}"),
            format!("exit {code}\n{out}")
        );
    }
}

#[test]
fn growing_min_replicas_shows_only_the_new_engine_until_regenerated() {
    let dir = project(SINGLE_VPN_ENV);
    let grown = SINGLE_VPN_ENV.replace("MIN_REPLICAS=3", "MIN_REPLICAS=4");
    std::fs::write(dir.path().join(".env"), grown).unwrap();

    let semantic = acegen(dir.path(), &["diff", "--format", "json"]);
    assert_eq!(semantic.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&semantic)).unwrap();
    let changes: Vec<(String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().into(),
                c["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        // The VPN already publishes the ports of engines up to MAX_REPLICAS,
        // so growing does not touch it (which would restart its engines).
        [("added".into(), "services.acestream-4".into())]
    );

    // As text: apart from the header comment, every changed line is part
    // of the new engine.
    let text = acegen(dir.path(), &["diff"]);
    assert_eq!(text.status.code(), Some(1));
    let out = stdout(&text);
    let changed: Vec<&str> = out
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .filter(|l| !l[1..].starts_with('#'))
        .collect();
    let engine_lines = changed;
    assert!(engine_lines.iter().all(|l| l.starts_with('+')), "{out}");
    assert!(engine_lines.contains(&"+  acestream-4:"), "{out}");
    assert!(!out.contains("-  acestream-"), "{out}");

    let regenerated = acegen(dir.path(), &["-o", "docker-compose.yml"]);
    assert_eq!(regenerated.status.code(), Some(0));
    for args in [&["diff"][..], &["diff", "--semantic"]] {
        let again = acegen(dir.path(), args);
        assert_eq!(again.status.code(), Some(0), "{args:?}: {}", stdout(&again));
    }
}

#[test]
fn the_orchestrators_gluetun_compose_file_can_be_compared() {
    let dir = project(SINGLE_VPN_ENV);
    std::fs::write(dir.path().join("orchestrator.yml"), ORCHESTRATOR_COMPOSE).unwrap();
    let text = acegen(dir.path(), &["diff", "orchestrator.yml"]);
    assert_eq!(text.status.code(), Some(1), "{}", stderr(&text));
    assert!(stdout(&text)
        .starts_with("--- orchestrator.yml\n+++ orchestrator.yml (generated by acegen)\n"));

    let semantic = acegen(dir.path(), &["diff", "--semantic", "orchestrator.yml"]);
    assert_eq!(semantic.status.code(), Some(1), "{}", stderr(&semantic));
    insta::assert_snapshot!("orchestrator_gluetun_semantic", stdout(&semantic));
}

#[test]
fn a_missing_file_is_an_error_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), SINGLE_VPN_ENV).unwrap();
    let missing = acegen(dir.path(), &["diff"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains(
            "no compose file in {} (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml)"
                .replace("{}", &dir.path().canonicalize().unwrap().display().to_string())
                .as_str()
        ),
        "{}",
        stderr(&missing)
    );
    assert!(stderr(&missing).contains("--allow-missing"));

    let allowed = acegen(dir.path(), &["diff", "--allow-missing", "--semantic"]);
    assert_eq!(allowed.status.code(), Some(1));
    assert!(
        stdout(&allowed).ends_with("0 services changed, 4 added, 0 removed, 1 other change\n"),
        "{}",
        stdout(&allowed)
    );
}

#[test]
fn the_default_file_is_beside_the_env_file() {
    let dir = tempfile::tempdir().unwrap();
    let deploy = dir.path().join("deploy");
    std::fs::create_dir(&deploy).unwrap();
    std::fs::write(deploy.join(".env"), SINGLE_VPN_ENV).unwrap();
    let made = acegen(
        dir.path(),
        &[
            "--env-file",
            "deploy/.env",
            "-o",
            "deploy/docker-compose.yml",
        ],
    );
    assert_eq!(made.status.code(), Some(0));
    let same = acegen(dir.path(), &["diff", "--env-file", "deploy/.env"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
}

#[test]
fn an_invalid_configuration_exits_2_not_1() {
    let dir = project(SINGLE_VPN_ENV);
    std::fs::write(dir.path().join(".env"), "MIN_REPLICAS=many\n").unwrap();
    let output = acegen(dir.path(), &["diff"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains("MIN_REPLICAS"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_file_that_is_not_yaml_is_an_error_only_when_parsed() {
    let dir = project(SINGLE_VPN_ENV);
    edit_compose(dir.path(), |text| format!("{text}\n: [unclosed\n"));
    let semantic = acegen(dir.path(), &["diff", "--semantic"]);
    assert_eq!(semantic.status.code(), Some(2));
    assert!(stderr(&semantic).contains("docker-compose.yml: not a YAML document"));
    // The text diff needs no parsing: it still reports the difference.
    assert_eq!(acegen(dir.path(), &["diff"]).status.code(), Some(1));
}

#[test]
fn context_lines_follow_dash_u() {
    let dir = project(&SINGLE_VPN_ENV.replace("MIN_REPLICAS=3", "MIN_REPLICAS=2"));
    let output = acegen(dir.path(), &["diff", "-U", "0"]);
    let out = stdout(&output);
    assert!(out.lines().skip(2).all(|l| !l.starts_with(' ')), "{out}");
    assert!(out.contains("@@ -3 +3 @@"), "{out}");
}

#[test]
fn colour_is_chosen_by_the_color_flag_and_no_color() {
    let dir = project(&SINGLE_VPN_ENV.replace("MIN_REPLICAS=3", "MIN_REPLICAS=2"));
    let always = stdout(&acegen(dir.path(), &["diff", "--color", "always"]));
    assert!(
        always.contains("\x1b[32m+  acestream-3:\x1b[0m"),
        "{always}"
    );
    let never = stdout(&acegen(dir.path(), &["diff", "--color", "never"]));
    assert!(!never.contains('\x1b'));
    // Not a terminal: auto means plain, whatever NO_COLOR says.
    let auto = stdout(&acegen(dir.path(), &["diff"]));
    assert_eq!(auto, never);
}

#[test]
fn help_states_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(&acegen(dir.path(), &["diff", "--help"]));
    assert!(help.contains("Exit codes: 0"), "{help}");
    assert!(help.contains("configuration"), "{help}");
}

#[test]
fn a_file_nested_too_deep_is_refused_with_e0740_where_it_goes_too_deep() {
    let dir = project(SINGLE_VPN_ENV);
    // 200 KB of brackets: once 20 s of parsing, now refused before parsing.
    let brackets = "[".repeat(100_000) + &"]".repeat(100_000);
    edit_compose(dir.path(), |text| format!("{text}x-deep: {brackets}\n"));
    let lines = compose(dir.path()).lines().count();
    for args in [&["diff", "--semantic"][..], &["diff", "--format", "json"]] {
        let output = acegen(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains("error[E0740]"), "{err}");
        assert!(err.contains("more than 64 levels deep"), "{err}");
        // The 65th bracket, after `x-deep: `: column 8 + 65.
        assert!(
            err.contains(&format!("docker-compose.yml:{lines}:73")),
            "{err}"
        );
        assert!(err.len() < 1000, "the bracket line is not echoed");
        assert!(stdout(&output).is_empty());
    }
    // The text diff does not parse: it still reports the difference.
    assert_eq!(acegen(dir.path(), &["diff"]).status.code(), Some(1));
}

#[test]
fn nesting_within_the_bound_is_compared_as_usual() {
    let dir = project(SINGLE_VPN_ENV);
    let nested = "[".repeat(64) + &"]".repeat(64);
    edit_compose(dir.path(), |text| format!("{text}x-nested: {nested}\n"));
    let output = acegen(dir.path(), &["diff", "--semantic"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("x-nested"), "{}", stdout(&output));
}

/// The changes `diff --format json` lists, as `kind path` lines.
fn listed_changes(dir: &Path) -> Vec<String> {
    let output = acegen(dir, &["diff", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {}", c["kind"].as_str().unwrap(), c["path"]))
        .collect()
}

#[test]
fn a_file_compared_block_by_block_lists_what_a_file_read_whole_lists() {
    // Hand edits in plain block style: compared service by service.
    let dir = project(SINGLE_VPN_ENV);
    edit_compose(dir.path(), |text| {
        text.replacen("\"unless-stopped\"", "always", 1).replacen(
            "  acestream-2:\n",
            "  # the second engine\n  acestream-2:\n",
            1,
        )
    });
    let block_by_block = listed_changes(dir.path());
    assert_eq!(block_by_block, ["changed \"services.gluetun.restart\""]);
    // The same edits and an anchor (which makes the whole file be read):
    // the same changes, and the extra key removed.
    edit_compose(dir.path(), |text| format!("{text}x-extra: &extra \"1\"\n"));
    let mut expected = block_by_block.clone();
    expected.push("removed \"x-extra\"".to_owned());
    assert_eq!(listed_changes(dir.path()), expected);
}
