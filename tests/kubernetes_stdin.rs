//! `acegen diff --target kubernetes -`: the objects to compare with come on
//! standard input, as `acegen generate` or `kubectl get -o yaml` print them.

mod common;

use common::{folder_with, stderr, stdout};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const ENV: &str = "MIN_REPLICAS=2\nCONTAINER_LABEL=ondemand.app=yes\n";

fn acegen_with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acegen"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("acegen starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("acegen reads its input");
    child.wait_with_output().expect("acegen runs")
}

fn generated_stream(dir: &Path) -> String {
    let output = common::acegen(dir, &["generate", "--target", "kubernetes"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

/// The stream as a cluster hands it back: one `List`, each object with a
/// uid, a resourceVersion and a status acegen never writes.
fn as_kubectl_list(stream: &str) -> String {
    let items: Vec<serde_json::Value> = stream
        .split("---\n")
        .map(|document| {
            let mut object: serde_json::Value = serde_yaml::from_str(document).unwrap();
            object["metadata"]["uid"] = "3f1c0a52-0000-4000-8000-000000000001".into();
            object["metadata"]["resourceVersion"] = "4711".into();
            object["status"] = serde_json::json!({"observedGeneration": 1});
            object
        })
        .collect();
    let list = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": items,
        "metadata": {"resourceVersion": ""},
    });
    serde_yaml::to_string(&list).unwrap()
}

#[test]
fn the_generated_stream_on_stdin_is_identical() {
    let dir = folder_with(&[(".env", ENV)]);
    let stream = generated_stream(dir.path());
    let output = acegen_with_stdin(
        dir.path(),
        &["diff", "--target", "kubernetes", "-"],
        &stream,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
}

#[test]
fn one_engine_more_than_stdin_holds_is_named_as_added() {
    let dir = folder_with(&[(".env", ENV)]);
    let stream = generated_stream(dir.path());
    let output = acegen_with_stdin(
        dir.path(),
        &["diff", "--target", "kubernetes", "--replicas", "3", "-"],
        &stream,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Service/acestream-3 (added)\n"), "{text}");
    assert!(text.contains("Deployment/acestream-3 (added)\n"), "{text}");
    assert!(
        text.ends_with("0 objects changed, 2 added, 0 removed\n"),
        "{text}"
    );
}

#[test]
fn a_list_as_kubectl_prints_it_compares_as_its_items() {
    let dir = folder_with(&[(".env", ENV)]);
    let list = as_kubectl_list(&generated_stream(dir.path()));
    let same = acegen_with_stdin(
        dir.path(),
        &["diff", "--target", "kubernetes", "--semantic", "-"],
        &list,
    );
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    let grown = acegen_with_stdin(
        dir.path(),
        &[
            "diff",
            "--target",
            "kubernetes",
            "--semantic",
            "--replicas",
            "3",
            "-",
        ],
        &list,
    );
    assert_eq!(grown.status.code(), Some(1), "{}", stderr(&grown));
    let text = stdout(&grown);
    assert!(text.contains("Service/acestream-3 (added)\n"), "{text}");
    assert!(!text.contains("uid"), "{text}");
    assert!(!text.contains("Service/acestream-1"), "{text}");
}

#[test]
fn stdin_that_is_not_yaml_is_an_error_naming_stdin() {
    let dir = folder_with(&[(".env", ENV)]);
    let output = acegen_with_stdin(
        dir.path(),
        &["diff", "--target", "kubernetes", "-"],
        "kind: [unclosed\n",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("<stdin>: not YAML"),
        "{}",
        stderr(&output)
    );
}
