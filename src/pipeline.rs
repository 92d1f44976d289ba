//! Runs the stages in order and collects every diagnostic, so that `check`
//! can list all problems at once and `generate` can refuse with all of them.

use crate::diagnostic::Diagnostics;
use crate::forward::{self, ForwardRequest};
use crate::load::{self, InputPaths, Inputs, LoadError};
use crate::render::{self, Provenance};
use crate::resolve::{self, Plan, ResolveOptions};
use crate::validate::{self, settings::Override, Validated};

/// What the user asked for, beyond the files.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub paths: InputPaths,
    pub overrides: Vec<Override>,
    pub resolve: ResolveOptions,
    /// Control servers to ask for forwarded ports (`--forwarded-port-from`).
    pub forward: ForwardRequest,
    /// The caller reports diagnostics but writes no text (`check`,
    /// `explain`): output that is proven valid is not rendered at all.
    pub text_unused: bool,
}

/// Everything a run produced. `output` is present only when no stage
/// reported an error.
#[derive(Debug, Clone)]
pub struct Compilation {
    pub inputs: Inputs,
    pub validated: Validated,
    pub plan: Option<Plan>,
    pub output: Option<String>,
    pub diagnostics: Diagnostics,
}

impl Compilation {
    pub fn is_valid(&self, strict: bool) -> bool {
        let warnings_fail = strict && self.diagnostics.warning_count() > 0;
        !(self.diagnostics.has_errors() || warnings_fail)
    }
}

/// Loads the inputs, then compiles them. Only I/O problems are `Err`.
pub fn compile(request: &Request) -> Result<Compilation, LoadError> {
    let inputs = load::load(&request.paths)?;
    Ok(compile_inputs(inputs, request))
}

pub fn compile_inputs(inputs: Inputs, request: &Request) -> Compilation {
    let mut diagnostics = Diagnostics::new();
    let validated = validate::validate(&inputs, &request.overrides, &mut diagnostics);
    let options = with_forwarded_ports(&validated, request, &mut diagnostics);
    let (plan, problems) = resolve::resolve(
        &validated.settings,
        validated.custom_variant.as_ref(),
        &options,
    );
    diagnostics.extend(problems.iter().map(|p| p.to_diagnostic()));
    let output = match (&plan, diagnostics.has_errors()) {
        (Some(plan), false) => rendered(plan, &inputs, &validated, request, &mut diagnostics),
        _ => None,
    };
    Compilation {
        inputs,
        validated,
        plan,
        output,
        diagnostics,
    }
}

/// The resolve options with the ports the running Gluetuns forward. A
/// failed query is an error diagnostic: without the port the file would
/// give the forwarded engine a wrong `--port`.
fn with_forwarded_ports(
    validated: &Validated,
    request: &Request,
    diagnostics: &mut Diagnostics,
) -> ResolveOptions {
    let mut options = request.resolve.clone();
    let (ports, errors) = forward::forwarded_ports(&validated.settings, &request.forward);
    diagnostics.extend(errors.iter().map(|e| e.to_diagnostic()));
    for (slot, port) in options.forwarded_from_control_server.iter_mut().zip(ports) {
        if port.is_some() {
            *slot = port;
        }
    }
    options
}

fn rendered(
    plan: &Plan,
    inputs: &Inputs,
    validated: &Validated,
    request: &Request,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let template = inputs
        .template
        .as_ref()
        .map(|t| (t.path.as_str(), t.text.as_str()));
    let provenance = provenance(inputs, validated, request);
    // The built-in template's output is proven valid for most plans
    // (render::check); anything else is parsed back and schema-checked.
    let proven = template.is_none() && render::check::builtin_output_is_proven(plan, &provenance);
    if proven && request.text_unused {
        return None; // rendering it could report nothing
    }
    let text = render::render(
        plan,
        &provenance,
        &validated.settings.gluetun_image.value,
        template,
    );
    let checked = text.map_err(|e| vec![e]).and_then(|text| {
        if !proven {
            render::check_rendered(&text, plan)?;
        }
        Ok(text)
    });
    match checked {
        Ok(text) => Some(text),
        Err(errors) => {
            diagnostics.extend(errors.iter().map(|e| e.to_diagnostic()));
            None
        }
    }
}

/// The inputs named in the header. Overrides name only the key: a value
/// given with `--set` may be a secret.
fn provenance(inputs: &Inputs, validated: &Validated, request: &Request) -> Provenance {
    let mut overrides: Vec<String> = request
        .overrides
        .iter()
        .map(|o| format!("--set {}", o.key))
        .collect();
    if let Some(n) = request.resolve.replicas {
        overrides.push(format!("--replicas {n}"));
    }
    for (v, url) in request.forward.urls.iter().enumerate() {
        if let Some(url) = url {
            overrides.push(format!("{} {}", forward::flag(v), forward::shown_url(url)));
        }
    }
    let custom = match (&inputs.custom_variant, &validated.custom_variant) {
        (Some(file), Some(v)) if v.enabled => Some(file.path.to_string()),
        (Some(file), _) => Some(format!("{} (disabled)", file.path)),
        (None, _) => None,
    };
    Provenance {
        env_file: inputs.env.as_ref().map(|f| f.path.to_string()),
        custom_variant: custom,
        overrides,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    fn inputs(env: &str) -> Inputs {
        Inputs {
            env: Some(SourceFile {
                path: ".env".into(),
                text: env.to_owned(),
            }),
            env_path: ".env".into(),
            custom_variant: None,
            template: None,
        }
    }

    #[test]
    fn proven_output_is_not_rendered_when_the_text_is_unused() {
        let env = "MIN_REPLICAS=2\nMAX_REPLICAS=2\n";
        let generate = compile_inputs(inputs(env), &Request::default());
        assert!(generate.output.is_some());
        let request = Request {
            text_unused: true,
            ..Request::default()
        };
        let check = compile_inputs(inputs(env), &request);
        assert_eq!(check.output, None);
        assert!(check.is_valid(true) && generate.is_valid(true));
        assert_eq!(check.plan, generate.plan);
    }
}
