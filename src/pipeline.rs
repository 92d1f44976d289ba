//! Runs the stages in order and collects every diagnostic, so that `check`
//! can list all problems at once and `generate` can refuse with all of them.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::forward::{self, ForwardRequest};
use crate::load::{self, InputPaths, Inputs, LoadError};
use crate::render::compose::{self, Provenance};
use crate::render::kubernetes::{self, KubernetesOptions, Manifests};
use crate::resolve::{self, Plan, ResolveOptions};
use crate::validate::{self, settings::Override, Validated};
use camino::{Utf8Path, Utf8PathBuf};

/// What the user asked for, beyond the files.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub paths: InputPaths,
    pub overrides: Vec<Override>,
    pub resolve: ResolveOptions,
    /// Control servers to ask for forwarded ports (`--forwarded-port-from`).
    pub forward: ForwardRequest,
    /// What to compile to (`--target`), and the Kubernetes target's choices.
    pub target: Target,
    pub kubernetes: KubernetesOptions,
    /// The file the output is for (`-o FILE`, or `diff`'s FILE), named in the
    /// header's regenerate hint; `None`: `docker-compose.yml` beside the `.env`.
    pub output: Option<Utf8PathBuf>,
    /// The caller reports diagnostics but writes no text (`check`,
    /// `explain`): output that is proven valid is not rendered at all.
    pub text_unused: bool,
    /// Which orchestrator the `.env` is for (`--orchestrator`): 2.1 has its
    /// own pipeline (`orchestrator21::compile`).
    pub orchestrator: crate::orchestrator21::Version,
}

/// The two targets (SPEC 6): one plan, one renderer each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A docker-compose.yml
    #[default]
    Compose,
    /// Kubernetes manifests: a folder of objects and a kustomization.yaml
    Kubernetes,
}

/// Everything a run produced. `output` is present only when no stage
/// reported an error.
#[derive(Debug, Clone)]
pub struct Compilation {
    pub inputs: Inputs,
    pub validated: Validated,
    pub plan: Option<Plan>,
    pub output: Option<String>,
    /// With `--target kubernetes`: the objects; `output` is then their stream.
    pub manifests: Option<Manifests>,
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
    if request.orchestrator == crate::orchestrator21::Version::V2_1 {
        return crate::orchestrator21::compile::compile(inputs, request, |inputs, validated| {
            provenance(inputs, validated, request)
        });
    }
    let mut diagnostics = Diagnostics::new();
    let validated = validate::validate(&inputs, &request.overrides, &mut diagnostics);
    if inputs.env.is_none() {
        diagnostics.push(no_env_file(&inputs));
    }
    let options = ResolveOptions {
        // The orchestrator's stack names it in `env_file:`, which compose
        // reads relative to the compose file's folder.
        env_file: inputs
            .env
            .as_ref()
            .map(|f| env_file_entry(&f.path, request)),
        ..with_forwarded_ports(&validated, request, &mut diagnostics)
    };
    let (plan, problems) = resolve::resolve(
        &validated.settings,
        validated.custom_variant.as_ref(),
        &options,
    );
    // W0430 counts docker-proxy processes: Kubernetes has none.
    let compose_only = |p: &&resolve::ResolveError| {
        request.target == Target::Compose || p.code != resolve::MANY_PUBLISHED_PORTS_CODE
    };
    diagnostics.extend(
        problems
            .iter()
            .filter(compose_only)
            .map(|p| p.to_diagnostic()),
    );
    let mut manifests = None;
    let output = match (&plan, diagnostics.has_errors(), request.target) {
        (Some(plan), false, Target::Compose) => {
            rendered(plan, &inputs, &validated, request, &mut diagnostics)
        }
        (Some(plan), false, Target::Kubernetes) => {
            manifests = kubernetes_manifests(plan, &validated, request, &mut diagnostics);
            // The stream copies every object's text: built only when someone reads it.
            manifests
                .as_ref()
                .filter(|_| !request.text_unused)
                .map(Manifests::stream)
        }
        _ => None,
    };
    Compilation {
        inputs,
        validated,
        plan,
        output,
        manifests,
        diagnostics,
    }
}

fn kubernetes_manifests(
    plan: &Plan,
    validated: &Validated,
    request: &Request,
    diagnostics: &mut Diagnostics,
) -> Option<Manifests> {
    let settings = &validated.settings;
    let text = if request.text_unused {
        kubernetes::Text::Unused
    } else {
        kubernetes::Text::Written
    };
    let (manifests, findings) = kubernetes::render_with(
        plan,
        settings,
        &settings.gluetun_image.value,
        &request.kubernetes,
        text,
    );
    diagnostics.extend(findings.iter().map(|f| f.to_diagnostic(settings)));
    manifests
}

