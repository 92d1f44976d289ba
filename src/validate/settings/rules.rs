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

/// The orchestrator compares VPN_MODE with `== 'redundant'` (its validator
/// never runs: pydantic does not validate the `os.getenv` defaults its
/// settings are built from), so `Redundant` runs single mode there. E0240
/// for a spelling that differs only in case; any other value is E0201.
pub(super) fn vpn_mode_spelling(raw: &RawSetting) -> Option<SettingError> {
    let text = raw.text.as_deref()?.trim();
    let lower = text.to_ascii_lowercase();
    let intended = ["single", "redundant"]
        .into_iter()
        .find(|mode| *mode == lower && *mode != text)?;
    Some(SettingError::Conflict {
        code: "E0240",
        message: format!(
            "VPN_MODE `{text}` is not `{intended}`: the orchestrator compares VPN_MODE exactly, \
             and runs any value other than `redundant` as single mode, with every engine on the \
             first VPN; expected `single` or `redundant`, in lower case"
        ),
        hint: Some(format!("write VPN_MODE={intended}")),
        origin: raw.origin.clone(),
    })
}

/// The orchestrator reads CONTAINER_LABEL with `key, val = split("=")`: a
/// label with a second `=` stops it (too many values to unpack) as soon as
/// it provisions or checks an engine. The value is not quoted: the message
/// counts its `=`.
pub(super) fn container_label_equals(raw: &RawSetting) -> Option<SettingError> {
    let equals = raw.text.as_deref()?.matches('=').count();
    (equals > 1).then(|| SettingError::Conflict {
        code: "E0241",
        message: format!(
            "CONTAINER_LABEL holds {equals} `=`; expected exactly one (`key=value`): the \
             orchestrator splits the label at every `=` into a key and a value, and stops \
             with an error when it finds more than two parts"
        ),
        hint: Some(
            "keep one `=`, between the key and the value; a label value for the orchestrator \
             cannot contain `=`"
                .to_owned(),
        ),
        origin: raw.origin.clone(),
    })
}
