//! What must hold for ANY input, checked by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/`) and by the stable smoke harness
//! (`tests/fuzz_smoke.rs`, which includes this file by path). A violated
//! invariant is a [`Finding`]; a panic inside acegen is one too (the
//! callers let it unwind: libFuzzer and the test harness both report it).
//!
//! - The readers: every diagnostic points into the file (line and column
//!   within it), and reading twice gives the same result.
//! - The pipeline: an input is either refused with at least one error, or
//!   its output parses as YAML, holds exactly the planned services and only
//!   the fields the plan made, its labels read back (as compose reads them)
//!   to the plan's, no render-stage check fails on the built-in template,
//!   and two runs give the same text and diagnostics.

use acegen::diagnostic::Diagnostic;
use acegen::load::dotenv;
use acegen::load::Inputs;
use acegen::pipeline::{compile_inputs, Compilation, Request};
use acegen::resolve::Plan;
use acegen::validate::custom_variant::check_custom_variant;
use serde_yaml::Value;

pub const ENV_PATH: &str = acegen::load::DEFAULT_ENV_FILE;
pub const CUSTOM_VARIANT_PATH: &str = acegen::load::CUSTOM_VARIANT_FILE;

/// A broken invariant, said in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding(pub String);

type Checked = Result<(), Finding>;

fn fail(message: impl Into<String>) -> Checked {
    Err(Finding(message.into()))
}

/// The `.env` reader on `text`.
pub fn check_env_reader(text: &str) -> Checked {
    let no_env = |_: &str| None;
    let parsed = dotenv::parse(text, &no_env);
    for entry in &parsed.entries {
        within(
            text,
            entry.key_pos.line,
            entry.key_pos.column,
            "an entry's key",
        )?;
        within(
            text,
            entry.value_pos.line,
            entry.value_pos.column,
            "an entry's value",
        )?;
    }
    for error in &parsed.errors {
        within(text, error.pos.line, error.pos.column, "an error")?;
    }
    for warning in &parsed.warnings {
        within(text, warning.pos.line, warning.pos.column, "a warning")?;
    }
    if dotenv::parse(text, &no_env) != parsed {
        return fail("reading the same .env twice gave different results");
    }
    Ok(())
}

/// The custom variant reader on `text`.
pub fn check_custom_variant_reader(text: &str) -> Checked {
    let path = camino::Utf8Path::new(CUSTOM_VARIANT_PATH);
    let (variant, problems) = check_custom_variant(path, text);
    for problem in &problems {
        if let Some((position, _)) = problem.position {
            within(text, position.line, position.column, problem.code)?;
        }
    }
    let errors = problems
        .iter()
        .any(|p| p.severity == acegen::diagnostic::Severity::Error);
    if variant.is_some() == errors {
        return fail("a custom variant was returned together with an error, or neither");
    }
    if check_custom_variant(path, text) != (variant, problems) {
        return fail("reading the same custom variant twice gave different results");
    }
    Ok(())
}

/// Is 1-based (`line`, `column`) inside `text` (or just past a line's end)?
/// Columns are checked against the line's bytes, the loosest of the units
/// the readers use.
fn within(text: &str, line: u32, column: u32, what: &str) -> Checked {
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(line_text) = (line as usize).checked_sub(1).and_then(|i| lines.get(i)) else {
        return fail(format!(
            "{what} is placed on line {line}, but the text has {} lines",
            lines.len()
        ));
    };
    if column == 0 || column as usize > line_text.len() + 1 {
        return fail(format!(
            "{what} is placed at {line}:{column}, but line {line} has {} bytes",
            line_text.len()
        ));
    }
    Ok(())
}

/// The whole pipeline, as `acegen generate` runs it, on an in-memory `.env`
/// and custom variant (`None`: no such file).
pub fn check_pipeline(env: &str, custom_variant: Option<&str>) -> Checked {
    check_pipeline_outcome(env, custom_variant).map(|_| ())
}

/// [`check_pipeline`], also saying whether an output was made (`true`) or
/// the input was refused, so a harness can tell how much it exercised.
pub fn check_pipeline_outcome(env: &str, custom_variant: Option<&str>) -> Result<bool, Finding> {
    let first = compile(env, custom_variant);
    let second = compile(env, custom_variant);
    if first.output != second.output
        || first.diagnostics.clone().sorted() != second.diagnostics.clone().sorted()
    {
        return Err(Finding("two runs on the same input differ".into()));
    }
    let diagnostics = first.diagnostics.clone().sorted();
    for diagnostic in &diagnostics {
        check_location(diagnostic, env, custom_variant)?;
    }
    if let Some(render) = diagnostics.iter().find(|d| d.code.starts_with("E05")) {
        return Err(Finding(format!(
            "the built-in template's output failed a render check: {} {}",
            render.code, render.message
        )));
    }
    let Some(output) = &first.output else {
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Ok(false);
        }
        return Err(Finding("no output and no error diagnostic".into()));
    };
    let plan = first
        .plan
        .as_ref()
        .ok_or_else(|| Finding("an output without a plan".into()))?;
    check_output(output, plan).map(|()| true)
}

