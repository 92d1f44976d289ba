//! A real Kubernetes API server for the tests (scripts/ci/kube-apiserver.sh:
//! kube-apiserver v1.36.2 named by ACEGEN_KUBE_APISERVER, etcd 3.5.1 and
//! kubectl 1.37.1 from PyPI), and how its objects are compared with what
//! acegen wrote.

use super::repo_root;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The API server of one test; stopped when dropped, so also when the test
/// panics (and by the script's watchdog if the test process is killed).
pub struct ApiServer {
    work: tempfile::TempDir,
    kubeconfig: PathBuf,
    kubectl: PathBuf,
    namespaces: std::cell::Cell<u32>,
}

fn script() -> Command {
    let mut command = Command::new("bash");
    command.arg(repo_root().join("scripts/ci/kube-apiserver.sh"));
    command
}

impl ApiServer {
    /// Starts a server when ACEGEN_KUBE_APISERVER names the binary; without
    /// it says that the test is skipped, except under CI (`CI` set), where a
    /// missing server is a failure: the test must never pass on nothing there.
    pub fn start(test: &str) -> Option<ApiServer> {
        match std::env::var_os("ACEGEN_KUBE_APISERVER") {
            Some(path) if !path.is_empty() => {
                assert!(
                    Path::new(&path).is_file(),
                    "ACEGEN_KUBE_APISERVER={} is not a file",
                    Path::new(&path).display()
                );
            }
            _ if std::env::var_os("CI").is_some() => {
                panic!("CI is set but ACEGEN_KUBE_APISERVER is not: {test} cannot run")
            }
            _ => {
                eprintln!(
                    "{test}: skipped: ACEGEN_KUBE_APISERVER not set (the kube-apiserver binary; see docs/kubernetes.md)"
                );
                return None;
            }
        }
        let tools = script().arg("tools").output().expect("bash runs");
        assert!(tools.status.success(), "{}", text(&tools.stderr));
        let kubectl = PathBuf::from(text(&tools.stdout).trim()).join("kubectl");
        let work = tempfile::Builder::new()
            .prefix("acegen-kube-api-")
            .tempdir()
            .expect("temporary folder");
        let started = script()
            .arg("start")
            .arg(work.path())
            .env("KUBE_OWNER_PID", std::process::id().to_string())
            .output()
            .expect("bash runs");
        let server = ApiServer {
            kubeconfig: PathBuf::from(text(&started.stdout).trim()),
            work,
            kubectl,
            namespaces: std::cell::Cell::new(0),
        };
        assert!(
            started.status.success(),
            "the API server did not start: {}",
            text(&started.stderr)
        );
        Some(server)
    }

    /// A fresh namespace (namespaces never finish deleting without a
    /// controller manager) and a kubeconfig whose context uses it, so that
    /// kubectl commands run in it as a user's would, without `-n`.
    pub fn namespace(&self, label: &str) -> Namespace {
        let number = self.namespaces.get() + 1;
        self.namespaces.set(number);
        let name = format!("case-{number}-{label}");
        let kubeconfig = self.work.path().join(format!("{name}.kubeconfig"));
        std::fs::copy(&self.kubeconfig, &kubeconfig).expect("copy kubeconfig");
        let namespace = Namespace {
            name,
            kubeconfig,
            kubectl: self.kubectl.clone(),
        };
        namespace.kubectl_ok(&["create", "namespace", &namespace.name]);
        namespace.kubectl_ok(&[
            "config",
            "set-context",
            "--current",
            "--namespace",
            &namespace.name,
        ]);
        namespace
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let stopped = script().arg("stop").arg(self.work.path()).status();
        if !matches!(stopped, Ok(status) if status.success()) {
            eprintln!(
                "could not stop the API server in {}",
                self.work.path().display()
            );
        }
    }
}

/// One test case's namespace, and kubectl pointed at it.
pub struct Namespace {
    pub name: String,
    pub kubeconfig: PathBuf,
    kubectl: PathBuf,
}

impl Namespace {
    pub fn kubectl(&self, args: &[&str]) -> Output {
        self.command("kubectl", args)
            .output()
            .expect("kubectl runs")
    }

