//! The `--forwarded-port-from` URL: which URLs acegen asks, and how a URL
//! is shown without credentials.

/// The URL without a `user:password@` part, for messages and the header.
/// Everything before the last `@` is left out, whatever the URL's shape (a
/// password may hold `/`, `?` or `#`, which would end the authority).
pub fn shown_url(url: &str) -> String {
    let Some((_, host_and_rest)) = url.rsplit_once('@') else {
        return url.to_owned();
    };
    match split_scheme(url) {
        Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => {
            format!("{scheme}://<credentials>@{host_and_rest}")
        }
        _ => format!("<credentials>@{host_and_rest}"),
    }
}

/// A redirect's target as it may be shown: no credentials, no query or
/// fragment (either may carry a token).
pub(super) fn shown_location(location: &str) -> String {
    let without_query = location.split(['?', '#']).next().unwrap_or("");
    format!("`{}`", shown_url(without_query))
}

/// Checks a `--forwarded-port-from` URL before anything runs (a usage
/// error, exit 2). The message shows the URL without credentials.
pub fn check_url(flag: &str, url: &str) -> Result<(), String> {
    base_url(url)
        .map(|_| ())
        .map_err(|reason| format!("{flag} {}: {reason}", shown_url(url)))
}

fn split_scheme(url: &str) -> Option<(&str, &str)> {
    url.split_once("://")
}

/// The base URL requests are made against, without a trailing `/`.
pub(super) fn base_url(url: &str) -> Result<String, String> {
    let Some((scheme, rest)) = split_scheme(url) else {
        return Err("not a URL; expected http://HOST:PORT".to_owned());
    };
    match scheme.to_ascii_lowercase().as_str() {
        "http" => {}
        "https" => {
            return Err("https is not supported: acegen speaks plain http, as Gluetun's control server does (it listens on loopback or the LAN)".to_owned())
        }
        other => return Err(format!("unsupported scheme `{other}`; expected http://HOST:PORT")),
    }
    if url.contains('@') {
        return Err(
            "credentials in the URL are not supported (they are not shown); set GLUETUN_API_KEY instead"
                .to_owned(),
        );
    }
    if rest.contains(['?', '#']) {
        return Err("a query or fragment is not supported; give the base URL".to_owned());
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() {
        return Err("no host; expected http://HOST:PORT".to_owned());
    }
    check_port(authority)?;
    Ok(url.trim_end_matches('/').to_owned())
}

/// The port of `HOST:PORT` or `[IPv6]:PORT`, if any, must be 1-65535:
/// the URL parser would otherwise fall back to port 80 for `70000`.
fn check_port(authority: &str) -> Result<(), String> {
    let after_host = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((_, after)) => after,
            None => return Err("an IPv6 host needs its closing `]`".to_owned()),
        },
        None => authority.split_once(':').map_or("", |(_, port)| port),
    };
    let port = match authority.starts_with('[') {
        true if after_host.is_empty() => return Ok(()),
        true => match after_host.strip_prefix(':') {
            Some(port) => port,
            None => return Err("expected `:PORT` after the IPv6 host".to_owned()),
        },
        false if !authority.contains(':') => return Ok(()),
        false => after_host,
    };
    match port.parse::<u16>() {
        Ok(n) if n > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(format!(
            "the port `{port}` is not a TCP port (1-65535); expected http://HOST:PORT"
        )),
    }
}
