//! CONTAINER_LABEL may not take one of the label keys acegen sets itself.

use super::error::ResolveError;
use crate::validate::settings::Settings;

const ACEGEN_LABELS: &[&str] = &[
    "acestream.engine_variant",
    "acestream.http_port",
    "acestream.https_port",
    "host.http_port",
    "host.https_port",
    "acestream.vpn_container",
    "acestream.forwarded",
];

/// E0406: CONTAINER_LABEL's key is one of acegen's own.
pub(super) fn check_label_key(settings: &Settings, problems: &mut Vec<ResolveError>) {
    let label = &settings.container_label;
    if ACEGEN_LABELS.contains(&label.value.0.as_str()) {
        problems.push(
            ResolveError::new(
                "E0406",
                format!(
                    "CONTAINER_LABEL key `{}` is a label acegen sets itself",
                    label.value.0
                ),
                Some(&label.origin),
            )
            .hint("use a key of your own, e.g. acegen.engines=static"),
        );
    }
}
