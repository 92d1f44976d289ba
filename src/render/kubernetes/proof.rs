//! The built-in renderer's output is valid by construction: for random
//! configurations full of words YAML readers misread (`yes`, `on`, `1_000`,
//! `0x_1F`, `2001-12-14`, `=`, …) in labels, names and values, every object
//! passes the strict Kubernetes schemas and the rules, its text reads back
//! (YAML 1.2, serde_yaml) as exactly the object the checks saw, and a YAML
//! 1.1 reader finds a string wherever a string was meant.

use super::*;
use crate::render::yaml11::{scalars_read_as_strings, strings_meant};
use crate::resolve::ResolveOptions;
use crate::test_support::{resolved, settings};
use proptest::prelude::*;

/// Words that are valid label values, DNS labels or keys, and that some
/// YAML reader takes for something other than a string.
const MISREAD: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "false",
    "null",
    "1_000",
    "0x1f",
    "0o17",
    "0b101",
    "1e3",
    "123",
    "0777",
    "2001-12-14",
    "1.5",
    "nan",
    "inf",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(MISREAD).prop_map(str::to_owned),
        "[a-z0-9]{1,6}",
    ]
}

/// Words for values that may hold any character a `.env` line can.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        prop::sample::select(
            &[
                "Yes",
                "ON",
                "~",
                "=",
                "<<",
                "1:20",
                "0x_1F",
                ".inf",
                "- x",
                "a: b",
                "#c",
                "2001-12-14 21:59:43"
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

fn env_text() -> impl Strategy<Value = String> {
    (
        word(),
        // A second `=` in CONTAINER_LABEL is refused (E0241).
        value().prop_filter("CONTAINER_LABEL holds one `=`", |v| !v.contains('=')),
        prop::option::of(word().prop_filter("a VPN name has two characters or more", |w| w.len() >= 2)),
        0u32..4,
        prop::sample::select(&["krinkuto11-amd64", "jopsis-amd64", "jopsis-arm32", "jopsis-arm64"][..]),
        value(),
    )
        .prop_map(|(label_key, label_value, vpn, replicas, variant, server)| {
            let mut text = format!(
                "MIN_REPLICAS={replicas}\nENGINE_VARIANT={variant}\nCONTAINER_LABEL=ondemand.{label_key}={label_value}\n"
            );
            if let Some(vpn) = vpn {
                text.push_str(&format!(
                    "GLUETUN_CONTAINER_NAME={vpn}\nVPN_SERVICE_PROVIDER=protonvpn\nWIREGUARD_PRIVATE_KEY={server}\nSERVER_COUNTRIES='{server}'\n"
                ));
            }
            text
        })
}

fn assert_read_alike(file: &str, text: &str, checked: Option<&serde_json::Value>) {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}\n{text}"));
    if let Some(checked) = checked {
        let as_json: serde_json::Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(
            &as_json, checked,
            "{file} does not read back as written:\n{text}"
        );
    }
    assert_eq!(
        scalars_read_as_strings(text),
        strings_meant(&value),
        "{file}: a YAML 1.1 reader finds a non-string where a string was meant:\n{text}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_output_is_valid_and_read_alike_by_yaml_11_and_12(env in env_text(), expose in prop::sample::select(&[Expose::Cluster, Expose::Hostport, Expose::Loadbalancer][..])) {
        let settings = settings(&env);
        let plan = resolved(&settings, None, &ResolveOptions::default());
        let options = KubernetesOptions { expose, ..KubernetesOptions::default() };
        let (manifests, findings) = render(&plan, &settings, &settings.gluetun_image.value, &options);
        let errors: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
        // A label key or VPN name Kubernetes refuses is the user's error, said as such.
        if !errors.is_empty() {
            prop_assert!(errors.iter().all(|f| matches!(f.code, "E0901" | "E0902")), "{errors:?}\n{env}");
            return Ok(());
        }
        let manifests = manifests.expect("manifests without errors");
        let strict = check::check(&manifests);
        prop_assert!(strict.is_empty(), "{strict:?}\n{env}");
        for manifest in &manifests.objects {
            let checked: serde_json::Value = serde_yaml::from_str(&manifest.text).unwrap();
            assert_read_alike(&manifest.file_name, &manifest.text, Some(&checked));
        }
        assert_read_alike(KUSTOMIZATION_FILE, &manifests.kustomization, None);
    }
}
