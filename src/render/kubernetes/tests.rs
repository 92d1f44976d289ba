//! The manifests a user would apply: their objects, secrets by reference,
//! stability under growth, and the checks that refuse a broken manifest.

use super::*;
use crate::resolve::ResolveOptions;
use crate::test_support::{resolved, settings};
use serde_json::Value;

fn render_with(
    env_text: &str,
    replicas: Option<u32>,
    options: &KubernetesOptions,
) -> (Option<Manifests>, Vec<Finding>) {
    let settings = settings(env_text);
    let resolve_options = ResolveOptions {
        replicas,
        ..Default::default()
    };
    let plan = resolved(&settings, None, &resolve_options);
    render(&plan, &settings, &settings.gluetun_image.value, options)
}

fn manifests(env_text: &str) -> Manifests {
    let (manifests, findings) = render_with(env_text, None, &KubernetesOptions::default());
    assert!(
        findings.iter().all(|f| f.severity == Severity::Warning),
        "{findings:?}"
    );
    manifests.expect("manifests")
}

fn object(manifests: &Manifests, file: &str) -> Value {
    let manifest = manifests
        .objects
        .iter()
        .find(|m| m.file_name == file)
        .unwrap_or_else(|| panic!("no {file}"));
    serde_yaml::from_str(&manifest.text).unwrap()
}

fn env_of(container: &Value, name: &str) -> Value {
    container["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .cloned()
        .unwrap_or(Value::Null)
}

const SINGLE_VPN: &str =
    "GLUETUN_CONTAINER_NAME=gluetun\nMIN_REPLICAS=2\nGLUETUN_FORWARDED_PORT=51413\n\
VPN_SERVICE_PROVIDER=protonvpn\nWIREGUARD_PRIVATE_KEY=supersecret-key-value\n";

#[test]
fn without_a_vpn_each_engine_is_a_deployment_and_a_service() {
    let manifests = manifests("MIN_REPLICAS=2\n");
    let files: Vec<&str> = manifests
        .objects
        .iter()
        .map(|m| m.file_name.as_str())
        .collect();
    assert_eq!(
        files,
        [
            "acestream-1-deployment.yaml",
            "acestream-1-service.yaml",
            "acestream-2-deployment.yaml",
            "acestream-2-service.yaml"
        ]
    );
    let deployment = object(&manifests, "acestream-1-deployment.yaml");
    assert_eq!(deployment["spec"]["replicas"], 1);
    assert_eq!(deployment["spec"]["strategy"]["type"], "Recreate");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["args"][0], "/acestream/acestreamengine");
    assert_eq!(
        deployment["spec"]["template"]["metadata"]["labels"]["acestream.http_port"],
        "19000"
    );
    let service = object(&manifests, "acestream-1-service.yaml");
    assert_eq!(service["spec"]["type"], "ClusterIP");
    assert_eq!(service["spec"]["ports"][0]["port"], 19000);
    assert!(manifests
        .kustomization
        .contains("- \"acestream-2-service.yaml\""));
}

#[test]
fn growth_without_a_vpn_leaves_existing_objects_byte_identical() {
    let options = KubernetesOptions::default();
    let (two, _) = render_with("", Some(2), &options);
    let (three, _) = render_with("", Some(3), &options);
    let (two, three) = (two.unwrap(), three.unwrap());
    assert_eq!(three.objects.len(), 6);
    assert_eq!(two.objects[..], three.objects[..4]);
}

