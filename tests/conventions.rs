//! Conventions a docker compose user expects, run through the binary: the
//! stack's folder found as compose finds it, `-` for standard input, compose
//! file names, closed pipes, colour flags and variables, completions, the
//! manual page and the built-in template.

mod common;

use common::{acegen, folder_with, stderr, stdout};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// acegen in `dir`, with `env` added to a process environment that holds
/// nothing acegen reads, and `input` on standard input.
fn acegen_with(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    input: &str,
) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acegen"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PATH_SEPARATOR");
    for key in acegen::keys::KEYS {
        command.env_remove(key.name);
    }
    command.envs(env.iter().copied());
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("acegen runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn engine_count(compose: &str) -> usize {
    let document: serde_yaml::Value = serde_yaml::from_str(compose).unwrap();
    document["services"]
        .as_mapping()
        .unwrap()
        .keys()
        .filter(|k| k.as_str().unwrap().starts_with("acestream-"))
        .count()
}

#[test]
fn the_env_file_is_found_in_a_folder_above_like_compose_finds_its_project() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=3\n")]);
    let deep = dir.path().join("notes/2026");
    std::fs::create_dir_all(&deep).unwrap();
    let output = acegen(&deep, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(engine_count(&stdout(&output)), 3);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn a_compose_file_marks_the_project_folder_even_without_env() {
    // compose.yaml one level up, a .env two levels up: the nearer folder is the project.
    let dir = folder_with(&[(".env", "MIN_REPLICAS=3\n")]);
    let stack = dir.path().join("stack");
    std::fs::create_dir_all(stack.join("sub")).unwrap();
    std::fs::write(stack.join("compose.yaml"), "services: {}\n").unwrap();
    let output = acegen(&stack.join("sub"), &["check"]);
    let expected = format!(
        "warning[W0801]: no .env file in {}: every key takes its default",
        stack.canonicalize().unwrap().display()
    );
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
}

#[test]
fn project_directory_names_the_stack_folder() {
    let dir = folder_with(&[]);
    let stack = dir.path().join("stack");
    std::fs::create_dir(&stack).unwrap();
    std::fs::write(stack.join(".env"), "MIN_REPLICAS=4\n").unwrap();
    for flag in ["-C", "--project-directory"] {
        let output = acegen(dir.path(), &[flag, "stack"]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(engine_count(&stdout(&output)), 4);
    }
    let missing = acegen(dir.path(), &["check", "-C", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere: the project directory"));
}

#[test]
fn check_without_env_warns_and_fails_under_strict() {
    let dir = folder_with(&[]);
    let lenient = acegen(dir.path(), &["check"]);
    assert_eq!(lenient.status.code(), Some(0));
    assert!(stderr(&lenient).contains("W0801"), "{}", stderr(&lenient));
    let strict = acegen(dir.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    let json = acegen(dir.path(), &["check", "--format", "json"]);
    assert!(stdout(&json).contains("\"code\": \"W0801\""));
    // A named .env does not draw the warning.
    let dir = folder_with(&[("deploy.env", "MIN_REPLICAS=1\n")]);
    let named = acegen(
        dir.path(),
        &["check", "--strict", "--env-file", "deploy.env"],
    );
    assert_eq!(named.status.code(), Some(0), "{}", stderr(&named));
}

#[test]
fn env_file_dash_reads_standard_input() {
    let dir = folder_with(&[]);
    let output = acegen_with(dir.path(), &["--env-file", "-"], &[], "MIN_REPLICAS=5\n");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(engine_count(&stdout(&output)), 5);
    let bad = acegen_with(
        dir.path(),
        &["check", "--env-file", "-"],
        &[],
        "MIN_REPLICAS=two\n",
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("--> <stdin>:1:14"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn diff_dash_compares_standard_input() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let generated = stdout(&acegen(dir.path(), &[]));
    let same = acegen_with(dir.path(), &["diff", "-"], &[], &generated);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let stale = acegen_with(dir.path(), &["diff", "-"], &[], "services: {}\n");
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stdout(&stale).starts_with("--- <stdin>"),
        "{}",
        stdout(&stale)
    );
    let both = acegen_with(dir.path(), &["diff", "--env-file", "-", "-"], &[], "");
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn diff_prefers_compose_yaml_as_compose_does() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let generated = stdout(&acegen(dir.path(), &[]));
    std::fs::write(dir.path().join("docker-compose.yml"), "services: {}\n").unwrap();
    let stale = acegen(dir.path(), &["diff"]);
    assert_eq!(stale.status.code(), Some(1));
    std::fs::write(dir.path().join("compose.yaml"), &generated).unwrap();
    let current = acegen(dir.path(), &["diff"]);
    assert_eq!(current.status.code(), Some(0), "{}", stdout(&current));
}

#[test]
fn diff_honours_compose_file_and_compares_its_first_file() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let generated = stdout(&acegen(dir.path(), &[]));
    std::fs::write(dir.path().join("docker-compose.yml"), "services: {}\n").unwrap();
    std::fs::write(dir.path().join("base.yml"), &generated).unwrap();
    std::fs::write(dir.path().join("override.yml"), "services: {}\n").unwrap();
    let output = acegen_with(
        dir.path(),
        &["diff"],
        &[("COMPOSE_FILE", "base.yml:override.yml")],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("COMPOSE_FILE names 2 files; comparing the first, base.yml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    // Far more than a pipe buffer holds, so acegen is still writing when the reader goes.
    let dir = folder_with(&[(".env", "MIN_REPLICAS=400\nMAX_REPLICAS=400\n")]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

const ESCAPE: &str = "\x1b[";

#[test]
fn color_works_on_every_command_and_follows_no_color_and_clicolor_force() {
    // An unused setting: a warning on every command that compiles.
    let dir = folder_with(&[(
        ".env",
        "MIN_REPLICAS=1\nACE_MAP_HTTPS=true\nGLUETUN_CONTAINER_NAME=vpn\n",
    )]);
    for command in ["generate", "check", "explain", "diff"] {
        let always = acegen_with(dir.path(), &[command, "--color", "always"], &[], "");
        assert!(
            stderr(&always).contains(ESCAPE),
            "{command}: {}",
            stderr(&always)
        );
        let auto = acegen_with(dir.path(), &[command], &[], "");
        assert!(
            !stderr(&auto).contains(ESCAPE),
            "{command}: {}",
            stderr(&auto)
        );
    }
    let forced = acegen_with(dir.path(), &["check"], &[("CLICOLOR_FORCE", "1")], "");
    assert!(stderr(&forced).contains(ESCAPE), "{}", stderr(&forced));
    let refused = acegen_with(
        dir.path(),
        &["check"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        "",
    );
    assert!(!stderr(&refused).contains(ESCAPE), "{}", stderr(&refused));
    let flag_wins = acegen_with(
        dir.path(),
        &["check", "--color", "always"],
        &[("NO_COLOR", "1")],
        "",
    );
    assert!(stderr(&flag_wins).contains(ESCAPE));
    // Without a command (generate), and on commands that print no diagnostics.
    let bare = acegen_with(dir.path(), &["--color", "always"], &[], "");
    assert!(stderr(&bare).contains(ESCAPE), "{}", stderr(&bare));
    let schema = acegen_with(dir.path(), &["schema", "env", "--color", "never"], &[], "");
    assert_eq!(schema.status.code(), Some(0), "{}", stderr(&schema));
}

#[test]
fn completions_for_every_documented_shell_know_the_options() {
    let dir = folder_with(&[]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = acegen(dir.path(), &["completions", shell]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        // fish writes long options as `-l env-file`.
        for word in ["env-file", "project-directory", "diff", "completions"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let unknown = acegen(dir.path(), &["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn man_prints_a_manual_page_with_the_commands() {
    let output = acegen(&common::repo_root(), &["man"]);
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    assert!(
        page.starts_with(".ie") || page.contains(".TH acegen 1"),
        "{page}"
    );
    assert!(page.contains(".TH acegen 1"));
    for word in ["check", "diff", "explain", "\\-\\-env\\-file"] {
        assert!(page.contains(word), "man page lacks {word}");
    }
}

#[test]
fn template_prints_the_built_in_template_which_renders_the_same_file() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=2\nGLUETUN_CONTAINER_NAME=vpn\n")]);
    let template = acegen(dir.path(), &["template"]);
    assert_eq!(template.status.code(), Some(0));
    let shipped =
        std::fs::read_to_string(common::repo_root().join("templates/docker-compose.yml.j2"))
            .unwrap();
    assert_eq!(stdout(&template), shipped);
    std::fs::write(dir.path().join("mine.j2"), stdout(&template)).unwrap();
    let built_in = acegen(dir.path(), &[]);
    let from_copy = acegen(dir.path(), &["--template", "mine.j2"]);
    assert_eq!(from_copy.status.code(), Some(0), "{}", stderr(&from_copy));
    // Only the header may differ (it names the template); the services are the same.
    let body = |text: &str| {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&stdout(&built_in)), body(&stdout(&from_copy)));
}

#[test]
fn too_many_replicas_name_where_max_replicas_came_from() {
    let dir = folder_with(&[(".env", "MIN_REPLICAS=1\n")]);
    let output = acegen(dir.path(), &["check", "--replicas", "7"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains(
            "error[E0401]: 7 engines asked for (--replicas), but MAX_REPLICAS is 6 (the default)"
        ),
        "{err}"
    );
    assert!(!err.contains("command line"), "{err}");

    let dir = folder_with(&[(".env", "MAX_REPLICAS=4\n")]);
    let output = acegen(dir.path(), &["check", "--replicas", "7"]);
    let err = stderr(&output);
    assert!(err.contains("MAX_REPLICAS is 4 (from .env:1)"), "{err}");
    assert!(err.contains("--> .env:1:"), "{err}");
}

#[test]
fn min_replicas_above_max_from_set_is_reported_once() {
    let dir = folder_with(&[(".env", "")]);
    let output = acegen(
        dir.path(),
        &["check", "--format", "json", "--set", "MIN_REPLICAS=7"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E0202"]);
}
