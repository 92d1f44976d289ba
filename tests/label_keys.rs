//! A `$` in a CONTAINER_LABEL key (issue 16 item 8): compose interpolates
//! mapping values but not mapping keys, so the key is written as it is and
//! only the value's `$` is doubled. Proven with the real compose when
//! ACEGEN_COMPOSE is set (always under CI).

mod common;

use common::{acegen, compose_binary, folder_with, stderr, stdout};
use std::process::Command;

#[test]
fn a_dollar_in_a_label_key_is_written_as_is_and_in_a_value_doubled() {
    let dir = folder_with(&[(".env", "CONTAINER_LABEL='a$b=c$d'\nMIN_REPLICAS=1\n")]);
    let output = acegen(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("      \"a$b\": \"c$$d\"\n"), "{text}");

    let Some(compose) = compose_binary() else {
        return;
    };
    std::fs::write(dir.path().join("docker-compose.yml"), &text).unwrap();
    let config = Command::new(compose)
        .current_dir(dir.path())
        .args(["-f", "docker-compose.yml", "config", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        config.status.success(),
        "{}",
        String::from_utf8_lossy(&config.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&config.stdout).unwrap();
    let labels = document["services"]["acestream-1"]["labels"]
        .as_object()
        .unwrap();
    // compose's own output escapes every `$` of the effective text as `$$`:
    // the effective key is `a$b` (not `a$$b`), the effective value `c$d`.
    assert_eq!(
        labels.get("a$$b").and_then(|v| v.as_str()),
        Some("c$$d"),
        "{labels:?}"
    );
    assert!(!labels.contains_key("a$$$$b"), "{labels:?}");
}
