//! The HTTP requests to Gluetun's control server: the routes asked, the
//! agent's safety settings, and how each status and transport failure reads.

use super::answer::port_in;
use super::failure::Failure;
use super::url::shown_location;
use std::io::ErrorKind;
use std::time::Duration;

/// Gluetun >= 3.41: `{"port":N,"ports":[…]}`.
pub(super) const CURRENT_ROUTE: &str = "/v1/portforward";
/// Older Gluetun: `{"port":N}`; asked only when the current route is 404.
pub(super) const LEGACY_ROUTE: &str = "/v1/openvpn/portforwarded";
/// Gluetun's answer is a few bytes; anything much larger is not Gluetun.
const ANSWER_LIMIT: u64 = 64 * 1024;

pub(super) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        // Status codes are answers to interpret (404 means "older Gluetun").
        .http_status_as_error(false)
        // Never: a redirect to another origin would carry X-API-Key there
        // (issue 16). A 3xx is reported with where it pointed.
        .max_redirects(0)
        // Control servers are on loopback or the LAN: an HTTP_PROXY meant
        // for the internet must not carry these requests.
        .proxy(None)
        .user_agent(concat!("acegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The forwarded port: the current route first, the legacy one on 404.
pub(super) fn query(
    agent: &ureq::Agent,
    base: &str,
    api_key: Option<&str>,
    timeout: Duration,
) -> Result<u16, Failure> {
    match get(agent, base, CURRENT_ROUTE, api_key, timeout)? {
        Answer::Body(body) => port_in(&body),
        Answer::NotFound => match get(agent, base, LEGACY_ROUTE, api_key, timeout)? {
            Answer::Body(body) => port_in(&body),
            Answer::NotFound => Err(Failure::NoRoute),
        },
    }
}

enum Answer {
    Body(String),
    NotFound,
}

fn get(
    agent: &ureq::Agent,
    base: &str,
    route: &'static str,
    api_key: Option<&str>,
    timeout: Duration,
) -> Result<Answer, Failure> {
    let mut request = agent.get(format!("{base}{route}"));
    if let Some(key) = api_key {
        request = request.header("X-API-Key", key);
    }
    let mut response = request.call().map_err(|e| transport_failure(e, timeout))?;
    match response.status().as_u16() {
        200 => response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_string()
            .map(Answer::Body)
            .map_err(|e| transport_failure(e, timeout)),
        404 => Ok(Answer::NotFound),
        status @ 300..=399 => Err(Failure::Redirected {
            status,
            route,
            location: response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map_or_else(|| "nowhere (no Location)".to_owned(), shown_location),
        }),
        status @ (401 | 403) => Err(Failure::Unauthorized {
            status,
            route,
            api_key_sent: api_key.is_some(),
        }),
        status => Err(Failure::UnexpectedStatus { status, route }),
    }
}

/// A failure below HTTP, in words a user can act on. ureq's own messages
/// never include request headers, so the API key cannot leak through them.
fn transport_failure(error: ureq::Error, timeout: Duration) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::TimedOut(timeout),
        ureq::Error::Io(e) if e.kind() == ErrorKind::TimedOut => Failure::TimedOut(timeout),
        ureq::Error::Io(e) => Failure::Unreachable(match e.kind() {
            ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                "the connection was closed before an answer".to_owned()
            }
            _ => e.to_string(),
        }),
        ureq::Error::HostNotFound => Failure::Unreachable("host not found".to_owned()),
        ureq::Error::ConnectionFailed => Failure::Unreachable("connection failed".to_owned()),
        ureq::Error::BadUri(reason) => Failure::UnsupportedUrl(reason),
        ureq::Error::Protocol(_) => Failure::Malformed("not an HTTP answer".to_owned()),
        ureq::Error::BodyExceedsLimit(_) => {
            Failure::Malformed(format!("an answer over {ANSWER_LIMIT} bytes"))
        }
        other => Failure::Unreachable(other.to_string()),
    }
}
