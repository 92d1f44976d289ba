//! Every output read by PyYAML (a YAML 1.1 reader, as `kubectl apply -f`'s
//! sigs.k8s.io/yaml and many tools are) holds the same data a YAML 1.2 reader
//! (serde_yaml) finds: words like `yes`, `on`, `1_000`, `0x_1F` or
//! `2001-12-14` stay strings. Runs when the Python it is given
//! (`ACEGEN_PYYAML_PYTHON`, else `python3`) can `import yaml`; says that it
//! skipped otherwise (src/render/yaml11.rs holds the same proof without
//! Python, for random configurations). `.ci/run` gives it the Python of
//! kubernetes-validate's virtual environment, which has PyYAML.

mod common;

use common::{acegen, folder_with, stderr, stdout};
use std::io::Write;
use std::process::{Command, Stdio};

const PYYAML_TO_JSON: &str =
    "import json, sys, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin)), default=str))";

/// The Python that reads with PyYAML.
fn python() -> String {
    std::env::var("ACEGEN_PYYAML_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn pyyaml_available() -> bool {
    Command::new(python())
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The documents of `text` as PyYAML reads them.
fn read_with_pyyaml(text: &str) -> serde_json::Value {
    let mut child = Command::new(python())
        .args(["-c", PYYAML_TO_JSON])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "PyYAML could not read:\n{text}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The documents of `text` as serde_yaml (YAML 1.2) reads them.
fn read_with_serde_yaml(text: &str) -> serde_json::Value {
    let documents: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(text)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect();
    serde_json::Value::Array(documents)
}

const MISREAD: &[&str] = &[
    "yes",
    "on",
    "off",
    "n",
    "1_000",
    "0x1f",
    "0777",
    "2001-12-14",
    "1e3",
];

#[test]
fn pyyaml_reads_every_target_as_yaml_12_does() {
    if !pyyaml_available() {
        eprintln!("SKIPPED: {} with PyYAML not found (pip install pyyaml, or ACEGEN_PYYAML_PYTHON); the YAML 1.1 proof in src/render/yaml11.rs still ran", python());
        return;
    }
    for word in MISREAD {
        let env = format!(
            "MIN_REPLICAS=2\nCONTAINER_LABEL=ondemand.{word}={word}\nGLUETUN_CONTAINER_NAME=gluetun\n\
             VPN_SERVICE_PROVIDER=protonvpn\nWIREGUARD_PRIVATE_KEY=x\nSERVER_COUNTRIES={word}\nAPP_PORT=8001\n"
        );
        let dir = folder_with(&[(".env", &env)]);
        let outputs: [(&str, &[&str]); 3] = [
            ("compose", &["generate"]),
            (
                "orchestrator stack",
                &["generate", "--stack", "orchestrator"],
            ),
            ("kubernetes", &["generate", "--target", "kubernetes"]),
        ];
        for (target, args) in outputs {
            let output = acegen(dir.path(), args);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            let text = stdout(&output);
            assert_eq!(
                read_with_pyyaml(&text),
                read_with_serde_yaml(&text),
                "{target} with `{word}`:\n{text}"
            );
            // The orchestrator's stack passes `.env` on by `env_file:`: the words are not in it.
            if target != "orchestrator stack" {
                assert!(
                    text.contains(&format!("\"{word}\"")),
                    "{target}: `{word}` not quoted:\n{text}"
                );
            }
        }
    }
}
