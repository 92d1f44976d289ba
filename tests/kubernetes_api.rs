//! The manifests against a real Kubernetes API server (kube-apiserver
//! v1.36.2, kubectl 1.37.1, etcd 3.5.1: scripts/ci/kube-apiserver.sh), for
//! every example under examples/kubernetes/ and a set of configurations drawn
//! from a fixed seed: the Secret and ConfigMap created with the commands
//! `explain` prints, `kubectl apply --dry-run=server --validate=strict -k`,
//! a real apply, every object read back equal to what acegen wrote but for
//! the server's documented defaults (common::kube_api::SERVER_DEFAULTS), and
//! growing and shrinking the fleet, where `kubectl diff -k` and `acegen diff
//! --target kubernetes` name the same objects. Runs when ACEGEN_KUBE_APISERVER
//! names the kube-apiserver binary (.ci/run provides it); says it skipped
//! otherwise. No kubelet: pods never run, so this is about what the cluster
//! accepts and stores, not what the containers do.

mod common;

use common::kube_api::{differences, kind_name, text, ApiServer, Namespace};
use common::kube_cases::{random_cases, Case};
use common::{acegen, repo_root, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The example folders as cases, with their own flags (`acegen.args`).
fn example_cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("examples/kubernetes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter().map(Case::example).collect()
}

fn all_cases() -> Vec<Case> {
    let mut cases = example_cases();
    cases.extend(random_cases(0x6163_6567_656e, 9));
    cases
}

/// `acegen COMMAND --target kubernetes <the case's flags> EXTRA…` in its folder.
fn run(case: &Case, command: &[&str], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&str> = command.to_vec();
    args.extend(["--target", "kubernetes"]);
    args.extend(case.args.iter().map(String::as_str));
    args.extend(extra);
    acegen(&case.dir, &args)
}

fn explain(case: &Case, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    let output = run(case, &["explain"], &args);
    assert!(
        output.status.success(),
        "{}: {}",
        case.label,
        stderr(&output)
    );
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// Generates the manifests folder for `replicas` engines (the case's own
/// count when None).
fn generate(case: &Case, folder: &Path, replicas: Option<u32>) {
    let replicas = replicas.map(|n| n.to_string());
    let mut extra = vec!["-o", folder.to_str().unwrap()];
    if let Some(n) = &replicas {
        extra.extend(["--replicas", n]);
    }
    let output = run(case, &[], &extra);
    assert!(
        output.status.success(),
        "{}: {}",
        case.label,
        stderr(&output)
    );
}

/// The objects of a manifests folder, by `Kind/name`, as acegen wrote them.
fn written_objects(folder: &Path) -> BTreeMap<String, Value> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("kustomization.yaml"))
        .map(|p| {
            let object: Value = serde_yaml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            (kind_name(&object), object)
        })
        .collect()
}

/// Runs the commands `explain` prints (bash, in the case's folder, with
/// kubectl on PATH) and checks that the Secret and the ConfigMap hold
/// exactly the keys the pods reference, with the values compose would give.
fn create_secret_and_config_map(case: &Case, namespace: &Namespace) {
    let kubernetes = &explain(case, &[])["kubernetes"];
    let commands = kubernetes["create_commands"].as_str().unwrap();
    // Twice: they must be repeatable, as after a value changes.
    for _ in 0..2 {
        let output = namespace
            .command("bash", &["-euo", "pipefail", "-c", commands])
            .current_dir(&case.dir)
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "{}: the create commands failed: {}",
            case.label,
            text(&output.stderr)
        );
    }
    for (store, kind) in [("secret", "secret"), ("configmap", "configmap")] {
        let keys: Vec<&str> = kubernetes[store]["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        let name = kubernetes[store]["name"].as_str().unwrap();
        if keys.is_empty() {
            continue;
        }
        let live: Value =
            serde_json::from_str(&namespace.kubectl_ok(&["get", kind, name, "-o", "json"]))
                .unwrap();
        // Server-side apply keeps no copy of the values in an annotation.
        assert_eq!(
            live["metadata"]["annotations"],
            Value::Null,
            "{}: the {kind}'s annotations",
            case.label
        );
        let data = live["data"].as_object().cloned().unwrap_or_default();
        let stored: Vec<&str> = data.keys().map(String::as_str).collect();
        assert_eq!(stored, keys, "{}: the {kind}'s keys", case.label);
        for (key, value) in &data {
            let value = if kind == "secret" {
                decode_base64(value.as_str().unwrap())
            } else {
                value.as_str().unwrap().to_owned()
            };
            // Compared without printing: a Secret's values stay out of logs.
            assert!(
                Some(&value) == case.values.get(key),
                "{}: {kind} {key} holds another value than compose reads from .env",
                case.label
            );
        }
    }
}

fn decode_base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let index = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        bits = (bits << 6) | index;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).expect("UTF-8 value")
}

