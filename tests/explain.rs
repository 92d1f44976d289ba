//! `acegen explain`: the text account and the JSON data, for three
//! configurations (no VPN, one VPN with a forwarded port, two VPNs).

mod common;

use common::acegen;

const CONFIGURATIONS: [(&str, &str); 3] = [
    ("no_vpn", include_str!("fixtures/diff/no-vpn.env")),
    ("single_vpn", include_str!("fixtures/diff/single-vpn.env")),
    ("redundant", include_str!("fixtures/diff/redundant.env")),
];

/// Literal secrets in the fixtures: none may be printed.
const SECRETS: [&str; 4] = [
    "wg-private-key-do-not-print",
    "control-api-key-do-not-print",
    "first-tunnel-key",
    "second-tunnel-key",
];

fn explain(env: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), env).unwrap();
    let output = acegen(dir.path(), &[&["explain"], args].concat());
    let out = String::from_utf8(output.stdout).unwrap();
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{err}");
    for secret in SECRETS {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "{secret} printed"
        );
    }
    out
}

#[test]
fn text_explanations() {
    for (name, env) in CONFIGURATIONS {
        insta::assert_snapshot!(format!("{name}_text"), explain(env, &[]));
    }
}

#[test]
fn json_explanations() {
    for (name, env) in CONFIGURATIONS {
        let out = explain(env, &["--format", "json"]);
        let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        insta::assert_snapshot!(format!("{name}_json"), out);
        // Every key acegen reads is in `settings`, with a value and a source.
        for spec in acegen::keys::KEYS {
            let setting = &value["settings"][spec.name];
            assert!(
                setting.get("value").is_some(),
                "{name}: {} has no value",
                spec.name
            );
            assert!(
                setting["source"].is_string(),
                "{name}: {} has no source",
                spec.name
            );
        }
    }
}

#[test]
fn the_text_names_the_rule_that_chose_the_variant() {
    let [(_, no_vpn), (_, single), _] = CONFIGURATIONS;
    assert!(explain(no_vpn, &[]).contains("chosen by:  ENGINE_VARIANT at .env:2"));
    assert!(explain(single, &[]).contains("chosen by:  the default"));
    let custom = tempfile::tempdir().unwrap();
    std::fs::write(custom.path().join(".env"), "ENGINE_VARIANT=jopsis-amd64\n").unwrap();
    std::fs::write(
        custom.path().join("custom_engine_variant.json"),
        r#"{"enabled": true, "platform": "arm64", "arm_version": "3.2.13", "parameters": []}"#,
    )
    .unwrap();
    let output = acegen(custom.path(), &["explain"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Variant: custom-arm64\n"), "{text}");
    assert!(
        text.contains("custom_engine_variant.json is enabled"),
        "{text}"
    );
}

#[test]
fn set_and_replicas_are_named_as_sources() {
    let [_, (_, single), _] = CONFIGURATIONS;
    let text = explain(
        single,
        &["--set", "GLUETUN_API_PORT=9000", "--replicas", "2"],
    );
    assert!(text.contains("Engines: 2 (from --replicas)"), "{text}");
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("GLUETUN_API_PORT"))
        .unwrap();
    assert!(row.contains("9000") && row.ends_with("--set"), "{row}");
}
