//! `--forwarded-port-from URL`: acegen asks a running Gluetun's control
//! server for the forwarded P2P port. Each test runs a tiny HTTP server on
//! 127.0.0.1 that answers like one Gluetun version or one failure.

mod common;

use serde_yaml::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How the fake control server answers one request.
#[derive(Clone, Copy)]
enum Reply {
    Status(u16, &'static str),
    /// Reads the request and says nothing until the connection is dropped.
    Silence,
}

/// A fake Gluetun control server on 127.0.0.1. It serves a bounded number of
/// connections for a bounded time, then stops by itself.
struct FakeGluetun {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeGluetun {
    fn start(answer: fn(&str) -> Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        listener.set_nonblocking(true).unwrap();
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut served = 0;
            while served < 8 && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        served += 1;
                        serve(stream, answer, &seen);
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self { url, requests }
    }

    /// The request heads received, lowercased (header names are case-insensitive).
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn paths(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| r.split_whitespace().nth(1).unwrap_or("").to_owned())
            .collect()
    }
}

fn serve(mut stream: TcpStream, answer: fn(&str) -> Reply, seen: &Mutex<Vec<String>>) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let head = read_head(&mut stream);
    let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
    seen.lock().unwrap().push(head.to_lowercase());
    match answer(&path) {
        Reply::Status(status, body) => {
            let response = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
        // Longer than the 1 s timeout the tests give acegen.
        Reply::Silence => thread::sleep(Duration::from_secs(3)),
    }
}

fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Gluetun >= 3.41.
fn current_gluetun(path: &str) -> Reply {
    match path {
        "/v1/portforward" => Reply::Status(200, r#"{"port":51820,"ports":[51820]}"#),
        _ => Reply::Status(404, "404 page not found"),
    }
}

/// Gluetun before 3.41: only the OpenVPN route.
fn older_gluetun(path: &str) -> Reply {
    match path {
        "/v1/openvpn/portforwarded" => Reply::Status(200, r#"{"port":43210}"#),
        _ => Reply::Status(404, "404 page not found"),
    }
}

const API_KEY: &str = "k3y-never-shown-4711";

const SINGLE_VPN: &str = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_MODE=single\nMIN_REPLICAS=3\n";
const REDUNDANT_VPN: &str = "GLUETUN_CONTAINER_NAME=gluetun\nGLUETUN_CONTAINER_NAME_2=gluetun2\nVPN_MODE=redundant\nMIN_REPLICAS=4\n";

fn run_acegen(env: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), env).unwrap();
    common::acegen(dir.path(), args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn compose(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    serde_yaml::from_slice(&output.stdout).unwrap()
}

fn service<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["services"][name]
}

/// The value after `--port` in an engine's command, if any.
fn p2p_port(doc: &Value, engine: &str) -> Option<String> {
    let command: Vec<&str> = service(doc, engine)["command"]
        .as_sequence()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let at = command.iter().position(|a| *a == "--port")?;
    Some(command[at + 1].to_owned())
}

fn is_forwarded(doc: &Value, engine: &str) -> bool {
    service(doc, engine)["labels"]["acestream.forwarded"].as_str() == Some("true")
}

#[test]
fn the_forwarded_port_goes_to_engine_1_only() {
    let server = FakeGluetun::start(current_gluetun);
    let output = run_acegen(SINGLE_VPN, &["--forwarded-port-from", &server.url]);
    let doc = compose(&output);
    assert_eq!(p2p_port(&doc, "acestream-1").as_deref(), Some("51820"));
    assert!(is_forwarded(&doc, "acestream-1"));
    for engine in ["acestream-2", "acestream-3"] {
        let port = p2p_port(&doc, engine).unwrap();
        assert_ne!(port, "51820", "{engine} must keep an internal P2P port");
        assert!(!is_forwarded(&doc, engine), "{engine}");
    }
    assert_ne!(
        p2p_port(&doc, "acestream-2"),
        p2p_port(&doc, "acestream-3"),
        "engines sharing a VPN need distinct P2P ports"
    );
    assert_eq!(server.paths(), ["/v1/portforward"]);
}

#[test]
fn without_the_flag_no_engine_is_forwarded_and_nothing_is_asked() {
    let output = run_acegen(SINGLE_VPN, &[]);
    let doc = compose(&output);
    assert!(!is_forwarded(&doc, "acestream-1"));
}

#[test]
fn an_older_gluetun_is_asked_on_its_openvpn_route() {
    let server = FakeGluetun::start(older_gluetun);
    let output = run_acegen(SINGLE_VPN, &["--forwarded-port-from", &server.url]);
    let doc = compose(&output);
    assert_eq!(p2p_port(&doc, "acestream-1").as_deref(), Some("43210"));
    assert!(is_forwarded(&doc, "acestream-1"));
    assert_eq!(
        server.paths(),
        ["/v1/portforward", "/v1/openvpn/portforwarded"]
    );
}

#[test]
fn the_control_server_port_wins_over_the_env_file_and_opens_no_firewall_port() {
    let server = FakeGluetun::start(current_gluetun);
    let env = format!("{SINGLE_VPN}GLUETUN_FORWARDED_PORT=40000\n");
    let doc = compose(&run_acegen(&env, &["--forwarded-port-from", &server.url]));
    assert_eq!(p2p_port(&doc, "acestream-1").as_deref(), Some("51820"));
    // Gluetun opens its own forwarded port; only a static one needs this.
    let environment = &service(&doc, "gluetun")["environment"];
    assert!(
        environment.get("FIREWALL_VPN_INPUT_PORTS").is_none(),
        "{environment:?}"
    );
}

#[test]
fn a_static_forwarded_port_opens_the_vpn_firewall() {
    let env = format!("{SINGLE_VPN}GLUETUN_FORWARDED_PORT=40000\n");
    let doc = compose(&run_acegen(&env, &[]));
    assert_eq!(p2p_port(&doc, "acestream-1").as_deref(), Some("40000"));
    assert_eq!(
        service(&doc, "gluetun")["environment"]["FIREWALL_VPN_INPUT_PORTS"].as_str(),
        Some("40000")
    );
}

#[test]
fn the_api_key_is_sent_but_never_written() {
    let server = FakeGluetun::start(current_gluetun);
    let env = format!("{SINGLE_VPN}GLUETUN_API_KEY={API_KEY}\n");
    let output = run_acegen(&env, &["--forwarded-port-from", &server.url]);
    let doc = compose(&output);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].contains(&format!("x-api-key: {}", API_KEY.to_lowercase())),
        "{requests:?}"
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains(API_KEY));
    assert!(!stderr(&output).contains(API_KEY));
    // The Gluetun service gets the key by reference, for the same role.
    assert_eq!(
        service(&doc, "gluetun")["environment"]["HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE"].as_str(),
        Some(r#"{"auth":"apikey","apikey":"${GLUETUN_API_KEY}"}"#)
    );
}

#[test]
fn no_api_key_header_without_gluetun_api_key() {
    let server = FakeGluetun::start(current_gluetun);
    compose(&run_acegen(
        SINGLE_VPN,
        &["--forwarded-port-from", &server.url],
    ));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].contains("x-api-key"), "{requests:?}");
}