#[test]
fn a_vpn_is_one_deployment_with_gluetun_as_a_native_sidecar() {
    let manifests = manifests(SINGLE_VPN);
    let deployment = object(&manifests, "gluetun-deployment.yaml");
    assert_eq!(deployment["spec"]["strategy"]["type"], "Recreate");
    let pod = &deployment["spec"]["template"]["spec"];
    let gluetun = &pod["initContainers"][0];
    assert_eq!(gluetun["restartPolicy"], "Always");
    assert_eq!(
        gluetun["startupProbe"]["exec"]["command"],
        serde_json::json!(["/gluetun-entrypoint", "healthcheck"])
    );
    assert_eq!(
        gluetun["securityContext"]["capabilities"]["add"][0],
        "NET_ADMIN"
    );
    assert_eq!(gluetun["volumeMounts"][0]["mountPath"], "/dev/net/tun");
    assert_eq!(pod["volumes"][0]["hostPath"]["type"], "CharDevice");
    let engines: Vec<&str> = pod["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(engines, ["acestream-1", "acestream-2"]);
    // The forwarded engine keeps the forwarded port; its Service carries its labels.
    let service = object(&manifests, "acestream-1-service.yaml");
    assert_eq!(service["metadata"]["labels"]["acestream.forwarded"], "true");
    assert_eq!(
        service["spec"]["selector"]["app.kubernetes.io/instance"],
        "gluetun"
    );
    assert!(manifests
        .objects
        .iter()
        .all(|m| m.file_name != "acestream-1-deployment.yaml"));
}

#[test]
fn gluetun_lets_the_engine_and_control_ports_in_from_the_cluster() {
    let manifests = manifests(&format!("{SINGLE_VPN}MAX_REPLICAS=3\n"));
    let deployment = object(&manifests, "gluetun-deployment.yaml");
    let gluetun = &deployment["spec"]["template"]["spec"]["initContainers"][0];
    assert_eq!(
        env_of(gluetun, "FIREWALL_INPUT_PORTS")["value"],
        "8000,19000,19001,19002"
    );
    assert_eq!(
        env_of(gluetun, "FIREWALL_VPN_INPUT_PORTS")["value"],
        "51413"
    );
}

#[test]
fn a_users_own_firewall_input_ports_are_kept_beside_acegens() {
    let manifests = manifests(&format!("{SINGLE_VPN}FIREWALL_INPUT_PORTS=22\n"));
    let deployment = object(&manifests, "gluetun-deployment.yaml");
    let gluetun = &deployment["spec"]["template"]["spec"]["initContainers"][0];
    let ports = env_of(gluetun, "FIREWALL_INPUT_PORTS")["value"].clone();
    assert!(ports
        .as_str()
        .unwrap()
        .ends_with(",$(ACEGEN_USER_FIREWALL_INPUT_PORTS)"));
    let user = env_of(gluetun, "ACEGEN_USER_FIREWALL_INPUT_PORTS");
    assert_eq!(
        user["valueFrom"]["configMapKeyRef"]["key"],
        "FIREWALL_INPUT_PORTS"
    );
}

#[test]
fn only_secrets_are_read_from_the_secret_other_settings_from_the_config_map() {
    let env = format!(
        "{SINGLE_VPN}VPN_TYPE=wireguard\nSERVER_COUNTRIES=Spain\nOPENVPN_USER=p1234567\n\
         UPDATER_PROTONVPN_EMAIL=me@example.com\nSHADOWSOCKS_PASSWORD=pw\n\
         HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE={{\"auth\":\"basic\",\"password\":\"pw\"}}\n"
    );
    let options = KubernetesOptions {
        secret_name: "vpn".to_owned(),
        ..Default::default()
    };
    let (manifests, _) = render_with(&env, None, &options);
    let manifests = manifests.unwrap();
    assert_eq!(
        manifests.config_map_keys,
        ["SERVER_COUNTRIES", "VPN_SERVICE_PROVIDER", "VPN_TYPE"]
    );
    assert_eq!(
        manifests.secret_keys,
        [
            "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE",
            "OPENVPN_USER",
            "SHADOWSOCKS_PASSWORD",
            "UPDATER_PROTONVPN_EMAIL",
            "WIREGUARD_PRIVATE_KEY"
        ]
    );
    let deployment = object(&manifests, "gluetun-deployment.yaml");
    let gluetun = &deployment["spec"]["template"]["spec"]["initContainers"][0];
    assert_eq!(
        env_of(gluetun, "VPN_TYPE")["valueFrom"],
        serde_json::json!({"configMapKeyRef": {"name": "vpn", "key": "VPN_TYPE"}})
    );
    assert_eq!(
        env_of(gluetun, "OPENVPN_USER")["valueFrom"],
        serde_json::json!({"secretKeyRef": {"name": "vpn", "key": "OPENVPN_USER"}})
    );
}

#[test]
fn secrets_are_referenced_from_the_named_secret_never_written() {
    let options = KubernetesOptions {
        secret_name: "my-vpn".to_owned(),
        ..Default::default()
    };
    let env = format!("{SINGLE_VPN}GLUETUN_API_KEY=api-key-value\n");
    let (manifests, _) = render_with(&env, None, &options);
    let manifests = manifests.unwrap();
    for file in manifests.files() {
        assert!(!file.1.contains("supersecret"), "{} leaks", file.0);
        assert!(!file.1.contains("api-key-value"), "{} leaks", file.0);
    }
    let deployment = object(&manifests, "gluetun-deployment.yaml");
    let gluetun = &deployment["spec"]["template"]["spec"]["initContainers"][0];
    let key = env_of(gluetun, "WIREGUARD_PRIVATE_KEY");
    assert_eq!(
        key["valueFrom"]["secretKeyRef"],
        serde_json::json!({"name": "my-vpn", "key": "WIREGUARD_PRIVATE_KEY"})
    );
    // The API key reaches the auth-role JSON through a dependent variable defined before it.
    let names: Vec<&str> = gluetun["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    let key_at = names.iter().position(|n| *n == "GLUETUN_API_KEY").unwrap();
    let role_at = names
        .iter()
        .position(|n| *n == "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE")
        .unwrap();
    assert!(key_at < role_at);
    assert_eq!(
        env_of(gluetun, "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE")["value"],
        r#"{"auth":"apikey","apikey":"$(GLUETUN_API_KEY)"}"#
    );
}

#[test]
fn the_second_vpn_reads_its_own_keys() {
    let manifests = manifests(
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\n\
         WIREGUARD_PRIVATE_KEY=a\nWIREGUARD_PRIVATE_KEY_2=b\n",
    );
    let deployment = object(&manifests, "gluetun2-deployment.yaml");
    let gluetun = &deployment["spec"]["template"]["spec"]["initContainers"][0];
    assert_eq!(
        env_of(gluetun, "WIREGUARD_PRIVATE_KEY")["valueFrom"]["secretKeyRef"]["key"],
        "WIREGUARD_PRIVATE_KEY_2"
    );
    let service = object(&manifests, "acestream-2-service.yaml");
    assert_eq!(
        service["spec"]["selector"]["app.kubernetes.io/instance"],
        "gluetun2"
    );
}

#[test]
fn memory_limits_are_binary_quantities() {
    let manifests = manifests("MIN_REPLICAS=1\nENGINE_MEMORY_LIMIT=768m\n");
    let deployment = object(&manifests, "acestream-1-deployment.yaml");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["resources"]["limits"]["memory"], "768Mi");
}

#[test]
fn a_label_value_kubernetes_cannot_hold_becomes_an_annotation() {
    let long = "v".repeat(70);
    let (manifests, findings) = render_with(
        &format!("MIN_REPLICAS=2\nCONTAINER_LABEL=team={long}\n"),
        None,
        &KubernetesOptions::default(),
    );
    let deployment = object(&manifests.unwrap(), "acestream-1-deployment.yaml");
    assert_eq!(deployment["metadata"]["annotations"]["team"], long.as_str());
    assert!(deployment["metadata"]["labels"]["team"].is_null());
    let warnings: Vec<_> = findings.iter().filter(|f| f.code == "W0901").collect();
    assert_eq!(warnings.len(), 1, "once, not once per object: {findings:?}");
    let diagnostic = warnings[0].to_diagnostic(&settings("MIN_REPLICAS=2\nCONTAINER_LABEL=x=y\n"));
    assert_eq!(diagnostic.location.unwrap().position.unwrap().line, 2);
}

#[test]
fn a_vpn_name_that_cannot_name_a_deployment_is_an_error_at_its_line() {
    let env = "MIN_REPLICAS=1\nGLUETUN_CONTAINER_NAME=Gluetun_VPN\n";
    let (manifests, findings) = render_with(env, None, &KubernetesOptions::default());
    assert!(manifests.is_none());
    let error = findings.iter().find(|f| f.code == "E0902").unwrap();
    let diagnostic = error.to_diagnostic(&settings(env));
    assert!(diagnostic.message.contains("Gluetun_VPN"));
    assert_eq!(diagnostic.location.unwrap().position.unwrap().line, 2);
}

#[test]
fn expose_hostport_and_loadbalancer() {
    let env = "MIN_REPLICAS=1\nPORT_BIND_IP=127.0.0.1\n";
    let hostport = KubernetesOptions {
        expose: Expose::Hostport,
        ..Default::default()
    };
    let (manifests, findings) = render_with(env, None, &hostport);
    assert!(findings.is_empty(), "{findings:?}");
    let deployment = object(&manifests.unwrap(), "acestream-1-deployment.yaml");
    let port = &deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0];
    assert_eq!(port["hostPort"], 19000);
    assert_eq!(port["hostIP"], "127.0.0.1");
    let balancer = KubernetesOptions {
        expose: Expose::Loadbalancer,
        ..Default::default()
    };
    let (manifests, findings) = render_with(env, None, &balancer);
    assert!(findings.iter().any(|f| f.code == "W0903"));
    let service = object(&manifests.unwrap(), "acestream-1-service.yaml");
    assert_eq!(service["spec"]["type"], "LoadBalancer");
}

