//! Canary secrets (issue 20's proof): distinctive values planted where they
//! are secrets by definition — under secret-looking keys of a `.env`, of a
//! committed compose file (in every form YAML allows, through anchors,
//! aliases and merge keys, in a second document) and of a manifest (the
//! Kubernetes `name`/`value` items) — then `check` (text, JSON, GitHub),
//! `explain` (text, JSON) and every `diff` mode (unified, `--semantic`,
//! `--format json`, for compose and Kubernetes) run in process, and no
//! output may hold a canary.

use crate::invariants::Finding;
use crate::mutate::{mutate_env, Rng};
use acegen::diff::redact::Secrets;
use acegen::diff::unified::{unified_diff, Sides};
use acegen::diff::{objects, report, Palette};
use acegen::load::Inputs;
use acegen::pipeline::{compile_inputs, Compilation, Request, Target};

/// Every canary starts with this; nothing else in the inputs does.
pub const MARK: &str = "cnry";

/// Names that look secret, in the spellings users write.
const SECRET_KEYS: &[&str] = &[
    "WIREGUARD_PRIVATE_KEY",
    "OPENVPN_PASSWORD",
    "OPENVPN_PASSWORD_2",
    "GLUETUN_API_KEY",
    "API_KEY",
    "HTTPPROXY_PASSWORD",
    "MY_SERVICE_TOKEN",
    "some_secret",
    "REGISTRY_CREDENTIALS",
    "OPENVPN_KEY_PASSPHRASE",
];

/// The three planted inputs.
#[derive(Debug, Clone)]
pub struct Planted {
    pub env: String,
    pub compose: String,
    pub manifest: String,
}

fn canary(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let tail: String = (0..10)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
        .collect();
    format!("{MARK}{tail}")
}

/// A `.env`: planted lines first (so that no earlier open quote swallows
/// them), then a mutated seed.
pub fn plant_env(rng: &mut Rng, seed: &str, keys: &[&str]) -> String {
    let mut env = String::new();
    for _ in 0..1 + rng.below(4) {
        let key = *rng.pick(SECRET_KEYS);
        let value = canary(rng);
        let mut form = rng.below(11);
        if form >= 8 && rng.below(4) != 0 {
            form -= 8; // Rarer: known open until sec-a's fix lands (known.rs).
        }
        let line = match form {
            // A key after a word, a dash or a space (#20 item 1).
            8 => format!("exprot {key}={value}"),
            9 => format!("- {key}={value}"),
            10 => format!("GLUETUN {key}={value}"),
            0 => format!("{key}={value}"),
            1 => format!("{key}=\"{value}\""),
            2 => format!("{key}='{value}'"),
            3 => format!("export {key}={value}"),
            4 => format!("{key}={value} # rotated"),
            5 => format!("{key}={value}$undefined_{}", rng.below(9)),
            6 => format!("{key}X={value}"),
            _ => format!("{key}=\"{value}\n{}\"", canary(rng)),
        };
        env.push_str(&line);
        env.push('\n');
    }
    env.push_str(&mutate_env(seed, rng, keys));
    env
}

/// Entry `n` of an `environment:` map at `indent` (its key made unique with
/// `_n`: YAML forbids a key twice), and what it needs at the top level (an
/// anchor). One merge key at most (`<<` is a key too).
fn compose_entry(rng: &mut Rng, n: usize, indent: &str, merged: &mut bool) -> (String, String) {
    let key = format!("{}_{n}", rng.pick(SECRET_KEYS));
    let (c, d) = (canary(rng), canary(rng));
    let deeper = format!("{indent}  ");
    let plain = |entry: String| (entry, String::new());
    let mut form = rng.below(17);
    if form == 12 && std::mem::replace(merged, true) {
        form = 0;
    }
    match form {
        0 => plain(format!("{indent}{key}: {c}\n")),
        1 => plain(format!("{indent}{key}: \"{c}\"\n")),
        2 => plain(format!("{indent}'{key}': '{c}'\n")),
        3 => plain(format!("{indent}{key}:\t{c}\n")),
        4 => plain(format!("{indent}\"{key}\" : {c}\n")),
        5 => plain(format!("{indent}? {key}\n{indent}: {c}\n")),
        6 => plain(format!("{indent}{key}: |\n{deeper}{c}\n{deeper}{d}\n")),
        7 => plain(format!("{indent}{key}: >-\n{deeper}{c}\n")),
        8 => plain(format!("{indent}{key}: \"{c}\n{deeper}{d}\"\n")),
        9 => (
            format!("{indent}{key}: *a{n}\n"),
            format!("x-a{n}: &a{n} {c}\n"),
        ),
        10 => (
            format!("{indent}{key}: *a{n}\n"),
            format!("x-f{n}: {{v: &a{n} {c}, w: 1}}\n"),
        ),
        11 => (
            format!("{indent}{key}: *a{n}\n"),
            format!("x-b{n}: &a{n} |\n  {c}\n"),
        ),
        12 => (
            format!("{indent}<<: *m{n}\n"),
            format!("x-m{n}: &m{n}\n  {key}: {c}\n"),
        ),
        13 => plain(format!("{indent}{key}:\n{deeper}inner: {c}\n")),
        14 => plain(format!("{indent}{key}:\n{deeper}{c}: x\n")),
        15 => plain(format!("{indent}{key}: [{c}, {d}]\n")),
        _ => (
            format!("{indent}{key}: *a{n}\n"),
            format!("x-l{n}: &a{n}\n  - {c}\n"),
        ),
    }
}

