//! What a `--template` receives: the reference table of docs/template.md is
//! generated from [`TEMPLATE_INPUTS`], and a test walks the real view the
//! template gets to keep the table complete (every field documented, no row
//! for a field that does not exist).

/// One value the template can read, by its path (`engines[].name`: the
/// `name` of each element of the `engines` list).
pub struct TemplateInput {
    pub path: &'static str,
    pub kind: &'static str,
    pub meaning: &'static str,
}

const fn input(path: &'static str, kind: &'static str, meaning: &'static str) -> TemplateInput {
    TemplateInput {
        path,
        kind,
        meaning,
    }
}

pub const TEMPLATE_INPUTS: &[TemplateInput] = &[
    input("header", "list of strings", "the header comment's lines, without the leading `#`"),
    input("vpns", "list", "the Gluetun services: none, one, or two in redundant mode"),
    input("vpns[].name", "string", "service and container name (GLUETUN_CONTAINER_NAME, _2)"),
    input("vpns[].image", "string", "GLUETUN_IMAGE"),
    input("vpns[].environment", "list", "the Gluetun settings, in order"),
    input("vpns[].environment[].key", "string", "variable name in the container"),
    input("vpns[].environment[].value", "string", "its value: a `${KEY}` reference to `.env` for settings found there, else a literal"),
    input("vpns[].ports", "list of strings", "published ports, `[IP:]HOST:CONTAINER` or ranges: the control server (127.0.0.1) first, then the engines' ports"),
    input("vpns[].auth_config", "map or none", "`--stack orchestrator`: the compose config holding Gluetun's auth roles, mounted at `/NAME`; none for the engines stack"),
    input("vpns[].auth_config.name", "string", "the config's name"),
    input("vpns[].auth_config.content", "string", "the TOML file: the role that opens the routes the orchestrator calls"),
    input("engines", "list", "the engines, in index order"),
    input("engines[].name", "string", "service and container name, `acestream-N`"),
    input("engines[].image", "string", "the variant's image"),
    input("engines[].command", "list of strings or none", "the command, for variants that take one"),
    input("engines[].environment", "list", "the engine's environment (ACESTREAM_ARGS for variants configured that way)"),
    input("engines[].environment[].key", "string", "variable name"),
    input("engines[].environment[].value", "string", "its value"),
    input("engines[].vpn", "string or none", "the VPN service whose network the engine shares (`network_mode: service:…`)"),
    input("engines[].ports", "list of strings", "published ports, `[IP:]HOST:CONTAINER`; not published behind a VPN (the VPN publishes them)"),
    input("engines[].labels", "list", "the labels, CONTAINER_LABEL and acegen's own"),
    input("engines[].labels[].key", "string", "label name"),
    input("engines[].labels[].value", "string", "label value"),
    input("engines[].healthcheck", "list of strings or none", "the healthcheck's `test`, for variants that have one"),
    input("engines[].init", "boolean", "`init: true`: the health check of an engine behind a VPN ends it when its network namespace died (docs/runtimes.md)"),
    input("engines[].mem_limit", "string or none", "ENGINE_MEMORY_LIMIT or the custom variant's memory_limit"),
    input("engines[].volumes", "list of strings", "bind mounts, `HOST:CONTAINER:rw` (the custom variant's torrent folder)"),
    input("network", "string or none", "DOCKER_NETWORK"),
    input("orchestrator", "map or none", "`--stack orchestrator`: the orchestrator service (the built-in orchestrator-stack template renders it); none for the engines stack"),
    input("orchestrator.name", "string", "service and container name, `orchestrator`"),
    input("orchestrator.image", "string", "ORCHESTRATOR_IMAGE"),
    input("orchestrator.env_file", "string", "the `.env` path, for `env_file:`"),
    input("orchestrator.environment", "list", "keys the orchestrator reads that were given with `--set` (never acegen's own keys nor secrets)"),
    input("orchestrator.environment[].key", "string", "variable name"),
    input("orchestrator.environment[].value", "string", "its value"),
    input("orchestrator.ports", "list of strings", "the dashboard/API port, `[IP:]APP_PORT:8000`"),
    input("orchestrator.depends_on", "list of strings", "the VPN services it waits for (healthy)"),
    input("configs", "list", "top-level compose configs, each once (both VPNs share Gluetun's auth file)"),
    input("configs[].name", "string", "the config's name"),
    input("configs[].content", "string", "its inline content"),
];

/// The Markdown table docs/template.md holds between its markers.
pub fn markdown_table() -> String {
    let mut table = String::from("| input | type | meaning |\n|---|---|---|\n");
    for input in TEMPLATE_INPUTS {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            input.path, input.kind, input.meaning
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Inputs;
    use crate::pipeline::Request;
    use crate::resolve::Stack;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// Every path in `value`, list elements written `[]`.
    fn paths(prefix: &str, value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(fields) => {
                for (name, field) in fields {
                    let path = match prefix {
                        "" => name.clone(),
                        _ => format!("{prefix}.{name}"),
                    };
                    found.insert(path.clone());
                    paths(&path, field, found);
                }
            }
            Value::Array(items) => {
                for item in items {
                    paths(&format!("{prefix}[]"), item, found);
                }
            }
            _ => {}
        }
    }

    /// The views of plans that fill every list: a VPN with settings, an
    /// engine with environment and labels, and (`--stack orchestrator`) the
    /// orchestrator service with an environment of its own.
    fn view_paths() -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for stack in [Stack::Engines, Stack::Orchestrator] {
            stack_view_paths(stack, &mut found);
        }
        found
    }

    fn stack_view_paths(stack: Stack, found: &mut BTreeSet<String>) {
        let env = "ENGINE_VARIANT=jopsis-amd64\nGLUETUN_CONTAINER_NAME=vpn\nVPN_SERVICE_PROVIDER=custom\nMIN_REPLICAS=1\n";
        let inputs = Inputs::from_text(env);
        let mut request = Request::default();
        request.resolve.stack = stack;
        // APP_PORT off Gluetun's control port (8000), and a key the
        // orchestrator reads given on the command line, which reaches its
        // environment.
        request.overrides = [("APP_PORT", "8080"), ("MAX_CONCURRENT_PROVISIONS", "3")]
            .map(|(key, value)| crate::validate::settings::Override {
                key: key.to_owned(),
                value: value.to_owned(),
            })
            .to_vec();
        let plan = crate::test_support::plan_for(inputs, &request);
        let view = super::super::document_view(&plan, &Default::default(), "gluetun");
        paths("", &serde_json::to_value(view).unwrap(), found);
    }

    #[test]
    fn every_input_the_template_receives_is_documented_and_nothing_else() {
        let documented: BTreeSet<String> =
            TEMPLATE_INPUTS.iter().map(|i| i.path.to_owned()).collect();
        let received = view_paths();
        let undocumented: Vec<_> = received.difference(&documented).collect();
        let stale: Vec<_> = documented.difference(&received).collect();
        assert!(
            undocumented.is_empty() && stale.is_empty(),
            "add to TEMPLATE_INPUTS: {undocumented:?}; remove: {stale:?}"
        );
    }
}
