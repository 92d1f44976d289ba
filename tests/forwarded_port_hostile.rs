//! `--forwarded-port-from` against a misbehaving server and hostile URLs
//! (issue 16 item 3): the API key goes to the origin named and nowhere else,
//! impossible ports are usage errors, credentials in a URL are never printed.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const API_KEY: &str = "k3y-never-elsewhere-8086";
const ENV: &str = "GLUETUN_CONTAINER_NAME=gluetun\nVPN_MODE=single\nMIN_REPLICAS=1\nGLUETUN_API_KEY=k3y-never-elsewhere-8086\n";

/// A server on 127.0.0.1 that answers every request with `response` and
/// records the request heads it got. It stops by itself.
fn server(response: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let Ok((mut stream, _)) = listener.accept() else {
                thread::sleep(Duration::from_millis(10));
                continue;
            };
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&head).to_lowercase());
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (url, heads)
}

fn run(args: &[&str]) -> Output {
    let dir = common::folder_with(&[(".env", ENV)]);
    common::acegen(dir.path(), args)
}

#[test]
fn a_redirect_to_another_origin_is_not_followed_and_gets_no_key() {
    let (elsewhere, elsewhere_heads) = server(
        "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{\"port\":40000}"
            .to_owned(),
    );
    let location = format!(
        "{}/v1/portforward?token=q1w2e3",
        elsewhere.replace("http://", "http://u:pw9@")
    );
    let (named, named_heads) = server(format!(
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ));
    let output = run(&["--forwarded-port-from", &named]);
    let err = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(output.stdout.is_empty());
    assert!(err.contains("error[E0609]"), "{err}");
    assert!(err.contains("HTTP 302"), "{err}");
    let host = elsewhere.trim_start_matches("http://");
    assert!(
        err.contains(&format!("http://<credentials>@{host}/v1/portforward")),
        "{err}"
    );
    for secret in [API_KEY, "pw9", "q1w2e3"] {
        assert!(!err.contains(secret), "{secret} shown: {err}");
    }
    assert!(
        elsewhere_heads.lock().unwrap().is_empty(),
        "the redirect was followed"
    );
    let heads = named_heads.lock().unwrap();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].contains(&format!("x-api-key: {API_KEY}")),
        "the named origin gets the key"
    );
}

#[test]
fn impossible_ports_are_usage_errors_and_nothing_is_asked() {
    // Port 80 on loopback: the old code fell back to it for these URLs.
    for port in ["70000", "-1", "65536", "0"] {
        let url = format!("http://127.0.0.1:{port}");
        let output = run(&["--forwarded-port-from", &url]);
        let err = common::stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{port}: {err}");
        assert!(
            err.contains(&format!("the port `{port}` is not a TCP port (1-65535)")),
            "{err}"
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn credentials_in_a_url_are_refused_and_never_printed() {
    for url in [
        "http://user:hunter2@127.0.0.1:8000",
        "http://user:hun/ter2@127.0.0.1:8000",
        "http://user:hun#ter2@127.0.0.1:8000/",
    ] {
        for command in [&[][..], &["check"][..], &["explain"][..]] {
            let mut args: Vec<&str> = command.to_vec();
            args.extend(["--forwarded-port-from", url]);
            let output = run(&args);
            let err = common::stderr(&output);
            let out = common::stdout(&output);
            assert_eq!(output.status.code(), Some(2), "{url}: {err}");
            assert!(
                err.contains("credentials in the URL are not supported"),
                "{err}"
            );
            for text in [&err, &out] {
                assert!(
                    !text.contains("hunter2") && !text.contains("ter2") && !text.contains("user"),
                    "{text}"
                );
            }
        }
    }
}