#[test]
fn each_vpn_gets_its_own_port_in_redundant_mode() {
    let first = FakeGluetun::start(current_gluetun);
    let second = FakeGluetun::start(older_gluetun);
    let output = run_acegen(
        REDUNDANT_VPN,
        &[
            "--forwarded-port-from",
            &first.url,
            "--forwarded-port-from-2",
            &second.url,
        ],
    );
    let doc = compose(&output);
    // Engines alternate VPN 1, VPN 2: engine 1 is VPN 1's first, engine 2 VPN 2's.
    assert_eq!(p2p_port(&doc, "acestream-1").as_deref(), Some("51820"));
    assert_eq!(p2p_port(&doc, "acestream-2").as_deref(), Some("43210"));
    assert!(is_forwarded(&doc, "acestream-1") && is_forwarded(&doc, "acestream-2"));
    assert!(!is_forwarded(&doc, "acestream-3") && !is_forwarded(&doc, "acestream-4"));
}

#[test]
fn explain_names_the_control_server_as_the_source() {
    let server = FakeGluetun::start(current_gluetun);
    let output = run_acegen(
        SINGLE_VPN,
        &["explain", "--forwarded-port-from", &server.url],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(&format!(
            "forwarded port:  51820 (read from {})",
            server.url
        )),
        "{text}"
    );
}

