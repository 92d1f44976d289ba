//! The header comment of the generated file (issue 16 item 1, issue 13):
//! no user text can leave the comment, a duplicate key is refused, and the
//! regenerate hint repeats the real invocation without secrets.

mod common;

use common::{acegen, compose_binary, folder_with, stderr, stdout};
use std::path::Path;
use std::process::Command;

/// The top-level keys of a generated document.
fn top_level_keys(text: &str) -> Vec<String> {
    let doc: serde_yaml::Mapping = serde_yaml::from_str(text).expect("output is a YAML mapping");
    doc.keys()
        .map(|k| k.as_str().unwrap_or("?").to_owned())
        .collect()
}

/// Generates in `dir` and checks that the header held the attack: only
/// `services` at the top, every line before it a comment, and (with the real
/// compose) no service but the planned engines.
fn assert_contained(dir: &Path, args: &[&str]) -> String {
    let output = acegen(dir, args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(top_level_keys(&text), ["services"], "{text}");
    let header: Vec<&str> = text.lines().take_while(|l| *l != "services:").collect();
    assert_eq!(header.len(), 3, "{text}");
    for line in &header {
        assert!(line.starts_with("# "), "{line:?}");
        for c in ['\r', '\u{85}', '\u{2028}', '\u{2029}'] {
            assert!(!line.contains(c), "{line:?}");
        }
    }
    if let Some(compose) = compose_binary() {
        std::fs::write(
            dir.join("evil.yml"),
            "services:\n  evil:\n    image: alpine\n    privileged: true\n",
        )
        .unwrap();
        std::fs::write(dir.join("generated.yml"), &text).unwrap();
        let config = Command::new(compose)
            .current_dir(dir)
            .args(["-f", "generated.yml", "config", "--services"])
            .output()
            .unwrap();
        let services = String::from_utf8_lossy(&config.stdout);
        assert!(
            config.status.success(),
            "{}",
            String::from_utf8_lossy(&config.stderr)
        );
        assert!(!services.contains("evil"), "{services}");
    }
    text
}

#[test]
fn a_set_key_with_a_newline_cannot_include_a_file() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let text = assert_contained(dir.path(), &["--set", "X\ninclude: [evil.yml]\n#=1"]);
    assert!(
        text.contains(r"--set $'X\ninclude: [evil.yml]\n#=1'"),
        "{text}"
    );
}

#[test]
fn other_line_breaks_in_a_set_key_stay_in_the_comment() {
    for breaker in ["\r", "\u{85}", "\u{2028}", "\u{2029}", "\r\n"] {
        let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
        let set = format!("X{breaker}include: [evil.yml]{breaker}#=1");
        assert_contained(dir.path(), &["--set", &set]);
    }
}

#[test]
fn an_env_file_path_with_a_newline_cannot_rename_the_project() {
    let dir = folder_with(&[]);
    let name = "a\nname: pwned\n#.env";
    std::fs::write(dir.path().join(name), "MIN_REPLICAS=1\n").unwrap();
    let text = assert_contained(dir.path(), &["--env-file", name]);
    assert!(
        text.contains(r"--env-file $'a\nname: pwned\n#.env'"),
        "{text}"
    );
}

#[test]
fn a_custom_variant_path_with_a_line_separator_stays_in_the_comment() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let name = "v\u{2028}include: [evil.yml]\u{2028}#.json";
    std::fs::write(dir.path().join(name), r#"{"enabled": false}"#).unwrap();
    let text = assert_contained(dir.path(), &["--custom-variant", name]);
    assert!(
        text.contains(r"$'v\u2028include: [evil.yml]\u2028#.json' (disabled)"),
        "{text}"
    );
}

#[test]
fn a_template_path_with_a_newline_stays_in_the_comment() {
    let template =
        std::fs::read_to_string(common::repo_root().join("templates/docker-compose.yml.j2"))
            .unwrap();
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let name = "t\ninclude: [evil.yml]\n#.j2";
    std::fs::write(dir.path().join(name), template).unwrap();
    assert_contained(dir.path(), &["--template", name]);
}

#[test]
fn a_template_that_writes_services_twice_is_refused() {
    let dir = folder_with(&[
        (".env", "MIN_REPLICAS=1\n"),
        (
            "twice.j2",
            "services:\n  acestream-1:\n    image: \"x\"\nservices:\n  evil:\n    image: \"alpine\"\n",
        ),
    ]);
    let output = acegen(dir.path(), &["--template", "twice.j2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let errors = stderr(&output);
    assert!(errors.contains("error[E0505]"), "{errors}");
    assert!(errors.contains("`services` twice"), "{errors}");
    assert!(
        errors.contains("<generated docker-compose.yml>:4:1"),
        "{errors}"
    );
}

fn hint(text: &str) -> &str {
    text.lines().nth(1).unwrap()
}

#[test]
fn the_hint_repeats_the_invocation_without_secrets_given_with_set() {
    let dir = folder_with(&[]);
    std::fs::create_dir(dir.path().join("stack")).unwrap();
    std::fs::write(dir.path().join("stack/.env"), "MIN_REPLICAS=1\n").unwrap();
    let output = acegen(
        dir.path(),
        &[
            "--env-file",
            "stack/.env",
            "--set",
            "GLUETUN_API_KEY=s3cr3t-value",
            "--replicas",
            "2",
        ],
    );
    let text = stdout(&output);
    assert_eq!(
        hint(&text),
        "# Do not edit: change the inputs and run `acegen --env-file stack/.env --replicas 2 -o stack/docker-compose.yml` again."
    );
    assert!(!text.contains("s3cr3t-value"));
}

#[test]
fn the_hint_names_the_output_file_and_diff_agrees() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let output = acegen(dir.path(), &["--replicas", "1", "-o", "out/compose.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(dir.path().join("out/compose.yaml")).unwrap();
    assert!(
        hint(&written).contains("`acegen --replicas 1 -o out/compose.yaml`"),
        "{written}"
    );
    let diff = acegen(dir.path(), &["diff", "--replicas", "1", "out/compose.yaml"]);
    assert_eq!(diff.status.code(), Some(0), "{}", stdout(&diff));
}

#[test]
fn absolute_paths_inside_the_current_folder_are_shown_relative() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let env = dir.path().join(".env");
    let output = acegen(dir.path(), &["--env-file", env.to_str().unwrap()]);
    let text = stdout(&output);
    assert!(
        text.starts_with("# Generated by acegen from .env.\n"),
        "{text}"
    );
    assert!(
        hint(&text).contains("`acegen --env-file .env -o docker-compose.yml`"),
        "{text}"
    );
}

#[test]
fn credentials_of_a_url_never_reach_the_header() {
    let dir = folder_with(&[(".env", "GLUETUN_CONTAINER_NAME=gluetun\nMIN_REPLICAS=1\n")]);
    let output = acegen(
        dir.path(),
        &["--forwarded-port-from", "http://admin:hunter2@127.0.0.1:9/"],
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
    assert!(!stderr(&output).contains("hunter2"));
}

#[test]
fn o_dash_writes_to_stdout_and_creates_no_file() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let output = acegen(dir.path(), &["-o", "-"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("services:"));
    assert!(!dir.path().join("-").exists());
}
