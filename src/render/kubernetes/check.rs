//! The test suite's proof that the manifests are sound: parsed back from
//! their text, against the Kubernetes OpenAPI schemas of
//! [`KUBERNETES_VERSION`] (strict: no unknown fields), and against the rules
//! a schema cannot state: a selector matches its pod's labels, a Service
//! reaches a port its pod declares, ports are in range, names and labels
//! are valid, memory is in binary units. Every golden and the random
//! configurations of `proof.rs` go through it; a run does not (the output is
//! valid by construction, as the compose target's built-in template is).

use super::names::{is_dns_label, is_label_key, is_label_value};
use super::{Finding, Manifests, KUBERNETES_VERSION, KUSTOMIZATION_FILE};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

const DEPLOYMENT_SCHEMA: &str =
    include_str!("../../../schemas/kubernetes/v1.33.0/deployment-apps-v1.json");
const SERVICE_SCHEMA: &str = include_str!("../../../schemas/kubernetes/v1.33.0/service-v1.json");

fn compiled(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("embedded Kubernetes schema is JSON");
    jsonschema::validator_for(&schema).expect("embedded Kubernetes schema compiles")
}

fn schema_for(kind: &str) -> Option<&'static jsonschema::Validator> {
    use std::sync::OnceLock;
    static DEPLOYMENT: OnceLock<jsonschema::Validator> = OnceLock::new();
    static SERVICE: OnceLock<jsonschema::Validator> = OnceLock::new();
    match kind {
        "Deployment" => Some(DEPLOYMENT.get_or_init(|| compiled(DEPLOYMENT_SCHEMA))),
        "Service" => Some(SERVICE.get_or_init(|| compiled(SERVICE_SCHEMA))),
        _ => None,
    }
}

fn problem(file: &str, message: impl std::fmt::Display) -> Finding {
    Finding::internal("E0905", format!("{file}: {message}"))
}

/// Every problem of the manifests, read back from their text, including
/// the strict schemas; empty when they are sound.
pub fn check(manifests: &Manifests) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut documents = Vec::new();
    for manifest in &manifests.objects {
        let file = manifest.file_name.as_str();
        let document: Value = match serde_yaml::from_str(&manifest.text) {
            Ok(document) => document,
            Err(e) => {
                findings.push(problem(file, format!("not YAML: {e}")));
                continue;
            }
        };
        let kind = document["kind"].as_str().unwrap_or_default();
        match schema_for(kind) {
            Some(schema) => findings.extend(schema.iter_errors(&document).map(|e| {
                Finding::internal(
                    "E0904",
                    format!(
                        "{file}: not a valid Kubernetes {KUBERNETES_VERSION} {kind} at `{}`: {e}",
                        e.instance_path().as_str()
                    ),
                )
            })),
            None => findings.push(problem(file, format!("unexpected kind `{kind}`"))),
        }
        documents.push(document);
    }
    let kustomization: Value = match serde_yaml::from_str(&manifests.kustomization) {
        Ok(document) => document,
        Err(e) => {
            findings.push(problem(KUSTOMIZATION_FILE, format!("not YAML: {e}")));
            return findings;
        }
    };
    findings.extend(rules(manifests, &documents, &kustomization));
    findings
}

/// What a schema cannot say, on the objects as written (`documents`, in the
/// order of `manifests.objects`); linear in their size.
fn rules(manifests: &Manifests, documents: &[Value], kustomization: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let documents: Vec<(&str, &Value)> = manifests
        .objects
        .iter()
        .map(|m| m.file_name.as_str())
        .zip(documents)
        .collect();
    for (file, document) in &documents {
        findings.extend(names_and_labels(file, document));
        findings.extend(ports_in_range(file, document));
        if document["kind"] == "Deployment" {
            findings.extend(deployment_rules(file, document));
        }
    }
    findings.extend(services_reach_pods(&documents));
    findings.extend(kustomization_rules(manifests, kustomization));
    findings
}