    /// kubectl's stdout; panics with its stderr when it fails.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let output = self.kubectl(args);
        assert!(
            output.status.success(),
            "kubectl {} failed in {}: {}",
            args.join(" "),
            self.name,
            text(&output.stderr)
        );
        text(&output.stdout)
    }

    /// `program` with kubectl first on PATH and KUBECONFIG naming this
    /// namespace's context.
    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let bin = self.kubectl.parent().expect("kubectl is in a folder");
        let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .expect("PATH");
        let mut command = Command::new(program);
        command
            .args(args)
            .env("PATH", path)
            .env("KUBECONFIG", &self.kubeconfig);
        command
    }

    /// The live objects acegen manages here, by `Kind/name`, as read back.
    pub fn live_objects(&self) -> Vec<(String, Value)> {
        let list = self.kubectl_ok(&[
            "get",
            "deployments,services",
            "-l",
            "app.kubernetes.io/managed-by=acegen",
            "-o",
            "yaml",
        ]);
        let list: Value = serde_yaml::from_str(&list).expect("kubectl prints YAML");
        let mut objects: Vec<(String, Value)> = list["items"]
            .as_array()
            .expect("a List")
            .iter()
            .map(|object| (kind_name(object), object.clone()))
            .collect();
        objects.sort_by(|a, b| a.0.cmp(&b.0));
        objects
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn kind_name(object: &Value) -> String {
    format!(
        "{}/{}",
        object["kind"].as_str().unwrap_or("?"),
        object["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// What the API server adds to the objects acegen writes, and nothing more
/// (each entry seen in the test's run against v1.36.2). Kubernetes'
/// documented defaults (the SetDefaults_* functions of apps/v1 and core/v1):
/// Deployment revisionHistoryLimit 10 and progressDeadlineSeconds 600; pod
/// restartPolicy Always, dnsPolicy ClusterFirst (where acegen sets none),
/// schedulerName default-scheduler, terminationGracePeriodSeconds 30,
/// securityContext {}; container imagePullPolicy (Always for `:latest`, else
/// IfNotPresent), terminationMessagePath /dev/termination-log,
/// terminationMessagePolicy File, resources {} (with a memory limit,
/// requests equal to the limits); probe successThreshold 1; Service
/// sessionAffinity None, internalTrafficPolicy Cluster, and for a
/// LoadBalancer externalTrafficPolicy Cluster and
/// allocateLoadBalancerNodePorts true. What the server allocates:
/// clusterIP(s), ipFamilies, ipFamilyPolicy, nodePort. What every stored
/// object gets: uid, resourceVersion, creationTimestamp, generation,
/// namespace, kubectl's last-applied annotation; and status. Paths use `[]`
/// for any list element; a path covers everything under it.
pub const SERVER_DEFAULTS: &[&str] = &[
    "metadata.uid",
    "metadata.resourceVersion",
    "metadata.creationTimestamp",
    "metadata.generation",
    "metadata.namespace",
    "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
    "status",
    "spec.revisionHistoryLimit",
    "spec.progressDeadlineSeconds",
    "spec.template.spec.restartPolicy",
    "spec.template.spec.dnsPolicy",
    "spec.template.spec.schedulerName",
    "spec.template.spec.terminationGracePeriodSeconds",
    "spec.template.spec.securityContext",
    "spec.template.spec.containers[].imagePullPolicy",
    "spec.template.spec.containers[].terminationMessagePath",
    "spec.template.spec.containers[].terminationMessagePolicy",
    "spec.template.spec.containers[].resources",
    "spec.template.spec.containers[].readinessProbe.successThreshold",
    "spec.template.spec.initContainers[].imagePullPolicy",
    "spec.template.spec.initContainers[].terminationMessagePath",
    "spec.template.spec.initContainers[].terminationMessagePolicy",
    "spec.template.spec.initContainers[].resources",
    "spec.template.spec.initContainers[].startupProbe.successThreshold",
    "spec.template.spec.initContainers[].readinessProbe.successThreshold",
    "spec.clusterIP",
    "spec.clusterIPs",
    "spec.ipFamilies",
    "spec.ipFamilyPolicy",
    "spec.sessionAffinity",
    "spec.internalTrafficPolicy",
    "spec.externalTrafficPolicy",
    "spec.allocateLoadBalancerNodePorts",
    "spec.ports[].nodePort",
];

/// Every way `live` differs from `written`, except the server defaults:
/// a field dropped, a value changed, or a field added that is not a default.
pub fn differences(written: &Value, live: &Value) -> Vec<String> {
    let mut found = Vec::new();
    compare("", written, live, &mut found);
    found
}

fn is_default(path: &str) -> bool {
    SERVER_DEFAULTS.iter().any(|default| {
        path == *default
            || path
                .strip_prefix(default)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn compare(path: &str, written: &Value, live: &Value, found: &mut Vec<String>) {
    match (written, live) {
        (Value::Object(ours), Value::Object(theirs)) => {
            for (key, value) in ours {
                match theirs.get(key) {
                    Some(live) => compare(&join(path, key), value, live, found),
                    None => found.push(format!("{}: dropped", join(path, key))),
                }
            }
            for (key, value) in theirs {
                if ours.contains_key(key) {
                    continue;
                }
                let path = join(path, key);
                match value {
                    _ if is_default(&path) => {}
                    // A map the server added is judged by what it holds.
                    Value::Object(_) => {
                        compare(&path, &Value::Object(Default::default()), value, found)
                    }
                    _ => found.push(format!("{path}: added {value}")),
                }
            }
        }
        (Value::Array(ours), Value::Array(theirs)) if ours.len() == theirs.len() => {
            for (ours, theirs) in ours.iter().zip(theirs) {
                compare(&format!("{path}[]"), ours, theirs, found);
            }
        }
        _ if written == live => {}
        _ => found.push(format!("{path}: {written} became {live}")),
    }
}
