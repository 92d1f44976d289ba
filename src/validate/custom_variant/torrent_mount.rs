//! The torrent folder bind mount: its host path, and the container path
//! an enabled `--cache-dir` decides.

use super::error::CustomVariantError;
use super::model::{Parameter, ParameterValue, TorrentMount};
use crate::diagnostic::Position;
use crate::load::json_positions::JsonPositions;
use serde_json::Value;

pub(super) fn torrent_mount(
    document: &Value,
    parameters: &[Parameter],
    positions: &JsonPositions,
    problems: &mut Vec<CustomVariantError>,
) -> Option<TorrentMount> {
    if document
        .get("torrent_folder_mount_enabled")
        .and_then(Value::as_bool)
        != Some(true)
    {
        return None;
    }
    let host = document
        .get("torrent_folder_host_path")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let host_at = positions
        .find("/torrent_folder_host_path")
        .or(positions.find("/torrent_folder_mount_enabled"));
    let mut ok = check_mount_path("torrent_folder_host_path", host, host_at, problems);
    let container = match cache_dir_parameter(parameters) {
        Some((cache_dir, at)) => {
            let path = torrent_folder_in_cache_dir(&cache_dir);
            ok &= check_mount_path("--cache-dir", &path, at, problems);
            path
        }
        None => {
            let path = document
                .get("torrent_folder_container_path")
                .and_then(Value::as_str)
                .unwrap_or("/root/.ACEStream/collected_torrent_files")
                .to_owned();
            let at = positions.find("/torrent_folder_container_path");
            ok &= check_mount_path("torrent_folder_container_path", &path, at, problems);
            path
        }
    };
    ok.then(|| TorrentMount {
        host_path: host.to_owned(),
        container_path: container,
    })
}

fn cache_dir_parameter(parameters: &[Parameter]) -> Option<(String, Option<(Position, usize)>)> {
    parameters
        .iter()
        .find(|p| p.enabled && p.name == "--cache-dir")
        .and_then(|p| match &p.value {
            ParameterValue::Text(dir) => Some((dir.clone(), p.position)),
            _ => None,
        })
}

/// The engine keeps collected torrents in `<cache dir>/collected_torrent_files`;
/// it runs as root, so `~` is `/root`.
pub fn torrent_folder_in_cache_dir(cache_dir: &str) -> String {
    let expanded = match cache_dir.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/root{rest}"),
        _ => cache_dir.to_owned(),
    };
    format!("{}/collected_torrent_files", expanded.trim_end_matches('/'))
}

fn check_mount_path(
    field: &str,
    path: &str,
    at: Option<(Position, usize)>,
    problems: &mut Vec<CustomVariantError>,
) -> bool {
    let problem = if path.is_empty() {
        Some("is required when torrent_folder_mount_enabled is true".to_owned())
    } else if !path.starts_with('/') {
        Some(format!("must be an absolute path, found `{path}`"))
    } else if path.contains(':') {
        Some(format!(
            "cannot contain `:` (it separates the parts of a volume), found `{path}`"
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => {
            problems.push(
                CustomVariantError::error("E0305", format!("{field} {problem}"), at)
                    .hint("the torrent folder is bind-mounted as HOST:CONTAINER:rw"),
            );
            false
        }
        None => true,
    }
}
