use super::answer::port_in;
use super::url::shown_location;
use super::*;

#[test]
fn both_answer_shapes_give_the_port() {
    assert_eq!(port_in(r#"{"port":51413}"#), Ok(51413));
    assert_eq!(port_in(r#"{"port":51413,"ports":[51413]}"#), Ok(51413));
    assert_eq!(port_in(r#"{"port":0,"ports":[40000,40001]}"#), Ok(40000));
}

#[test]
fn port_zero_or_absent_is_not_forwarded() {
    assert_eq!(port_in(r#"{"port":0}"#), Err(Failure::NotForwarded));
    assert_eq!(port_in(r#"{"ports":[]}"#), Err(Failure::NotForwarded));
    assert_eq!(port_in("{}"), Err(Failure::NotForwarded));
}

#[test]
fn answers_that_are_not_gluetun_s_are_malformed() {
    for body in [
        "<html>",
        "[1]",
        r#"{"port":"x"}"#,
        r#"{"port":70000}"#,
        r#"{"port":-1}"#,
    ] {
        assert!(
            matches!(port_in(body), Err(Failure::Malformed(_))),
            "{body}"
        );
    }
}

#[test]
fn only_plain_http_base_urls_are_accepted() {
    assert_eq!(
        base_url("http://127.0.0.1:8000/").as_deref(),
        Ok("http://127.0.0.1:8000")
    );
    assert_eq!(
        base_url("HTTP://gluetun:8000").as_deref(),
        Ok("HTTP://gluetun:8000")
    );
    let https = base_url("https://127.0.0.1:8000").unwrap_err();
    assert!(https.contains("https is not supported"), "{https}");
    assert!(base_url("127.0.0.1:8000").is_err());
    assert!(base_url("http://").is_err());
    assert!(base_url("http://u:p@host:8000").is_err());
}

#[test]
fn credentials_in_a_url_are_never_shown() {
    let shown = shown_url("http://admin:hunter2@10.0.0.2:8000/");
    assert_eq!(shown, "http://<credentials>@10.0.0.2:8000/");
    assert_eq!(shown_url("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
}

#[test]
fn ports_outside_1_to_65535_are_refused() {
    for url in [
        "http://127.0.0.1:70000",
        "http://127.0.0.1:65536/",
        "http://127.0.0.1:-1",
        "http://127.0.0.1:0",
        "http://127.0.0.1:",
        "http://127.0.0.1:+80",
        "http://[::1]:99999",
        "http://[::1]x",
    ] {
        let reason = base_url(url).unwrap_err();
        assert!(
            reason.contains("port") || reason.contains("IPv6"),
            "{url}: {reason}"
        );
    }
    for url in [
        "http://127.0.0.1:65535",
        "http://gluetun",
        "http://[::1]:8000",
        "http://[::1]",
    ] {
        assert!(base_url(url).is_ok(), "{url}");
    }
}

#[test]
fn credentials_are_refused_and_never_shown_whatever_the_url_s_shape() {
    for url in [
        "http://admin:hunter2@127.0.0.1:8000",
        "http://admin:hun/ter2@127.0.0.1:8000",
        "http://admin:hun?ter2@127.0.0.1:8000",
        "http://admin:hun#ter2@127.0.0.1:8000",
        "admin:hunter2@127.0.0.1:8000",
        "ad:min://x:hunter2@127.0.0.1:8000",
    ] {
        let message = check_url("--forwarded-port-from", url).unwrap_err();
        assert!(
            !message.contains("hunter2") && !message.contains("ter2"),
            "{message}"
        );
        assert!(!message.contains("admin"), "{message}");
        assert!(message.contains("127.0.0.1:8000"), "{message}");
    }
}

#[test]
fn a_redirect_target_is_shown_without_credentials_or_query() {
    assert_eq!(
        shown_location("http://u:p@evil.example:81/x?token=abc#f"),
        "`http://<credentials>@evil.example:81/x`"
    );
}