/// A compose file with planted secrets in a map environment, a list
/// environment, a flow mapping and a comment; sometimes after a first
/// document of its own.
pub fn plant_compose(rng: &mut Rng) -> String {
    let mut top = String::new();
    let mut map_entries = String::new();
    let mut merged = false;
    for n in 0..1 + rng.below(5) {
        let (entry, anchor) = compose_entry(rng, n, "      ", &mut merged);
        map_entries.push_str(&entry);
        top.push_str(&anchor);
    }
    let (key, c, d) = (*rng.pick(SECRET_KEYS), canary(rng), canary(rng));
    let item = match rng.below(3) {
        0 => format!("      - {key}={c}\n"),
        1 => format!("      - \"{key}={c}\"\n"),
        _ => format!("#      - {key}={c}\n"),
    };
    let flow_key = *rng.pick(SECRET_KEYS);
    let first_document = match rng.below(4) {
        0 => "services:\n  other:\n    image: busybox\n---\n",
        _ => "",
    };
    format!(
        "{first_document}{top}services:\n  gluetun:\n    image: qmcgaw/gluetun:v3\n    environment:\n\
         {map_entries}      TZ: Europe/Madrid\n  gluetun2:\n    image: qmcgaw/gluetun:v3\n    \
         environment:\n{item}      - TZ=UTC\n    labels: {{{flow_key}: {d}, stack: old}}\n"
    )
}

/// A Deployment whose container inlines secrets as `name`/`value` items.
pub fn plant_manifest(rng: &mut Rng) -> String {
    let mut items = String::new();
    let indent = "            ";
    for _ in 0..1 + rng.below(4) {
        let (key, c) = (*rng.pick(SECRET_KEYS), canary(rng));
        items.push_str(&match rng.below(7) {
            0 => format!("{indent}- name: {key}\n{indent}  value: {c}\n"),
            1 => format!("{indent}- value: {c}\n{indent}  name: {key}\n"),
            2 => format!("{indent}- {{name: {key}, value: {c}}}\n"),
            3 => format!("{indent}- {{value: {c}, name: {key}}}\n"),
            4 => format!("{indent}- name: \"{key}\"\n{indent}  value: \"{c}\"\n"),
            5 => format!("{indent}- name: {key}\n{indent}  value: |\n{indent}    {c}\n"),
            _ => format!("{indent}- name: {key}\n{indent}  value: '{c}'\n"),
        });
    }
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gluetun\nspec:\n  template:\n    \
         spec:\n      containers:\n        - name: gluetun\n          image: qmcgaw/gluetun:v3\n          \
         env:\n{items}{indent}- name: TZ\n{indent}  value: UTC\n"
    )
}

/// All three inputs from one generator state.
pub fn plant(rng: &mut Rng, env_seed: &str, keys: &[&str]) -> Planted {
    Planted {
        env: plant_env(rng, env_seed, keys),
        compose: plant_compose(rng),
        manifest: plant_manifest(rng),
    }
}

fn compile(env: &str, target: Target) -> Compilation {
    let request = Request {
        target,
        ..Request::default()
    };
    compile_inputs(Inputs::from_text(env.to_owned()), &request)
}

