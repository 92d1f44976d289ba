//! Rules across keys, or on how a value is used, that no single key's
//! parsing can check.

use super::error::SettingError;
use super::model::{RawSetting, Settings};

/// GLUETUN_API_KEY is substituted by compose into the JSON text of
/// HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE as it is: `"`, `\` or a control
/// char would make that JSON invalid once the VPN starts. The key is not
/// quoted in the message.
pub(super) fn api_key_problem(raw: &RawSetting) -> Option<SettingError> {
    let text = raw.text.as_deref()?;
    let bad = text
        .chars()
        .find(|c| matches!(c, '"' | '\\') || c.is_control())?;
    let what = match bad {
        '"' => "a `\"`".to_owned(),
        '\\' => "a `\\`".to_owned(),
        other => format!("the control character U+{:04X}", other as u32),
    };
    Some(SettingError::Conflict {
        code: "E0203",
        message: format!(
            "GLUETUN_API_KEY holds {what}, which would break the JSON of Gluetun's auth role \
             (HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE); expected a key without `\"`, `\\` or control characters"
        ),
        hint: Some("generate a new key made of letters and digits, e.g. `openssl rand -hex 32`".to_owned()),
        origin: raw.origin.clone(),
    })
}

pub(super) fn check_replica_bounds(settings: &Settings, errors: &mut Vec<SettingError>) {
    let min = &settings.min_replicas;
    let max = &settings.max_replicas;
    if max.value == 0 {
        errors.push(SettingError::Conflict {
            code: "E0202",
            message: "MAX_REPLICAS must be greater than 0, found 0".to_owned(),
            hint: Some("MAX_REPLICAS is the upper bound on the number of engines".to_owned()),
            origin: max.origin.clone(),
        });
    } else if min.value > max.value {
        errors.push(SettingError::Conflict {
            code: "E0202",
            message: format!(
                "MIN_REPLICAS ({}) is greater than MAX_REPLICAS ({})",
                min.value, max.value
            ),
            hint: Some(format!(
                "raise MAX_REPLICAS to at least {} or lower MIN_REPLICAS",
                min.value
            )),
            origin: min.origin.clone(),
        });
    }
}
