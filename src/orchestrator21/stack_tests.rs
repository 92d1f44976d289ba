use super::*;
use crate::load::dotenv;
use crate::validate::settings::Override;
use camino::Utf8Path;

fn stack_of(text: &str, overrides: &[Override]) -> (Option<Stack21>, Vec<Diagnostic>) {
    let parsed = dotenv::parse(text, &|_| None);
    resolve(&super::super::entries(
        &parsed,
        Utf8Path::new(".env"),
        overrides,
    ))
}

#[test]
fn the_stack_is_2_1s_own_layout_with_only_the_keys_it_reads() {
    let text = "API_KEY=secret\nMIN_REPLICAS=4\nCONTAINER_LABEL=a=b\nWIREGUARD_PRIVATE_KEY=k\n\
                KEEPALIVE_INTERVAL_MS=500\nAPP_PORT=8080\nDOCKER_NETWORK=acestream\n";
    let (stack, problems) = stack_of(text, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    let text = render(&stack.unwrap(), "# header\n");
    let expected = "# header
services:
  orchestrator:
    image: \"ghcr.io/krinkuto11/acestream-orchestrator:v2.1.0.2\"
    container_name: \"orchestrator\"
    environment:
      API_KEY: \"${API_KEY}\"
      CONTAINER_LABEL: \"${CONTAINER_LABEL}\"
    volumes:
      - \"/var/run/docker.sock:/var/run/docker.sock\"
      - \"./config:/app/app/config\"
    ports:
      - \"8080:8000\"
    networks:
      - \"aceserver\"
    restart: \"on-failure\"

networks:
  aceserver:
    name: \"acestream\"
";
    assert_eq!(text, expected);
}

#[test]
fn the_published_port_follows_proxy_listen_addr_and_port_bind_ip() {
    let (stack, _) = stack_of("PROXY_LISTEN_ADDR=:9000\nPORT_BIND_IP=::1\n", &[]);
    let stack = stack.unwrap();
    assert_eq!((stack.host_port, stack.container_port), (8000, 9000));
    assert!(render(&stack, "").contains("- \"[::1]:8000:9000\""));
    assert_eq!(stack.network, DEFAULT_NETWORK);
    // A name longer than YAML's 1024-character limit on a key stays out of the keys.
    let long = "n".repeat(2000);
    let (stack, _) = stack_of(&format!("DOCKER_NETWORK={long}\n"), &[]);
    let text = render(&stack.unwrap(), "");
    let document: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let name = document["networks"]["aceserver"]["name"].as_str();
    assert_eq!(name, Some(long.as_str()));
}

#[test]
fn unusable_values_are_errors_and_a_db_outside_the_volume_a_warning() {
    let (stack, problems) = stack_of("APP_PORT=http\nACESTREAM_DB_PATH=/data/acestream.db\n", &[]);
    assert!(stack.is_none());
    let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["E1014", "W1015"]);
    let set = [Override {
        key: "MAX_TOTAL_STREAMS".into(),
        value: "40".into(),
    }];
    let (stack, _) = stack_of("", &set);
    assert_eq!(
        stack.unwrap().environment,
        vec![("MAX_TOTAL_STREAMS".to_owned(), "40".to_owned())]
    );
}
