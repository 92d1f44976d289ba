//! The built-in template (`templates/docker-compose.yml.j2`) written out
//! directly: minijinja's interpreter was four fifths of a 1000-engine run.
//!
//! The template stays the reference: its text is what `--template` users
//! start from, and a property test (render::check::tests) asserts that this
//! writer's output equals minijinja's rendering of the template, byte for
//! byte, for thousands of random plans. Like the template, it writes every
//! value through [`yaml::quote`] and every key through [`yaml::key`].

use super::{yaml, DocumentView, EngineView, KeyValue, VpnView};

/// About what one engine takes, so that the text is allocated once.
const BYTES_PER_SERVICE: usize = 700;

/// minijinja's truthiness of an optional string: absent or empty is false.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, parts: &[&str]) {
        for part in parts {
            self.out.push_str(part);
        }
        self.out.push('\n');
    }

    /// `{indent}- "item"` for each item.
    fn items(&mut self, indent: &str, items: &[String]) {
        for item in items {
            self.line(&[indent, "- ", &yaml::quote(item)]);
        }
    }

    /// `{indent}key: "value"` for each pair.
    fn pairs(&mut self, indent: &str, pairs: &[KeyValue]) {
        for pair in pairs {
            self.line(&[
                indent,
                &yaml::key(&pair.key),
                ": ",
                &yaml::quote(&pair.value),
            ]);
        }
    }

    fn networks(&mut self, network: Option<&str>) {
        if let Some(network) = network {
            self.line(&["    networks:"]);
            self.line(&["      - ", &yaml::quote(network)]);
        }
    }

    fn vpn(&mut self, vpn: &VpnView, network: Option<&str>) {
        self.line(&["  ", &yaml::key(&vpn.name), ":"]);
        self.line(&["    image: ", &yaml::quote(&vpn.image)]);
        self.line(&["    container_name: ", &yaml::quote(&vpn.name)]);
        self.line(&["    cap_add:\n      - \"NET_ADMIN\""]);
        self.line(&["    devices:\n      - \"/dev/net/tun:/dev/net/tun\""]);
        self.line(&["    environment:"]);
        self.pairs("      ", &vpn.environment);
        self.line(&["    ports:"]);
        self.items("      ", &vpn.ports);
        self.networks(network);
        self.line(&["    restart: \"unless-stopped\""]);
    }

    fn engine(&mut self, engine: &EngineView, network: Option<&str>) {
        self.line(&["  ", &yaml::key(&engine.name), ":"]);
        self.line(&["    image: ", &yaml::quote(&engine.image)]);
        self.line(&["    container_name: ", &yaml::quote(&engine.name)]);
        if let Some(command) = engine.command.as_deref().filter(|c| !c.is_empty()) {
            self.line(&["    command:"]);
            self.items("      ", command);
        }
        if !engine.environment.is_empty() {
            self.line(&["    environment:"]);
            self.pairs("      ", &engine.environment);
        }
        match present(&engine.vpn) {
            Some(vpn) => {
                let mode = format!("service:{vpn}");
                self.line(&["    network_mode: ", &yaml::quote(&mode)]);
                self.line(&["    depends_on:"]);
                self.line(&["      ", &yaml::key(vpn), ":"]);
                self.line(&["        condition: \"service_healthy\"\n        restart: true"]);
            }
            None => {
                self.line(&["    ports:"]);
                self.items("      ", &engine.ports);
                self.networks(network);
            }
        }
        self.line(&["    labels:"]);
        self.pairs("      ", &engine.labels);
        if let Some(test) = engine.healthcheck.as_deref().filter(|t| !t.is_empty()) {
            self.line(&["    healthcheck:\n      test:"]);
            self.items("        ", test);
            self.line(&["      interval: \"30s\"\n      timeout: \"10s\"\n      retries: 3"]);
            self.line(&["      start_period: \"60s\""]);
        }
        if let Some(limit) = present(&engine.mem_limit) {
            self.line(&["    mem_limit: ", &yaml::quote(limit)]);
        }
        if !engine.volumes.is_empty() {
            self.line(&["    volumes:"]);
            self.items("      ", &engine.volumes);
        }
        self.line(&["    restart: \"unless-stopped\""]);
    }
}

/// The built-in template's text for `view`.
pub(super) fn write(view: &DocumentView) -> String {
    let services = view.vpns.len() + view.engines.len();
    let mut writer = Writer {
        out: String::with_capacity(512 + services * BYTES_PER_SERVICE),
    };
    let network = present(&view.network);
    for line in &view.header {
        writer.line(&["# ", line]);
    }
    let empty = view.vpns.is_empty() && view.engines.is_empty();
    writer.line(&["services:", if empty { " {}" } else { "" }]);
    for (i, vpn) in view.vpns.iter().enumerate() {
        if i > 0 {
            writer.line(&[]);
        }
        writer.vpn(vpn, network);
    }
    for (i, engine) in view.engines.iter().enumerate() {
        if !view.vpns.is_empty() || i > 0 {
            writer.line(&[]);
        }
        writer.engine(engine, network);
    }
    if let Some(network) = network {
        writer.line(&["\nnetworks:"]);
        writer.line(&["  ", &yaml::key(network), ":"]);
        writer.line(&["    name: ", &yaml::quote(network)]);
    }
    writer.out
}
