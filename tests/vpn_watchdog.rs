//! The VPN watchdog in the generated file (docs/runtimes.md): jopsis engines
//! behind a VPN get `init: true` and a health check that ends them when their
//! network namespace died; engines without a VPN, and distroless nano-ace
//! engines, do not. With ACEGEN_COMPOSE, the real docker compose reads it so.
mod common;

use std::process::Command;

const VPN: &str = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_TYPE=wireguard\nWIREGUARD_PRIVATE_KEY=a2V5\nMIN_REPLICAS=2\n";

fn generate(env: &str) -> (tempfile::TempDir, serde_yaml::Value) {
    let dir = common::folder_with(&[(".env", env)]);
    let out = common::acegen(dir.path(), &["-o", "docker-compose.yml"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    (dir, serde_yaml::from_str(&text).unwrap())
}

/// (init, health check test) of each engine service, in order.
fn engines(file: &serde_yaml::Value) -> Vec<(Option<bool>, Option<String>)> {
    let services = file["services"].as_mapping().unwrap();
    services
        .iter()
        .filter(|(name, _)| name.as_str().unwrap().starts_with("acestream-"))
        .map(|(_, service)| {
            let test = service["healthcheck"]["test"]
                .as_sequence()
                .map(|t| t[1].as_str().unwrap().to_owned());
            (service["init"].as_bool(), test)
        })
        .collect()
}

#[test]
fn jopsis_engines_behind_a_vpn_get_init_and_the_namespace_check() {
    let (_dir, file) = generate(&format!("ENGINE_VARIANT=jopsis-arm64\n{VPN}"));
    let engines = engines(&file);
    assert_eq!(engines.len(), 2);
    for (init, test) in engines {
        assert_eq!(init, Some(true));
        let test = test.unwrap();
        assert!(test.contains("/proc/net/dev"), "{test}");
        assert!(test.contains("kill -TERM -1"), "{test}");
        assert!(
            test.contains("/webui/api/service?method=get_version"),
            "{test}"
        );
    }
}

#[test]
fn engines_without_a_vpn_or_without_a_shell_get_neither() {
    let (_dir, no_vpn) = generate("ENGINE_VARIANT=jopsis-amd64\n");
    for (init, test) in engines(&no_vpn) {
        assert_eq!(init, None);
        assert!(!test.unwrap().contains("/proc/net/dev"));
    }
    let (_dir, distroless) = generate(VPN);
    for (init, test) in engines(&distroless) {
        assert_eq!((init, test), (None, None));
    }
}

#[test]
fn docker_compose_reads_init_and_the_check_unchanged() {
    let Some(compose) = common::compose_binary() else {
        return;
    };
    let (dir, file) = generate(&format!("ENGINE_VARIANT=jopsis-arm64\n{VPN}"));
    let output = Command::new(compose)
        .env_clear()
        .current_dir(dir.path())
        .args(["-f", "docker-compose.yml", "config", "--format", "json"])
        .output()
        .expect("docker compose runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let config: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ours = engines(&file);
    for (i, (_, test)) in ours.iter().enumerate() {
        let service = &config["services"][format!("acestream-{}", i + 1)];
        assert_eq!(service["init"], serde_json::json!(true));
        assert_eq!(service["healthcheck"]["test"][1].as_str(), test.as_deref());
    }
}