/// W0801: without a `.env` every key takes its default, which is rarely what
/// a check in CI means to check (a git-ignored `.env` is simply absent there).
pub(crate) fn no_env_file(inputs: &Inputs) -> Diagnostic {
    use crate::load::project::{self, ProjectSource};
    let folder = project::shown(&inputs.project_dir);
    let message = match inputs.project_source {
        ProjectSource::Search { found: false } => format!(
            "no .env file in {folder} nor in any folder above it: every key takes its default"
        ),
        _ => format!("no .env file in {folder}: every key takes its default"),
    };
    Diagnostic::warning("W0801", message).with_hint(
        "run acegen in the stack's folder, or name it with -C DIR, or name the file with \
         --env-file PATH (in CI, a committed example such as .env.example)",
    )
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
    // (compose::check); anything else is parsed back and schema-checked.
    let proven = template.is_none() && compose::check::builtin_output_is_proven(plan, &provenance);
    if proven && request.text_unused {
        return None; // rendering it could report nothing
    }
    let text = compose::render(
        plan,
        &provenance,
        &validated.settings.gluetun_image.value,
        template,
    );
    let checked = text.map_err(|e| vec![e]).and_then(|text| {
        if !proven {
            compose::check_rendered(&text, plan)?;
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

/// The inputs named in the header, and the arguments that make the file
/// again (SPEC 3, issue 13), built in this one place. Overrides keep their
/// value, so the command makes the same file (issue 25), except secrets,
/// which are left out: they belong in `.env` (W0850). URLs lose any
/// credentials. The header quotes all of it (`compose::header`).
fn provenance(inputs: &Inputs, validated: &Validated, request: &Request) -> Provenance {
    use crate::validate::command_line_secrets::is_secret_key;
    let mut options: Vec<Vec<String>> = request
        .overrides
        .iter()
        .filter(|o| !is_secret_key(&o.key))
        .map(|o| vec!["--set".to_owned(), format!("{}={}", o.key, o.value)])
        .collect();
    if request.resolve.stack == crate::resolve::Stack::Orchestrator {
        options.push(vec!["--stack".to_owned(), "orchestrator".to_owned()]);
    }
    if request.orchestrator != crate::orchestrator21::Version::default() {
        let version = request.orchestrator.name().to_owned();
        options.push(vec!["--orchestrator".to_owned(), version]);
    }
    if let Some(n) = request.resolve.replicas {
        options.push(vec!["--replicas".to_owned(), n.to_string()]);
    }
    for (v, url) in request.forward.urls.iter().enumerate() {
        if let Some(url) = url {
            options.push(vec![forward::flag(v).to_owned(), forward::shown_url(url)]);
        }
    }
    let mut arguments = Vec::new();
    let paths = &request.paths;
    let named_files = [
        ("--env-file", &paths.env_file),
        ("--custom-variant", &paths.custom_variant),
        ("--template", &paths.template),
    ];
    for (flag, path) in named_files {
        if let Some(path) = path {
            arguments.extend([flag.to_owned(), compose::header::shown_path(path)]);
        }
    }
    arguments.extend(options.iter().flatten().cloned());
    let output = match &request.output {
        Some(path) => path.clone(),
        None => beside(&inputs.env_path, "docker-compose.yml"),
    };
    arguments.extend(["-o".to_owned(), compose::header::shown_path(&output)]);
    Provenance {
        env_file: inputs
            .env
            .as_ref()
            .map(|f| compose::header::shown_path(&f.path)),
        custom_variant: inputs
            .custom_variant
            .as_ref()
            .map(|f| compose::header::shown_path(&f.path)),
        custom_variant_enabled: validated.custom_variant.as_ref().is_some_and(|v| v.enabled),
        options,
        arguments,
    }
}

/// `name` in the folder of `file`.
/// The `.env` as `env_file:` names it: relative to the folder of the file
/// written or compared (`-o FILE`, `diff FILE`), else of the `.env` itself,
/// where the header's regenerate command writes the file.
fn env_file_entry(env_path: &Utf8Path, request: &Request) -> String {
    let output_folder = match &request.output {
        Some(output) => output.parent().unwrap_or(Utf8Path::new("")),
        None => env_path.parent().unwrap_or(Utf8Path::new("")),
    };
    load::project::relative_to(output_folder, env_path).to_string()
}

fn beside(file: &Utf8Path, name: &str) -> Utf8PathBuf {
    file.parent()
        .map_or_else(|| Utf8PathBuf::from(name), |dir| dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proven_output_is_not_rendered_when_the_text_is_unused() {
        let env = "MIN_REPLICAS=2\nMAX_REPLICAS=2\n";
        let generate = compile_inputs(Inputs::from_text(env), &Request::default());
        assert!(generate.output.is_some());
        let request = Request {
            text_unused: true,
            ..Request::default()
        };
        let check = compile_inputs(Inputs::from_text(env), &request);
        assert_eq!(check.output, None);
        assert!(check.is_valid(true) && generate.is_valid(true));
        assert_eq!(check.plan, generate.plan);
    }
}