/// Runs acegen against a server that fails, and returns its stderr after
/// checking that it refused with exit 1 and wrote nothing.
fn refusal(env: &str, args: &[&str]) -> String {
    let output = run_acegen(env, args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        output.stdout.is_empty(),
        "nothing may be printed on failure"
    );
    err
}

#[test]
fn unauthorized_names_the_settings_that_fix_it() {
    let server = FakeGluetun::start(|_| Reply::Status(401, "Unauthorized"));
    let err = refusal(SINGLE_VPN, &["--forwarded-port-from", &server.url]);
    assert!(err.contains("error[E0605]"), "{err}");
    assert!(err.contains(&server.url), "{err}");
    assert!(err.contains("HTTP 401"), "{err}");
    assert!(err.contains("GLUETUN_API_KEY is not set"), "{err}");
    assert!(
        err.contains("HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE"),
        "{err}"
    );
    assert!(err.contains("GET /v1/portforward"), "{err}");
}

#[test]
fn a_rejected_api_key_is_reported_without_showing_it() {
    let server = FakeGluetun::start(|_| Reply::Status(403, "Forbidden"));
    let env = format!("{SINGLE_VPN}GLUETUN_API_KEY={API_KEY}\n");
    let err = refusal(&env, &["--forwarded-port-from", &server.url]);
    assert!(err.contains("error[E0605]"), "{err}");
    assert!(
        err.contains("with the API key from GLUETUN_API_KEY"),
        "{err}"
    );
    assert!(!err.contains(API_KEY), "{err}");
}

