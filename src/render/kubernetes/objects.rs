//! The Kubernetes objects acegen writes, as typed structs: only the fields it
//! uses, in the order `kubectl` users expect to read them (serde keeps the
//! declaration order). Optional fields are left out when empty. Names and
//! labels borrow from the plan (`'a`): an engine's labels appear on its pod,
//! its selector and its Service, and copying them was most of the cost of a
//! large fleet.

use serde::Serialize;
use std::collections::BTreeMap;

/// Label and annotation maps are sorted by key, so output never depends on
/// insertion order.
pub type StringMap<'a> = BTreeMap<&'a str, &'a str>;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: StringMap<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: StringMap<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment<'a> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta<'a>,
    pub spec: DeploymentSpec<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec<'a> {
    pub replicas: u32,
    pub selector: LabelSelector<'a>,
    pub strategy: Strategy,
    pub template: PodTemplate<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector<'a> {
    pub match_labels: StringMap<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Strategy {
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct PodTemplate<'a> {
    pub metadata: PodMeta<'a>,
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Serialize)]
pub struct PodMeta<'a> {
    pub labels: StringMap<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: StringMap<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<DnsConfig>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DnsConfig {
    pub nameservers: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
    /// Native sidecar: an init container that keeps running (`Always`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<&'static str>,
    /// Replaces the image's CMD, as compose's `command:` does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvSource>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<KeyRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<KeyRef>,
}

/// One key of a named Secret or ConfigMap.
#[derive(Debug, Clone, Serialize)]
pub struct KeyRef {
    pub name: String,
    pub key: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    pub name: String,
    pub container_port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u16>,
    #[serde(rename = "hostIP", skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    pub protocol: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resources {
    pub limits: BTreeMap<&'static str, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    pub exec: ExecAction,
    pub period_seconds: u32,
    pub timeout_seconds: u32,
    pub failure_threshold: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExecAction {
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityContext {
    pub capabilities: Capabilities,
}

#[derive(Debug, Clone, Serialize)]
pub struct Capabilities {
    pub add: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub name: String,
    pub host_path: HostPath,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostPath {
    pub path: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service<'a> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta<'a>,
    pub spec: ServiceSpec<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceSpec<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub selector: StringMap<'a>,
    pub ports: Vec<ServicePort>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    pub name: String,
    pub port: u16,
    pub target_port: u16,
    pub protocol: &'static str,
}

/// kustomize's file: not a Kubernetes kind, checked structurally.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Kustomization {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub resources: Vec<String>,
}
