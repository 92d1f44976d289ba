//! The built-in template (`templates/docker-compose.yml.j2`) written out
//! directly: minijinja's interpreter was four fifths of a 1000-engine run.
//!
//! The template stays the reference: its text is what `--template` users
//! start from, and a property test (render::check::tests) asserts that this
//! writer's output equals minijinja's rendering of the template, byte for
//! byte, for thousands of random plans. Like the template, it writes every
//! value through [`yaml::quote_into`] and every key through [`yaml::key_into`].

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
    /// Literal template text.
    fn text(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `{prefix}"value"` and the end of the line.
    fn value_line(&mut self, prefix: &str, value: &str) {
        self.out.push_str(prefix);
        yaml::quote_into(&mut self.out, value);
        self.out.push('\n');
    }

    /// `{indent}key:` and the end of the line.
    fn key_line(&mut self, indent: &str, key: &str) {
        self.out.push_str(indent);
        yaml::key_into(&mut self.out, key);
        self.out.push_str(":\n");
    }

    /// `{indent}- "item"` for each item.
    fn items(&mut self, indent: &str, items: &[String]) {
        for item in items {
            self.out.push_str(indent);
            self.value_line("- ", item);
        }
    }

    /// `{indent}key: "value"` for each pair.
    fn pairs(&mut self, indent: &str, pairs: &[KeyValue]) {
        for pair in pairs {
            self.out.push_str(indent);
            yaml::key_into(&mut self.out, &pair.key);
            self.value_line(": ", &pair.value);
        }
    }

    fn networks(&mut self, network: Option<&str>) {
        if let Some(network) = network {
            self.text("    networks:\n");
            self.value_line("      - ", network);
        }
    }

    fn vpn(&mut self, vpn: &VpnView, network: Option<&str>) {
        self.key_line("  ", &vpn.name);
        self.value_line("    image: ", &vpn.image);
        self.value_line("    container_name: ", &vpn.name);
        self.text("    cap_add:\n      - \"NET_ADMIN\"\n");
        self.text("    devices:\n      - \"/dev/net/tun:/dev/net/tun\"\n");
        self.text("    environment:\n");
        self.pairs("      ", &vpn.environment);
        self.text("    ports:\n");
        self.items("      ", &vpn.ports);
        self.networks(network);
        self.text("    restart: \"unless-stopped\"\n");
    }

    fn engine(&mut self, engine: &EngineView, network: Option<&str>) {
        self.key_line("  ", &engine.name);
        self.value_line("    image: ", &engine.image);
        self.value_line("    container_name: ", &engine.name);
        if let Some(command) = engine.command.as_deref().filter(|c| !c.is_empty()) {
            self.text("    command:\n");
            self.items("      ", command);
        }
        if !engine.environment.is_empty() {
            self.text("    environment:\n");
            self.pairs("      ", &engine.environment);
        }
        match present(&engine.vpn) {
            Some(vpn) => {
                self.value_line("    network_mode: ", &format!("service:{vpn}"));
                self.text("    depends_on:\n");
                self.key_line("      ", vpn);
                self.text("        condition: \"service_healthy\"\n        restart: true\n");
            }
            None => {
                self.text("    ports:\n");
                self.items("      ", &engine.ports);
                self.networks(network);
            }
        }
        self.text("    labels:\n");
        self.pairs("      ", &engine.labels);
        if let Some(test) = engine.healthcheck.as_deref().filter(|t| !t.is_empty()) {
            self.text("    healthcheck:\n      test:\n");
            self.items("        ", test);
            self.text("      interval: \"30s\"\n      timeout: \"10s\"\n      retries: 3\n");
            self.text("      start_period: \"60s\"\n");
        }
        if engine.init {
            self.text("    init: true\n");
        }
        if let Some(limit) = present(&engine.mem_limit) {
            self.value_line("    mem_limit: ", limit);
        }
        if !engine.volumes.is_empty() {
            self.text("    volumes:\n");
            self.items("      ", &engine.volumes);
        }
        self.text("    restart: \"unless-stopped\"\n");
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
        writer.text("# ");
        writer.text(line);
        writer.text("\n");
    }
    let empty = view.vpns.is_empty() && view.engines.is_empty();
    writer.text(if empty {
        "services: {}\n"
    } else {
        "services:\n"
    });
    for (i, vpn) in view.vpns.iter().enumerate() {
        if i > 0 {
            writer.text("\n");
        }
        writer.vpn(vpn, network);
    }
    for (i, engine) in view.engines.iter().enumerate() {
        if !view.vpns.is_empty() || i > 0 {
            writer.text("\n");
        }
        writer.engine(engine, network);
    }
    if let Some(network) = network {
        writer.text("\nnetworks:\n");
        writer.key_line("  ", network);
        writer.value_line("    name: ", network);
    }
    writer.out
}