#[test]
fn the_stream_holds_every_object_and_no_kustomization() {
    let manifests = manifests("MIN_REPLICAS=2\n");
    let stream = manifests.stream();
    assert_eq!(stream.matches("\n---\n").count(), 3);
    assert!(!stream.contains("Kustomization"));
}

#[test]
fn the_checks_refuse_unknown_fields_and_a_selector_that_misses() {
    let mut manifests = manifests("MIN_REPLICAS=1\n");
    let deployment = &mut manifests.objects[0];
    deployment.text = deployment
        .text
        .replace("  replicas: 1", "  replicas: 1\n  replica: 2");
    let findings = check::check(&manifests);
    assert!(
        findings
            .iter()
            .any(|f| f.code == "E0904" && f.message.contains("replica")),
        "{findings:?}"
    );
    let mut manifests = self::manifests("MIN_REPLICAS=1\n");
    let service = &mut manifests.objects[1];
    service.text = service.text.replace(
        "app.kubernetes.io/instance: \"acestream-1\"",
        "app.kubernetes.io/instance: \"acestream-9\"",
    );
    let findings = check::check(&manifests);
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("matches 0 pods")),
        "{findings:?}"
    );
}

#[test]
fn a_vpn_without_engines_gets_no_deployment_and_a_warning() {
    let env =
        "VPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\n\
               WIREGUARD_PRIVATE_KEY=a\nWIREGUARD_PRIVATE_KEY_2=b\n";
    let (manifests, findings) = render_with(env, Some(1), &KubernetesOptions::default());
    let manifests = manifests.unwrap();
    // Only what the written objects read: the Secret needs no key of the left-out VPN.
    assert_eq!(manifests.secret_keys, ["WIREGUARD_PRIVATE_KEY"]);
    let files: Vec<String> = manifests
        .objects
        .iter()
        .map(|m| m.file_name.clone())
        .collect();
    assert_eq!(
        files,
        ["gluetun-deployment.yaml", "acestream-1-service.yaml"]
    );
    let warning = findings.iter().find(|f| f.code == "W0904").unwrap();
    assert!(warning.message.contains("`gluetun2`"));
    let diagnostic = warning.to_diagnostic(&settings(env));
    assert_eq!(diagnostic.location.unwrap().position.unwrap().line, 3);
}

#[test]
fn a_label_key_kubernetes_cannot_hold_is_an_error() {
    let (manifests, findings) = render_with(
        "MIN_REPLICAS=1\nCONTAINER_LABEL=Example.COM/managed=x\n",
        None,
        &KubernetesOptions::default(),
    );
    assert!(manifests.is_none());
    assert!(findings.iter().any(|f| f.code == "E0901"), "{findings:?}");
}

#[test]
fn docker_network_is_ignored_with_a_warning() {
    let (manifests, findings) = render_with(
        "MIN_REPLICAS=1\nDOCKER_NETWORK=aceserver\n",
        None,
        &KubernetesOptions::default(),
    );
    assert!(manifests.is_some());
    assert!(findings.iter().any(|f| f.code == "W0902"), "{findings:?}");
}