fn names_and_labels(file: &str, document: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let name = document["metadata"]["name"].as_str().unwrap_or_default();
    if !is_dns_label(name) {
        findings.push(problem(file, format!("`{name}` is not a DNS-1123 label")));
    }
    let label_maps = [
        &document["metadata"]["labels"],
        &document["spec"]["template"]["metadata"]["labels"],
        &document["spec"]["selector"]["matchLabels"],
        &document["spec"]["selector"],
    ];
    for labels in label_maps.iter().filter_map(|m| m.as_object()) {
        // A Deployment's `selector` holds `matchLabels`, a map: not a label.
        for (key, value) in labels.iter().filter(|(_, v)| !v.is_object()) {
            let value = value.as_str().unwrap_or("(not a string)");
            if !is_label_key(key) || !is_label_value(value) {
                findings.push(problem(
                    file,
                    format!("label `{key}: {value}` is not valid"),
                ));
            }
        }
    }
    findings
}

/// Every object in `value`'s tree that has `key`, with the value of `key`.
fn find_all<'a>(value: &'a Value, key: &str, found: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if let Some(v) = map.get(key) {
                found.push(v);
            }
            map.values().for_each(|v| find_all(v, key, found));
        }
        Value::Array(items) => items.iter().for_each(|v| find_all(v, key, found)),
        _ => {}
    }
}

/// The values of every `containerPort`, `hostPort`, `port` and `targetPort`, in one walk.
fn find_ports<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if matches!(
                    key.as_str(),
                    "containerPort" | "hostPort" | "port" | "targetPort"
                ) {
                    found.push(inner);
                }
                find_ports(inner, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| find_ports(v, found)),
        _ => {}
    }
}

fn ports_in_range(file: &str, document: &Value) -> Vec<Finding> {
    let mut ports = Vec::new();
    find_ports(document, &mut ports);
    ports
        .into_iter()
        .filter(|p| !p.as_u64().is_some_and(|p| (1..=65535).contains(&p)))
        .map(|p| problem(file, format!("port {p} is not between 1 and 65535")))
        .collect()
}

