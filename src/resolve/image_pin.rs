//! W0450: the engines run an image on a tag that moves (`:latest`, or no
//! tag). Docker pulls such an image once and keeps it; Kubernetes defaults
//! `imagePullPolicy: Always` for it and pulls on every Pod start; either
//! way what runs depends on the day, not on the file. Only an image the
//! user chose is warned about: the default variant stays quiet, so the
//! first command of the README prints nothing (docs/diagnostics.md).

use super::error::ResolveError;
use super::plan::Variant;
use crate::validate::custom_variant::{CustomVariant, Platform};
use crate::validate::settings::{EngineVariant, Origin, Settings};
use crate::variants;

/// Whether `image` names no fixed tag or digest: `name`, `name:latest`.
pub(super) fn is_moving(image: &str) -> bool {
    if image.contains('@') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

pub(super) fn warn_about_a_moving_engine_image(
    settings: &Settings,
    custom: Option<&CustomVariant>,
    variant: &Variant,
    problems: &mut Vec<ResolveError>,
) {
    if !is_moving(&variant.image) {
        return;
    }
    let message = format!(
        "the engines run `{}`, a tag that moves: Kubernetes pulls it again on every Pod start and Docker keeps whichever it pulled first, so what runs depends on the day",
        variant.image
    );
    let warning = match custom {
        Some(custom) => {
            // A tag the file leaves to the default is the orchestrator's choice, not the user's.
            let Some((position, length)) = custom.version_at else {
                return;
            };
            let mut warning =
                ResolveError::warning("W0450", message, None).hint(custom_hint(custom));
            warning.custom_variant_at = Some((custom.file.clone(), position, length));
            warning
        }
        None => {
            let (origin, hint) = match settings.engine_variant.value {
                EngineVariant::JopsisArm32 => (
                    &settings.arm32_version.origin,
                    "set ENGINE_ARM32_VERSION to a release tag, e.g. arm32-v3.2.13".to_owned(),
                ),
                EngineVariant::JopsisArm64 => (
                    &settings.arm64_version.origin,
                    "set ENGINE_ARM64_VERSION to a release tag, e.g. arm64-v3.2.13".to_owned(),
                ),
                _ => (
                    &settings.engine_variant.origin,
                    format!(
                        "this variant has no tag to set: to pin one, enable a custom variant (custom_engine_variant.json) with \"platform\": \"amd64\" and \"amd64_version\" a release other than {} (which runs as `:latest`), e.g. 3.2.11-py3.8",
                        variants::DEFAULT_AMD64_VERSION
                    ),
                ),
            };
            if *origin == Origin::Default {
                return;
            }
            ResolveError::warning("W0450", message, Some(origin)).hint(hint)
        }
    };
    problems.push(warning);
}

fn custom_hint(custom: &CustomVariant) -> String {
    match custom.platform {
        Platform::Amd64 => format!(
            "set \"amd64_version\" to a release other than {} (the orchestrator runs that one as `:latest`), e.g. 3.2.11-py3.8",
            variants::DEFAULT_AMD64_VERSION
        ),
        Platform::Arm32 | Platform::Arm64 => {
            "set \"arm_version\" to a release, e.g. 3.2.13".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_moving;
    use crate::resolve::{resolve, ResolveOptions};
    use crate::test_support::settings;
    use crate::validate::custom_variant::check_custom_variant;
    use camino::Utf8Path;

    #[test]
    fn latest_and_no_tag_move_a_tag_or_digest_does_not() {
        assert!(is_moving("ghcr.io/a/nano-ace:latest"));
        assert!(is_moving("ghcr.io/a/nano-ace"));
        assert!(is_moving("localhost:5000/nano-ace"));
        assert!(!is_moving("localhost:5000/nano-ace:3.2.11"));
        assert!(!is_moving("jopsis/acestream:x64"));
        assert!(!is_moving("a/b@sha256:0123"));
    }

    /// The W0450 warnings of `.env` text and an optional custom variant, as
    /// (position, hint) — `line:column` in `.env` or the custom file.
    fn moving_image_warnings(env_text: &str, custom_json: Option<&str>) -> Vec<(String, String)> {
        let custom = custom_json.map(|json| {
            check_custom_variant(Utf8Path::new("custom_engine_variant.json"), json)
                .0
                .unwrap()
        });
        let (_, problems) = resolve(
            &settings(env_text),
            custom.as_ref(),
            &ResolveOptions::default(),
        );
        problems
            .iter()
            .filter(|p| p.code == "W0450")
            .map(|p| {
                let d = p.to_diagnostic();
                let at = d.location.map_or_else(String::new, |l| {
                    format!(
                        "{}:{}:{}",
                        l.file,
                        l.position.map_or(0, |p| p.line),
                        l.position.map_or(0, |p| p.column)
                    )
                });
                (at, d.hint.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn a_latest_variant_chosen_in_env_is_warned_at_its_value() {
        let found =
            moving_image_warnings("MIN_REPLICAS=1\nENGINE_VARIANT=krinkuto11-amd64\n", None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.ends_with(":2:16"), "{found:?}");
        assert!(found[0].1.contains("amd64_version"), "{found:?}");
    }

    #[test]
    fn the_default_variant_and_pinned_tags_are_quiet() {
        assert_eq!(moving_image_warnings("MIN_REPLICAS=1\n", None), []);
        assert_eq!(
            moving_image_warnings(
                "ENGINE_VARIANT=jopsis-arm64\nENGINE_ARM64_VERSION=arm64-v3.2.13\n",
                None
            ),
            []
        );
    }

    #[test]
    fn an_arm_tag_set_to_latest_is_warned_at_that_key() {
        let found = moving_image_warnings(
            "ENGINE_VARIANT=jopsis-arm32\nENGINE_ARM32_VERSION=latest\n",
            None,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.ends_with(":2:22"), "{found:?}");
        assert!(found[0].1.contains("ENGINE_ARM32_VERSION"), "{found:?}");
    }

    #[test]
    fn a_custom_variant_is_warned_at_its_version_only_when_the_file_writes_one() {
        let written = r#"{"enabled": true, "platform": "amd64",
  "amd64_version": "3.2.11-py3.10"}"#;
        let found = moving_image_warnings("", Some(written));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "custom_engine_variant.json:2:20", "{found:?}");
        let default = r#"{"enabled": true, "platform": "amd64"}"#;
        assert_eq!(moving_image_warnings("", Some(default)), []);
        let pinned = r#"{"enabled": true, "platform": "amd64", "amd64_version": "3.2.11-py3.8"}"#;
        assert_eq!(moving_image_warnings("", Some(pinned)), []);
    }
}