#[test]
fn port_zero_means_forwarding_is_not_active_yet() {
    let server = FakeGluetun::start(|_| Reply::Status(200, r#"{"port":0,"ports":[]}"#));
    let err = refusal(SINGLE_VPN, &["--forwarded-port-from", &server.url]);
    assert!(err.contains("error[E0607]"), "{err}");
    assert!(err.contains("no forwarded port (port 0)"), "{err}");
    assert!(err.contains("VPN_PORT_FORWARDING=on"), "{err}");
}

#[test]
fn a_garbage_answer_is_malformed() {
    let server = FakeGluetun::start(|_| Reply::Status(200, "<html>gateway</html>"));
    let err = refusal(SINGLE_VPN, &["--forwarded-port-from", &server.url]);
    assert!(err.contains("error[E0608]"), "{err}");
    assert!(err.contains("not JSON"), "{err}");
    assert!(!err.contains("gateway"), "the body is not repeated: {err}");
}

#[test]
fn neither_route_found_is_not_a_gluetun() {
    let server = FakeGluetun::start(|_| Reply::Status(404, "not found"));
    let err = refusal(SINGLE_VPN, &["--forwarded-port-from", &server.url]);
    assert!(err.contains("error[E0606]"), "{err}");
    assert!(err.contains("404 to both"), "{err}");
    assert_eq!(
        server.paths(),
        ["/v1/portforward", "/v1/openvpn/portforwarded"]
    );
}

#[test]
fn a_silent_server_times_out() {
    let server = FakeGluetun::start(|_| Reply::Silence);
    let started = Instant::now();
    let err = refusal(
        SINGLE_VPN,
        &["--forwarded-port-from", &server.url, "--timeout", "1"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.contains("error[E0604]"), "{err}");
    assert!(err.contains("did not answer within 1 s"), "{err}");
    assert!(err.contains(&server.url), "{err}");
}

#[test]
fn a_refused_connection_names_the_url_and_the_container() {
    let url = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    }; // dropped: nothing listens there any more
    let err = refusal(SINGLE_VPN, &["--forwarded-port-from", &url]);
    assert!(err.contains("error[E0603]"), "{err}");
    assert!(
        err.contains(&format!(
            "cannot reach VPN 1's control server at {url}: connection refused"
        )),
        "{err}"
    );
    assert!(err.contains("container `gluetun` running"), "{err}");
}

#[test]
fn a_url_for_a_vpn_that_does_not_exist_is_an_error() {
    let err = refusal(
        SINGLE_VPN,
        &["--forwarded-port-from-2", "http://127.0.0.1:9"],
    );
    assert!(err.contains("error[E0601]"), "{err}");
    assert!(err.contains("one VPN only"), "{err}");

    let err = refusal("", &["--forwarded-port-from", "http://127.0.0.1:9"]);
    assert!(err.contains("error[E0601]"), "{err}");
    assert!(err.contains("GLUETUN_CONTAINER_NAME is not set"), "{err}");
}

#[test]
fn https_urls_are_refused_with_a_reason() {
    // A URL that cannot be right is a usage error (exit 2), before any query.
    let output = run_acegen(
        SINGLE_VPN,
        &["--forwarded-port-from", "https://127.0.0.1:8000"],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("https is not supported"), "{err}");
}

#[test]
fn check_lists_a_failed_query_with_the_other_problems() {
    let url = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let env = format!("{SINGLE_VPN}MAX_REPLICAS=2\n");
    let output = run_acegen(&env, &["check", "--forwarded-port-from", &url]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("error[E0603]"), "{err}");
    assert!(err.contains("error[E0202]"), "{err}");
}

#[test]
fn a_failed_query_leaves_the_output_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), SINGLE_VPN).unwrap();
    std::fs::write(dir.path().join("docker-compose.yml"), "previous\n").unwrap();
    let server = FakeGluetun::start(|_| Reply::Status(200, r#"{"port":0}"#));
    let output = common::acegen(
        dir.path(),
        &[
            "-o",
            "docker-compose.yml",
            "--forwarded-port-from",
            &server.url,
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let kept = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    assert_eq!(kept, "previous\n");
}

#[test]
fn a_timeout_must_be_a_positive_number_of_seconds() {
    for bad in ["0", "-1", "soon"] {
        let output = run_acegen(SINGLE_VPN, &[&format!("--timeout={bad}")]);
        assert_eq!(output.status.code(), Some(2), "--timeout {bad}");
        assert!(stderr(&output).contains("--timeout"), "{}", stderr(&output));
    }
}

/// The cron recipe of docs/forwarded-ports.md: `diff` exits 0 while the
/// running Gluetun forwards the port the file has, 1 once it forwards
/// another, and 2 (not "different") when the control server cannot be asked.
#[test]
fn diff_exits_1_after_the_control_server_starts_answering_another_port() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), SINGLE_VPN).unwrap();
    let first = FakeGluetun::start(current_gluetun);
    let generated = common::acegen(
        dir.path(),
        &[
            "--forwarded-port-from",
            &first.url,
            "-o",
            "docker-compose.yml",
        ],
    );
    assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
    let same = common::acegen(
        dir.path(),
        &["diff", "--semantic", "--forwarded-port-from", &first.url],
    );
    // The header names the URL, so the port alone decides: compare the data.
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));

    // After a reconnect the VPN forwards another port (an older Gluetun here: 43210).
    let reconnected = FakeGluetun::start(older_gluetun);
    let changed = common::acegen(
        dir.path(),
        &[
            "diff",
            "--semantic",
            "--forwarded-port-from",
            &reconnected.url,
        ],
    );
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    let out = String::from_utf8_lossy(&changed.stdout);
    assert!(out.contains("\"51820\" -> \"43210\""), "{out}");

    let refused = common::acegen(
        dir.path(),
        &["diff", "--forwarded-port-from", "http://127.0.0.1:9"],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}