/// What `check` prints in its three formats, and `explain` in its two.
fn report_outputs(compilation: &Compilation, out: &mut Vec<(&'static str, String)>) {
    let text: String = acegen::report::ordered(compilation)
        .iter()
        .map(|d| acegen::report::text::format_diagnostic(compilation, d))
        .collect();
    out.push(("check", text));
    out.push((
        "check --format json",
        acegen::report::json::render(compilation, false),
    ));
    out.push((
        "check --format github",
        acegen::report::github::render(compilation),
    ));
    if let Some(plan) = compilation.plan.as_ref() {
        if !compilation.diagnostics.has_errors() {
            let explain = acegen::commands::explain::text_explanation(compilation, plan, None);
            out.push(("explain", explain));
            let json = acegen::commands::explain::explanation(compilation, plan);
            out.push(("explain --format json", json.to_string()));
        }
    }
}

/// The compose file compared in every mode.
fn compose_diffs(before: &str, generated: &str, out: &mut Vec<(&'static str, String)>) {
    for (mode, context) in [("diff", 3), ("diff -U 1000", 1000)] {
        let sides = Sides {
            before_name: "docker-compose.yml",
            before,
            after_name: "docker-compose.yml (generated by acegen)",
            after: generated,
        };
        out.push((mode, unified_diff(&sides, context, Palette::PLAIN)));
    }
    match acegen::diff::semantic_changes(before, generated) {
        Ok(changes) => {
            let secrets = Secrets::reachable_through_aliases(before);
            let text = report::text_report(&changes, Palette::PLAIN, &secrets);
            out.push(("diff --semantic", text));
            let json = report::json_report(&changes, "docker-compose.yml", &secrets);
            out.push(("diff --format json", json.to_string()));
        }
        Err(e) => out.push(("diff --semantic (refused)", e.to_string())),
    }
}

/// The manifest compared, as a stream, in every mode.
fn kubernetes_diffs(
    compilation: &Compilation,
    manifest: &str,
    out: &mut Vec<(&'static str, String)>,
) {
    let Some(manifests) = compilation.manifests.as_ref() else {
        return;
    };
    let before = match objects::split_stream(manifest, "stream.yaml") {
        Ok(before) => before,
        Err(e) => return out.push(("diff --target kubernetes (refused)", e)),
    };
    let after = objects::generated(manifests, None);
    let changes = objects::changes(&before, &after);
    let text = objects::text_diff(&changes, 3, Palette::PLAIN);
    out.push(("diff --target kubernetes", text));
    let semantic = objects::semantic_diff(&changes, Palette::PLAIN).map_or_else(|e| e, |(t, _)| t);
    out.push(("diff --target kubernetes --semantic", semantic));
    let json =
        objects::json_diff(&changes, "stream.yaml").map_or_else(|e| e, |(v, _)| v.to_string());
    out.push(("diff --target kubernetes --format json", json));
}

/// Runs every command on the planted inputs; a line of output holding a
/// canary is a finding naming the command. Returns how many outputs were
/// searched (the diffs run only when the `.env` is valid).
pub fn check_canaries(planted: &Planted) -> Result<usize, Finding> {
    for (name, text) in [
        ("compose", &planted.compose),
        ("manifest", &planted.manifest),
    ] {
        let parses = serde_yaml::Deserializer::from_str(text)
            .all(|d| <serde_yaml::Value as serde::Deserialize>::deserialize(d).is_ok());
        if !parses {
            return Err(Finding(format!(
                "the generator wrote a {name} that is not YAML"
            )));
        }
    }
    let mut outputs = Vec::new();
    let compose = compile(&planted.env, Target::Compose);
    report_outputs(&compose, &mut outputs);
    if let (Some(generated), true) = (&compose.output, compose.is_valid(false)) {
        compose_diffs(&planted.compose, generated, &mut outputs);
    }
    let kubernetes = compile(&planted.env, Target::Kubernetes);
    if kubernetes.is_valid(false) {
        kubernetes_diffs(&kubernetes, &planted.manifest, &mut outputs);
    }
    for (command, text) in &outputs {
        if let Some(line) = text.lines().find(|l| l.contains(MARK)) {
            return Err(Finding(format!(
                "canary secret shown by `{command}`: {line}"
            )));
        }
    }
    Ok(outputs.len())
}
