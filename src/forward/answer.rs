//! The forwarded port in Gluetun's answer.

use super::failure::Failure;

/// The port in `{"port":N}` or `{"port":N,"ports":[…]}`; 0 or none means
/// that nothing is forwarded. The body is never repeated in messages.
pub(super) fn port_in(body: &str) -> Result<u16, Failure> {
    let value: serde_json::Value = serde_json::from_str(body)
        .map_err(|_| Failure::Malformed("not JSON (expected {\"port\":N})".to_owned()))?;
    let Some(object) = value.as_object() else {
        return Err(Failure::Malformed(
            "not a JSON object (expected {\"port\":N})".to_owned(),
        ));
    };
    let first_listed = object
        .get("ports")
        .and_then(|p| p.as_array())
        .and_then(|ports| ports.iter().find(|p| p.as_u64() != Some(0)));
    let port = match object.get("port") {
        Some(p) if p.as_u64() == Some(0) => first_listed.unwrap_or(p),
        Some(p) => p,
        None => match first_listed {
            Some(p) => p,
            None => return Err(Failure::NotForwarded),
        },
    };
    match port.as_u64() {
        Some(0) => Err(Failure::NotForwarded),
        Some(n) => u16::try_from(n)
            .map_err(|_| Failure::Malformed(format!("port {n} is not a TCP port (1-65535)"))),
        None => Err(Failure::Malformed(format!(
            "the port `{port}` is not a number"
        ))),
    }
}