fn compile(env: &str, custom_variant: Option<&str>) -> Compilation {
    let inputs = match custom_variant {
        Some(text) => Inputs::from_text(env).with_custom_variant(text),
        None => Inputs::from_text(env),
    };
    compile_inputs(inputs, &Request::default())
}

fn check_location(diagnostic: &Diagnostic, env: &str, custom_variant: Option<&str>) -> Checked {
    let Some(location) = &diagnostic.location else {
        return Ok(());
    };
    let Some(position) = location.position else {
        return Ok(());
    };
    let text = match location.file.as_str() {
        ENV_PATH => env,
        CUSTOM_VARIANT_PATH => custom_variant.unwrap_or(""),
        _ => return Ok(()), // the generated text: checked as output below
    };
    within(text, position.line, position.column, diagnostic.code)
}

/// The generated text against the plan it was made from.
pub fn check_output(output: &str, plan: &Plan) -> Checked {
    let document: Value = serde_yaml::from_str(output)
        .map_err(|e| Finding(format!("the output is not YAML: {e}")))?;
    let Some(top) = document.as_mapping() else {
        return fail("the output is not a mapping");
    };
    for key in top.keys() {
        let allowed = matches!(key.as_str(), Some("services"))
            || (matches!(key.as_str(), Some("networks")) && plan.network.is_some());
        if !allowed {
            return fail(format!("top-level key {key:?} the plan did not make"));
        }
    }
    let services = document
        .get("services")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let planned: Vec<&str> = plan
        .vpns
        .iter()
        .map(|v| v.name.as_str())
        .chain(plan.engines.iter().map(|e| e.name.as_str()))
        .collect();
    let written: Vec<&str> = services.keys().filter_map(Value::as_str).collect();
    if written != planned || services.len() != planned.len() {
        return fail(format!(
            "services {written:?}, but the plan has {planned:?}"
        ));
    }
    for vpn in &plan.vpns {
        check_vpn(&services[vpn.name.as_str()], vpn)?;
    }
    for engine in &plan.engines {
        check_engine(&services[engine.name.as_str()], engine, plan)?;
    }
    Ok(())
}

fn keys_of(service: &Value) -> Vec<String> {
    service
        .as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn check_vpn(service: &Value, vpn: &acegen::resolve::VpnService) -> Checked {
    let mut allowed = vec![
        "image",
        "container_name",
        "cap_add",
        "devices",
        "environment",
    ];
    allowed.extend(["ports", "networks", "restart"]);
    only_allowed(service, &allowed, &vpn.name)?;
    let written: Vec<String> = service
        .get("environment")
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let planned: Vec<String> = vpn.environment.iter().map(|(k, _)| k.clone()).collect();
    if written != planned {
        return fail(format!(
            "{}: environment keys {written:?}, but the plan has {planned:?}",
            vpn.name
        ));
    }
    Ok(())
}

fn check_engine(service: &Value, engine: &acegen::resolve::Engine, plan: &Plan) -> Checked {
    let mut allowed = vec!["image", "container_name", "labels", "restart"];
    if engine.command.is_some() {
        allowed.push("command");
    }
    if engine.acestream_args.is_some() {
        allowed.push("environment");
    }
    if engine.vpn.is_some() {
        allowed.extend(["network_mode", "depends_on"]);
    } else {
        allowed.push("ports");
        if plan.network.is_some() {
            allowed.push("networks");
        }
    }
    if engine.healthcheck.is_some() {
        allowed.push("healthcheck");
    }
    // `init: true` goes with the VPN watchdog in the health check.
    if acegen::resolve::has_vpn_watchdog(engine) {
        allowed.push("init");
    }
    if plan.memory_limit.is_some() {
        allowed.push("mem_limit");
    }
    if plan.torrent_mount.is_some() {
        allowed.push("volumes");
    }
    only_allowed(service, &allowed, &engine.name)?;
    check_labels(service, engine)
}

fn only_allowed(service: &Value, allowed: &[&str], name: &str) -> Checked {
    match keys_of(service)
        .into_iter()
        .find(|k| !allowed.contains(&k.as_str()))
    {
        Some(extra) => fail(format!("{name}: field `{extra}` the plan did not make")),
        None => Ok(()),
    }
}

/// Labels as compose reads them: keys as written (compose interpolates no
/// mapping key), values with `$$` read back as `$`.
fn check_labels(service: &Value, engine: &acegen::resolve::Engine) -> Checked {
    let Some(labels) = service.get("labels").and_then(Value::as_mapping) else {
        return fail(format!("{}: no labels mapping", engine.name));
    };
    let read: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| {
            let key = k.as_str().unwrap_or_default().to_owned();
            let value = v.as_str().map(compose_unescaped).unwrap_or_default();
            (key, value)
        })
        .collect();
    if read != engine.labels {
        return fail(format!(
            "{}: labels read back as {read:?}, but the plan has {:?}",
            engine.name, engine.labels
        ));
    }
    Ok(())
}

/// A compose value with its `$$` escapes read back (`$` alone would be an
/// interpolation, which acegen never writes into a label).
fn compose_unescaped(value: &str) -> String {
    value.replace("$$", "$")
}
