//! Which engine variant runs (docs/development/spec.md §2.1): its image, how it is
//! started, its memory limit, and what the custom variant may not enable.

use super::error::ResolveError;
use super::plan::{Launch, Variant, VariantRule};
use crate::validate::custom_variant::{CustomVariant, Platform};
use crate::validate::settings::{EngineVariant, Origin, Settings};
use crate::variants;

/// The engines' memory limit: the custom variant's, else ENGINE_MEMORY_LIMIT.
pub(super) fn memory_limit(settings: &Settings, custom: Option<&CustomVariant>) -> Option<String> {
    match custom {
        // The custom file's "0" wins: the orchestrator gives no limit.
        Some(c) if c.no_memory_limit => None,
        _ => custom
            .and_then(|c| c.memory_limit.as_ref())
            .or(settings.engine_memory_limit.as_ref().map(|m| &m.value))
            .map(|m| m.text.clone()),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub(super) fn choose_variant(settings: &Settings, custom: Option<&CustomVariant>) -> Variant {
    if let Some(custom) = custom {
        return custom_variant(custom);
    }
    let chosen = &settings.engine_variant;
    let rule = match chosen.origin {
        Origin::Default => VariantRule::Default,
        ref origin => VariantRule::EngineVariant(origin.clone()),
    };
    let (image, launch, jopsis) = match chosen.value {
        EngineVariant::Krinkuto11Amd64 => {
            let mut command = vec![variants::NANO_ACE_ENGINE.to_owned()];
            command.extend(strings(variants::KRINKUTO11_BASE_ARGS));
            (
                format!("{}:latest", variants::NANO_ACE_IMAGE),
                Launch::Command(command),
                false,
            )
        }
        EngineVariant::JopsisAmd64 => (
            format!("{}:x64", variants::JOPSIS_IMAGE),
            Launch::AcestreamArgs(variants::JOPSIS_AMD64_ARGS.to_owned()),
            true,
        ),
        EngineVariant::JopsisArm32 | EngineVariant::JopsisArm64 => {
            let tag = if chosen.value == EngineVariant::JopsisArm32 {
                &settings.arm32_version.value
            } else {
                &settings.arm64_version.value
            };
            let mut command = strings(variants::JOPSIS_ARM_PROGRAM);
            command.extend(strings(variants::JOPSIS_ARM_BASE_ARGS));
            (
                format!("{}:{tag}", variants::JOPSIS_IMAGE),
                Launch::Command(command),
                true,
            )
        }
    };
    Variant {
        label: chosen.value.name().to_owned(),
        engine_variant_label: chosen.value.name().to_owned(),
        rule,
        image,
        launch,
        jopsis_healthcheck: jopsis,
    }
}

fn custom_variant(custom: &CustomVariant) -> Variant {
    let (image, mut command, jopsis) = match custom.platform {
        Platform::Amd64 => {
            let tag = if custom.amd64_version == variants::DEFAULT_AMD64_VERSION {
                "latest"
            } else {
                custom.amd64_version.as_str()
            };
            (
                format!("{}:{tag}", variants::NANO_ACE_IMAGE),
                vec![variants::NANO_ACE_ENGINE.to_owned()],
                false,
            )
        }
        Platform::Arm32 | Platform::Arm64 => (
            format!(
                "{}:{}-v{}",
                variants::JOPSIS_IMAGE,
                custom.platform.name(),
                custom.arm_version
            ),
            strings(variants::JOPSIS_ARM_PROGRAM),
            true,
        ),
    };
    command.extend(custom.parameters.iter().flat_map(|p| p.arguments()));
    Variant {
        label: custom.label(),
        engine_variant_label: custom.platform.name().to_owned(),
        rule: VariantRule::CustomVariant,
        image,
        launch: Launch::Command(command),
        jopsis_healthcheck: jopsis,
    }
}

/// E0405: behind a VPN, engines share one network stack and so cannot all
/// bind the P2P port the custom variant enables.
pub(super) fn check_custom_port_parameter(
    custom: Option<&CustomVariant>,
    vpn_names: &Option<Vec<String>>,
    problems: &mut Vec<ResolveError>,
) {
    let (Some(custom), Some(_)) = (custom, vpn_names) else {
        return;
    };
    if let Some(parameter) = custom.enabled_parameter("--port") {
        let mut error = ResolveError::new(
            "E0405",
            "the custom variant enables `--port`, but engines behind a VPN share its network stack and cannot all bind one P2P port",
            None,
        )
        .hint("disable `--port`: acegen gives each engine behind a VPN its own P2P port (ENGINE_P2P_RANGE), and the forwarded port to the first");
        error.custom_variant_at = parameter
            .position
            .map(|(position, length)| (custom.file.clone(), position, length));
        problems.push(error);
    }
}
