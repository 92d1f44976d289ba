use super::*;
use crate::diagnostic::{Position, Severity};
use crate::load::dotenv;
use crate::validate::settings::Override;
use camino::Utf8Path;

fn diagnose(text: &str, overrides: &[Override]) -> Vec<Diagnostic> {
    let parsed = dotenv::parse(text, &|_| None);
    let entries = super::super::entries(&parsed, Utf8Path::new(".env"), overrides);
    check(&entries, None)
}

/// `(code, line, column)` of each diagnostic, in the order produced.
fn codes(diagnostics: &[Diagnostic]) -> Vec<(&'static str, u32, u32)> {
    let at = |d: &Diagnostic| {
        d.location
            .as_ref()
            .and_then(|l| l.position)
            .unwrap_or_default()
    };
    diagnostics
        .iter()
        .map(|d| (d.code, at(d).line, at(d).column))
        .collect()
}

#[test]
fn every_key_gets_its_fate_at_its_position() {
    let text = "MIN_REPLICAS=10\nMAX_ENGINES_PER_VPN=15\nGLUETUN_CONTAINER_NAME=gluetun\n\
                ENGINE_VARIANT=ghcr.io/krinkuto11/acestream:latest-amd64\nIDLE_TTL_S=600\n\
                KEEPALIVE_INTERVAL_MS=500\nPORT_BIND_IP=127.0.0.1\nMIN_REPLCAS=3\n";
    let found = diagnose(text, &[]);
    assert_eq!(
        codes(&found),
        vec![
            ("W1002", 1, 1),
            ("N1001", 2, 1),
            ("W1003", 3, 1),
            ("W1004", 4, 1),
            ("W1005", 5, 1),
            ("W1006", 6, 1),
            ("N1007", 7, 1),
            ("W1008", 8, 1),
        ]
    );
    let stored = &found[0];
    assert!(
        stored.message.contains("engine_settings.min_replicas"),
        "{}",
        stored.message
    );
    assert!(stored
        .hint
        .as_deref()
        .unwrap()
        .contains("acegen settings --orchestrator 2.1"));
    assert_eq!(found[1].severity, Severity::Note);
}

#[test]
fn values_2_1_would_misread_are_errors_at_the_value() {
    let text = "ENGINE_VARIANT=jopsis-amd64\nCHANNEL_INIT_GRACE_PERIOD_S=0.5\nREPUTATION_ENABLED=yes\n\
                ENGINE_MEMORY_LIMIT=512mb\nGLUETUN_PORT_RANGE_1=19500-19000\nPORT_RANGE_HOST=19000\n\
                MAX_TOTAL_STREAMS=lots\nBUFFER_CHUNK_SIZE=100\n";
    let found = diagnose(text, &[]);
    let expected: Vec<_> = (1..=8)
        .map(|line| ("E1010", line, line_value_column(text, line)))
        .collect();
    assert_eq!(codes(&found), expected);
    assert!(
        found[0].message.contains("1.x variant name"),
        "{}",
        found[0].message
    );
}

fn line_value_column(text: &str, line: u32) -> u32 {
    let line = text.lines().nth(line as usize - 1).unwrap();
    line.find('=').unwrap() as u32 + 2
}

/// Durations that 2.1 reads and uses: a bare number is seconds, which only
/// misleads in a key named in milliseconds (there is none among the used
/// keys of v2.1.0.2, so an unused one is a warning, not an error).
#[test]
fn a_bare_number_in_an_ms_key_is_named_as_seconds_only_when_it_matters() {
    let found = diagnose(
        "KEEPALIVE_INTERVAL_MS=500\nGLUETUN_HEALTH_CHECK_INTERVAL_S=5\n",
        &[],
    );
    assert_eq!(codes(&found), vec![("W1006", 1, 1), ("N1001", 2, 1)]);
}

#[test]
fn values_the_store_cannot_hold_are_errors_and_a_stored_zero_is_a_warning() {
    let found = diagnose("MAX_STREAMS_PER_ENGINE=50\nMIN_REPLICAS=0\n", &[]);
    assert_eq!(
        codes(&found),
        vec![("E1011", 1, 24), ("W1002", 2, 1), ("W1012", 2, 14)]
    );
}

#[test]
fn set_values_are_named_as_such_and_secrets_are_never_shown() {
    let overrides = [Override {
        key: "REPUTATION_ENABLED".into(),
        value: "on".into(),
    }];
    let found = diagnose("MY_TOKEN=abc123\nREPUTATION_ENABLED=true\n", &overrides);
    assert_eq!(codes(&found), vec![("W1008", 1, 1), ("E1010", 0, 0)]);
    assert!(
        found[1].message.ends_with("(--set)"),
        "{}",
        found[1].message
    );
    assert!(found[1].location.is_none());
    let secret = diagnose(
        "VPN_PROVIDER=x\nMAX_TOTAL_STREAMS_TOKEN=s3cr3t\nMAX_CLIENTS_PER_STREAM=1\n",
        &[],
    );
    assert!(secret
        .iter()
        .all(|d| !d.message.contains("s3cr3t")
            && !d.hint.as_deref().unwrap_or("").contains("s3cr3t")));
}

#[test]
fn the_custom_variant_file_is_reported_unread() {
    let file = crate::load::SourceFile::new("custom_engine_variant.json".into(), "{}".into());
    let found = check(&[], Some(&file));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "W1013");
    assert_eq!(
        found[0].location.as_ref().unwrap().position,
        None::<Position>
    );
}