fn pod_containers(document: &Value) -> impl Iterator<Item = &Value> {
    let spec = &document["spec"]["template"]["spec"];
    spec["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(spec["containers"].as_array().into_iter().flatten())
}

fn deployment_rules(file: &str, document: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    let pod_labels = &document["spec"]["template"]["metadata"]["labels"];
    if let Some(selector) = document["spec"]["selector"]["matchLabels"].as_object() {
        for (key, value) in selector {
            if &pod_labels[key] != value {
                findings.push(problem(
                    file,
                    format!("the selector's `{key}` does not match the pod's labels"),
                ));
            }
        }
    }
    if document["spec"]["template"]["spec"]["containers"]
        .as_array()
        .is_none_or(Vec::is_empty)
    {
        findings.push(problem(file, "the pod has no container"));
    }
    let mut container_names = BTreeSet::new();
    let mut port_names = BTreeSet::new();
    for container in pod_containers(document) {
        let name = container["name"].as_str().unwrap_or_default();
        if !is_dns_label(name) || !container_names.insert(name) {
            findings.push(problem(
                file,
                format!("container name `{name}` is invalid or repeated"),
            ));
        }
        let ports = container["ports"].as_array().into_iter().flatten();
        for port_name in ports.filter_map(|p| p["name"].as_str()) {
            let valid = port_name.len() <= 15
                && is_dns_label(port_name)
                && port_name.bytes().any(|b| b.is_ascii_lowercase());
            if !valid || !port_names.insert(port_name) {
                findings.push(problem(
                    file,
                    format!("port name `{port_name}` is invalid or repeated in the pod"),
                ));
            }
        }
        let memory = &container["resources"]["limits"]["memory"];
        if let Some(memory) = memory.as_str() {
            let binary = ["Ki", "Mi", "Gi"]
                .iter()
                .find_map(|unit| memory.strip_suffix(unit))
                .unwrap_or(memory);
            if binary.is_empty() || !binary.bytes().all(|b| b.is_ascii_digit()) {
                findings.push(problem(
                    file,
                    format!("memory `{memory}` is not bytes, Ki, Mi or Gi"),
                ));
            }
        }
    }
    findings
}

/// Each Service selects exactly one of the Deployments' pods, and that pod
/// declares every port the Service targets. Pods are indexed by label, and
/// each pod's ports gathered once, so that many Services on one pod (the
/// engines behind one VPN) cost no more than one each.
fn services_reach_pods(documents: &[(&str, &Value)]) -> Vec<Finding> {
    let pods: Vec<&Value> = documents
        .iter()
        .filter(|(_, d)| d["kind"] == "Deployment")
        .map(|(_, d)| *d)
        .collect();
    let mut by_label: HashMap<(&str, &Value), Vec<usize>> = HashMap::new();
    for (n, pod) in pods.iter().enumerate() {
        let labels = pod["spec"]["template"]["metadata"]["labels"].as_object();
        for (key, value) in labels.into_iter().flatten() {
            by_label.entry((key.as_str(), value)).or_default().push(n);
        }
    }
    let mut declared: HashMap<usize, HashSet<&Value>> = HashMap::new();
    let mut findings = Vec::new();
    for (file, service) in documents.iter().filter(|(_, d)| d["kind"] == "Service") {
        let selector = service["spec"]["selector"].as_object();
        // The pods carrying the selector's rarest label, then those carrying all of them.
        let candidates = selector
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                by_label
                    .get(&(k.as_str(), v))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|pods| pods.len())
            .unwrap_or(&[]);
        let selected: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|n| {
                let labels = &pods[*n]["spec"]["template"]["metadata"]["labels"];
                selector.is_some_and(|s| s.iter().all(|(k, v)| &labels[k] == v))
            })
            .collect();
        let [pod] = selected.as_slice() else {
            findings.push(problem(
                file,
                format!("the selector matches {} pods, not 1", selected.len()),
            ));
            continue;
        };
        let ports = declared.entry(*pod).or_insert_with(|| {
            let mut found = Vec::new();
            for container in pod_containers(pods[*pod]) {
                find_all(&container["ports"], "containerPort", &mut found);
            }
            found.into_iter().collect()
        });
        let mut targets = Vec::new();
        find_all(&service["spec"]["ports"], "targetPort", &mut targets);
        for target in targets {
            if !ports.contains(target) {
                findings.push(problem(
                    file,
                    format!("targets port {target}, which its pod does not declare"),
                ));
            }
        }
    }
    findings
}

/// kustomization.yaml is not a Kubernetes object: checked by structure.
fn kustomization_rules(manifests: &Manifests, document: &Value) -> Vec<Finding> {
    let expected: Vec<Value> = manifests
        .objects
        .iter()
        .map(|m| Value::from(m.file_name.as_str()))
        .collect();
    let mut findings = Vec::new();
    let fields: Vec<&String> = document
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    if fields
        .iter()
        .any(|f| !["apiVersion", "kind", "resources"].contains(&f.as_str()))
        || document["apiVersion"] != "kustomize.config.k8s.io/v1beta1"
        || document["kind"] != "Kustomization"
    {
        findings.push(problem(
            KUSTOMIZATION_FILE,
            "not a kustomize.config.k8s.io/v1beta1 Kustomization of resources only",
        ));
    }
    if document["resources"].as_array() != Some(&expected) {
        findings.push(problem(
            KUSTOMIZATION_FILE,
            "its resources are not exactly the object files",
        ));
    }
    let unique: BTreeSet<&str> = manifests
        .objects
        .iter()
        .map(|m| m.file_name.as_str())
        .collect();
    if unique.len() != expected.len() {
        findings.push(problem(KUSTOMIZATION_FILE, "two objects share a file name"));
    }
    findings
}
