//! Hostile or careless input stays bounded and terminal-safe through the
//! binary (issue 20, items 5, 6, 7, 8, 11): the exponential `.env`, a
//! template that loops without end, names too long to be YAML keys, terminal
//! controls in values and paths, and the smaller cases.

mod common;

use std::process::Output;

fn all_output(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_doubling_env_file_is_refused_at_its_line() {
    let mut env = String::from("A_0=xxxxxxxx\n");
    for i in 1..=40 {
        env.push_str(&format!("A_{i}=${{A_{}}}${{A_{}}}\n", i - 1, i - 1));
    }
    let dir = common::folder_with(&[(".env", &env)]);
    let output = common::acegen(dir.path(), &["check"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // A_i copies 8·2^i bytes; the sum passes 16 MiB at A_21, on line 22.
    let first = stderr.find("error[E0105]").expect("E0105 is reported");
    assert!(
        stderr[first..].lines().nth(1) == Some("  --> .env:22:6"),
        "{stderr}"
    );
}

#[test]
fn a_template_that_loops_without_end_is_stopped_and_nothing_is_written() {
    let template = "services:\n{% for a in range(100000) %}{% for b in range(100000) %}\
                    {{ a }}{% endfor %}{% endfor %}\n";
    let dir = common::folder_with(&[
        (".env", "MIN_REPLICAS=1\nMAX_REPLICAS=1\n"),
        ("t.j2", template),
    ]);
    let output = common::acegen(
        dir.path(),
        &["generate", "--template", "t.j2", "-o", "out.yml"],
    );
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[E0501]"), "{stderr}");
    assert!(stderr.contains("--> t.j2:2:"), "{stderr}");
    assert!(!dir.path().join("out.yml").exists());
}

#[test]
fn a_template_that_renders_too_much_is_stopped() {
    let template = "{% for a in range(40) %}{{ 'x' * 1048576 }}{% endfor %}\n";
    let dir = common::folder_with(&[
        (".env", "MIN_REPLICAS=1\nMAX_REPLICAS=1\n"),
        ("t.j2", template),
    ]);
    let output = common::acegen(dir.path(), &["generate", "--template", "t.j2"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("more than 16 MiB"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn names_too_long_for_a_yaml_key_are_refused_at_the_value() {
    let long = format!("n{}", "a".repeat(1100));
    for key in [
        "DOCKER_NETWORK",
        "GLUETUN_CONTAINER_NAME",
        "GLUETUN_CONTAINER_NAME_2",
    ] {
        let env = format!("{key}={long}\n");
        let dir = common::folder_with(&[(".env", &env)]);
        let output = common::acegen(dir.path(), &["generate"]);
        let stderr = common::stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{key}: {stderr}");
        assert!(stderr.contains("error[E0201]"), "{key}: {stderr}");
        let column = key.len() + 2;
        assert!(
            stderr.contains(&format!("--> .env:1:{column}")),
            "{key}: {stderr}"
        );
    }
    let dir = common::folder_with(&[(".env", &format!("DOCKER_NETWORK=n{}\n", "a".repeat(254)))]);
    assert_eq!(
        common::acegen(dir.path(), &["check"]).status.code(),
        Some(0)
    );
}

#[test]
fn a_memory_limit_without_a_unit_under_docker_s_minimum_is_refused() {
    let dir = common::folder_with(&[(".env", "ENGINE_MEMORY_LIMIT=1\n")]);
    let output = common::acegen(dir.path(), &["check"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[E0230]"), "{stderr}");
    assert!(stderr.contains("--> .env:1:21"), "{stderr}");
    assert!(stderr.contains("`1g`"), "{stderr}");
    let dir = common::folder_with(&[(".env", "ENGINE_MEMORY_LIMIT=6m\n")]);
    assert_eq!(
        common::acegen(dir.path(), &["check"]).status.code(),
        Some(0)
    );
}

#[test]
fn a_gluetun_key_too_long_for_a_kubernetes_secret_is_refused() {
    let key = format!("OPENVPN_PASSWORD_{}", "A".repeat(237));
    assert_eq!(key.len(), 254);
    let env = format!("GLUETUN_CONTAINER_NAME=gluetun\nVPN_SERVICE_PROVIDER=custom\n{key}=x\n");
    let dir = common::folder_with(&[(".env", &env)]);
    let output = common::acegen(dir.path(), &["generate", "--target", "kubernetes"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[E0231]"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn an_export_at_the_end_of_the_file_is_refused_as_compose_does() {
    let dir = common::folder_with(&[(".env", "MAX_REPLICAS=2\nexport ")]);
    let output = common::acegen(dir.path(), &["check"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--> .env:2:1"), "{stderr}");
}

#[test]
fn a_control_server_url_is_never_shown_with_its_query() {
    let dir = common::folder_with(&[(".env", "GLUETUN_CONTAINER_NAME=gluetun\n")]);
    for url in [
        "http://127.0.0.1:1/?token=plntQuery",
        "http://127.0.0.1:1/#plntFragment",
        "http://u:plntPass@127.0.0.1:1/?plntQuery",
    ] {
        let output = common::acegen(dir.path(), &["check", "--forwarded-port-from", url]);
        let all = all_output(&output);
        assert_eq!(output.status.code(), Some(2), "{all}");
        assert!(!all.contains("plnt"), "{url}: {all}");
    }
}

/// Terminal controls (ESC, OSC with BEL, CR, U+202E) from every place user
/// text comes from: a value, a custom variant, a file name.
const CONTROLS: &[char] = &['\x1b', '\x07', '\r', '\u{202e}', '\u{9b}'];

fn assert_no_controls(what: &str, output: &Output) {
    let all = all_output(output);
    assert!(
        !all.chars().any(|c| CONTROLS.contains(&c)),
        "{what} prints a terminal control: {all:?}"
    );
}

#[test]
fn explain_escapes_values_and_paths_from_the_inputs() {
    let env = "CONTAINER_LABEL=a.b=x\x1b]0;title\x07y\u{202e}z\r\nMIN_REPLICAS=1\nMAX_REPLICAS=1\n";
    let name = "odd\x1b[31m\u{202e}.env";
    let dir = common::folder_with(&[(name, env)]);
    let output = common::acegen(dir.path(), &["explain", "--env-file", name]);
    assert_eq!(output.status.code(), Some(0), "{}", all_output(&output));
    assert_no_controls("explain", &output);
    let stdout = common::stdout(&output);
    assert!(stdout.contains("\\u{1b}]0;title\\u{7}"), "{stdout}");
}

#[test]
fn error_lines_escape_the_paths_they_name() {
    let dir = common::folder_with(&[]);
    let name = "missing\x1b]0;pwn\x07\u{202e}.env";
    for args in [
        &["check", "--env-file", name][..],
        &["generate", "--env-file", name],
        &["explain", "--env-file", name],
        &["diff", "--env-file", name, "x.yml"],
    ] {
        let output = common::acegen(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{}", all_output(&output));
        assert_no_controls(&format!("{args:?}"), &output);
    }
    let output = common::acegen(dir.path(), &["generate", "-o", "out\x1b[2J/x.yml"]);
    assert_no_controls("generate -o", &output);
}

#[test]
fn a_refused_argument_is_repeated_escaped() {
    let dir = common::folder_with(&[]);
    let output = common::acegen(
        dir.path(),
        &["check", "--color", "a\u{202e}b\rc\x1b]0;pwn\x07"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", all_output(&output));
    assert_no_controls("a refused --color", &output);
    let stderr = common::stderr(&output);
    assert!(stderr.contains("a\\u{202e}b\\u{d}c"), "{stderr}");
}

#[test]
fn kubernetes_object_names_in_a_diff_are_escaped() {
    let dir = common::folder_with(&[(".env", "MIN_REPLICAS=1\nMAX_REPLICAS=1\n")]);
    let generated = common::acegen(
        dir.path(),
        &["generate", "--target", "kubernetes", "-o", "m"],
    );
    assert_eq!(
        generated.status.code(),
        Some(0),
        "{}",
        all_output(&generated)
    );
    std::fs::write(
        dir.path().join("m/evil.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"evil\\e]0;pwn\\a\\u202e\\r\"\nspec: {}\n",
    )
    .unwrap();
    for args in [
        &["diff", "--target", "kubernetes", "m"][..],
        &["diff", "--target", "kubernetes", "--semantic", "m"],
    ] {
        let output = common::acegen(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{}", all_output(&output));
        assert_no_controls(&format!("{args:?}"), &output);
        assert!(common::stdout(&output).contains("Service/evil\\u{1b}]0;pwn"));
    }
}