#[test]
fn the_api_server_accepts_stores_and_keeps_every_object_as_written() {
    let Some(server) = ApiServer::start("kubernetes_api") else {
        return;
    };
    let mut problems = Vec::new();
    let mut compared = 0;
    let cases = all_cases();
    for case in &cases {
        let namespace = server.namespace(&case.label);
        create_secret_and_config_map(case, &namespace);
        let out = tempfile::tempdir().unwrap();
        let folder = out.path().join("manifests");
        generate(case, &folder, None);
        let folder_arg = folder.to_str().unwrap();
        let dry_run = namespace.kubectl(&[
            "apply",
            "--dry-run=server",
            "--validate=strict",
            "-k",
            folder_arg,
        ]);
        assert!(
            dry_run.status.success(),
            "{}: server dry run refused it: {}",
            case.label,
            text(&dry_run.stderr)
        );
        namespace.kubectl_ok(&["apply", "--validate=strict", "-k", folder_arg]);
        let written = written_objects(&folder);
        let live: BTreeMap<String, Value> = namespace.live_objects().into_iter().collect();
        assert_eq!(
            live.keys().collect::<Vec<_>>(),
            written.keys().collect::<Vec<_>>(),
            "{}: the objects stored",
            case.label
        );
        for (name, object) in &written {
            compared += 1;
            for difference in differences(object, &live[name]) {
                problems.push(format!("{} {name}: {difference}", case.label));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let labels: Vec<&str> = cases.iter().map(|c| c.label.as_str()).collect();
    eprintln!(
        "kubernetes_api: {} configurations ({}), {compared} objects applied and read back as written",
        cases.len(),
        labels.join(", ")
    );
}

#[test]
fn the_comparison_reports_what_the_server_would_have_changed() {
    // The check above must be able to fail: a dropped field, a changed value
    // and an added field that is no default are each reported.
    let written: Value = serde_json::json!({"spec": {"replicas": 1, "template": {"spec": {
        "containers": [{"name": "a", "image": "x"}]}}}});
    let mut live = written.clone();
    live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "Always".into();
    live["spec"]["revisionHistoryLimit"] = 10.into();
    assert!(differences(&written, &live).is_empty());
    live["spec"]["replicas"] = 2.into();
    live["spec"]["template"]["spec"]["hostNetwork"] = true.into();
    live["spec"]["template"]["spec"]["containers"][0]
        .as_object_mut()
        .unwrap()
        .remove("image");
    assert_eq!(
        differences(&written, &live),
        [
            "spec.replicas: 1 became 2",
            "spec.template.spec.containers[].image: dropped",
            "spec.template.spec.hostNetwork: added true",
        ]
    );
}

/// The objects `acegen diff` reports changed, added or removed (the
/// kustomization is not a cluster object).
fn acegen_diff_objects(case: &Case, applied: &Path, replicas: u32) -> Vec<String> {
    let n = replicas.to_string();
    let output = run(
        case,
        &["diff"],
        &["--replicas", &n, applied.to_str().unwrap()],
    );
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{}: {}",
        case.label,
        stderr(&output)
    );
    let mut objects: Vec<String> = stdout(&output)
        .lines()
        .filter_map(|line| {
            let (object, what) = line.rsplit_once(" (")?;
            ["changed)", "added)", "removed)"]
                .contains(&what)
                .then(|| object.to_owned())
        })
        .filter(|object| object != "Kustomization")
        .collect();
    objects.sort();
    objects
}

/// Pruning limited to acegen's objects and kinds: what `apply` removes when
/// the fleet shrinks, and what `diff` then shows as removed.
const PRUNE: &[&str] = &[
    "--prune",
    "-l",
    "app.kubernetes.io/managed-by=acegen",
    "--prune-allowlist=apps/v1/Deployment",
    "--prune-allowlist=core/v1/Service",
];

/// The objects `kubectl diff -k` shows, from its `diff -u -N LIVE/… MERGED/…`
/// lines (files named `group.version.Kind.namespace.name`).
fn kubectl_diff_objects(namespace: &Namespace, folder: &Path) -> Vec<String> {
    let mut args = vec!["diff", "-k", folder.to_str().unwrap()];
    args.extend(PRUNE);
    let output = namespace.kubectl(&args);
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "kubectl diff: {}",
        text(&output.stderr)
    );
    let suffix = format!(".{}.", namespace.name);
    let mut objects: Vec<String> = text(&output.stdout)
        .lines()
        .filter(|line| line.starts_with("diff -u -N "))
        .filter_map(|line| {
            let file = line.rsplit('/').next()?;
            let (kind, name) = file.split_once(&suffix)?;
            Some(format!("{}/{name}", kind.rsplit('.').next()?))
        })
        .collect();
    objects.sort();
    objects
}

#[test]
fn growing_and_shrinking_kubectl_diff_and_acegen_diff_name_the_same_objects() {
    let Some(server) = ApiServer::start("kubernetes_api") else {
        return;
    };
    let mut steps_checked = 0;
    for case in all_cases() {
        let namespace = server.namespace(&case.label);
        let out = tempfile::tempdir().unwrap();
        let n = case.replicas;
        // N, N+1 where MAX_REPLICAS allows it, back to N, then N-1 where N > 1.
        let mut steps = vec![n];
        if n < case.max_replicas {
            steps.extend([n + 1, n]);
        }
        if n > 1 {
            steps.push(n - 1);
        }
        let mut applied: Option<(PathBuf, u32)> = None;
        for (step, replicas) in steps.into_iter().enumerate() {
            let folder = out.path().join(format!("step-{step}"));
            generate(&case, &folder, Some(replicas));
            if let Some((previous, before)) = &applied {
                let kubectl = kubectl_diff_objects(&namespace, &folder);
                let from = format!("{}: from {before} to {replicas} engines", case.label);
                assert_eq!(
                    kubectl,
                    acegen_diff_objects(&case, previous, replicas),
                    "{from}"
                );
                // Every step adds or removes an engine's Service at least.
                assert!(!kubectl.is_empty(), "{from}: no difference");
                steps_checked += 1;
            }
            let mut args = vec!["apply", "-k", folder.to_str().unwrap()];
            args.extend(PRUNE);
            namespace.kubectl_ok(&args);
            let live: Vec<String> = namespace.live_objects().into_iter().map(|o| o.0).collect();
            let written: Vec<String> = written_objects(&folder).into_keys().collect();
            assert_eq!(live, written, "{}: {replicas} engines applied", case.label);
            applied = Some((folder, replicas));
        }
    }
    eprintln!("kubernetes_api: {steps_checked} growth and shrink steps, kubectl diff and acegen diff agree");
}
