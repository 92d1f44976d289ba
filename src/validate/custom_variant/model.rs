//! The typed custom variant: platform, versions, memory limit, torrent
//! mount and engine parameters, as later stages read them.

use crate::diagnostic::Position;
use crate::validate::settings::MemorySize;
use camino::Utf8PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Amd64,
    Arm32,
    Arm64,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Amd64 => "amd64",
            Platform::Arm32 => "arm32",
            Platform::Arm64 => "arm64",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParameterValue {
    Flag(bool),
    Text(String),
    Integer(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub value: ParameterValue,
    pub enabled: bool,
    /// Where the parameter's object starts, for later diagnostics.
    pub position: Option<(Position, usize)>,
}

impl Parameter {
    /// The command-line items this parameter adds (docs/development/spec.md §2.1): a true flag adds
    /// its name, a false flag nothing, any other type `NAME VALUE`.
    pub fn arguments(&self) -> Vec<String> {
        if !self.enabled {
            return Vec::new();
        }
        match &self.value {
            ParameterValue::Flag(true) => vec![self.name.clone()],
            ParameterValue::Flag(false) => Vec::new(),
            ParameterValue::Text(text) => vec![self.name.clone(), text.clone()],
            ParameterValue::Integer(n) => vec![self.name.clone(), n.to_string()],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TorrentMount {
    pub host_path: String,
    pub container_path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomVariant {
    pub file: Utf8PathBuf,
    pub enabled: bool,
    pub platform: Platform,
    pub amd64_version: String,
    pub arm_version: String,
    /// Where the file sets the engines' image tag (`amd64_version` or
    /// `arm_version`); None when it leaves the tag to the default.
    pub version_at: Option<(crate::diagnostic::Position, usize)>,
    pub memory_limit: Option<MemorySize>,
    /// memory_limit is `"0"`: no limit, and ENGINE_MEMORY_LIMIT does not
    /// apply either (the orchestrator passes the "0" on, which Docker reads
    /// as unlimited). null or `""` leave this false and fall back.
    pub no_memory_limit: bool,
    pub torrent_mount: Option<TorrentMount>,
    pub parameters: Vec<Parameter>,
}

impl CustomVariant {
    /// The name acegen shows for this variant (`custom-amd64`).
    pub fn label(&self) -> String {
        format!("custom-{}", self.platform.name())
    }

    pub fn enabled_parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.enabled && p.name == name)
    }
}
