//! `acegen schema env --orchestrator 2.1`: a JSON Schema of the `.env` keys
//! for 2.1, built from the key table. A key 2.1 reads and uses gets the
//! pattern of the value its Go parser takes (so an editor flags what `check`
//! calls E1010); a key 2.1 ignores gets a `deprecationMessage` saying why.

use super::keys::{self, Fate, Parse};
use serde_json::{json, Map, Value};

/// The text of the values 2.1's parsers take (`goparse`), as regular expressions.
fn pattern(parse: Parse) -> Option<&'static str> {
    Some(match parse {
        Parse::Int => r"^[+-]?[0-9]+$",
        // `_` between digits, as strconv.ParseFloat takes it.
        Parse::Float => {
            r"^[+-]?([0-9](_?[0-9])*(\.([0-9](_?[0-9])*)?)?|\.[0-9](_?[0-9])*)([eE][+-]?[0-9](_?[0-9])*)?$"
        }
        Parse::Bool => r"^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$",
        Parse::Duration => {
            r"^([+-]?[0-9]+|[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$"
        }
        Parse::Range => r"^\+?[0-9]+-[+-]?[0-9]+$",
        Parse::VpnRange => r"^\s*[+-]?[0-9]+\s*-\s*[+-]?[0-9]+\s*$",
        Parse::Memory => r"^\s*[+-]?[0-9]+[kKmMgG]?\s*$",
        Parse::Text | Parse::Secret | Parse::List | Parse::Image | Parse::NotRead => return None,
    })
}

/// Why 2.1 ignores a key, or `None` when it reads and uses it.
fn ignored_because(fate: Fate) -> Option<String> {
    match fate {
        Fate::ReadAsBefore | Fate::ReadDifferently { .. } => None,
        Fate::Stored(field) => Some(format!(
            "2.1 ignores it: its settings store's {} is applied over it (acegen settings --orchestrator 2.1)",
            field.path()
        )),
        Fate::Removed { replacement } => Some(format!(
            "2.1 has no such key; instead: {}",
            replacement.unwrap_or("nothing")
        )),
        Fate::DocumentedNeverRead { .. } => {
            Some("2.1 documents it but never reads it".to_owned())
        }
        Fate::ReadUnused => Some("2.1 reads it but nothing uses it".to_owned()),
        Fate::AcegenOnly { with_2_1 } => Some(format!("acegen's own key: {with_2_1}")),
    }
}

/// The schema as JSON text with a final newline.
pub fn env_schema() -> String {
    let mut properties = Map::new();
    for row in keys::all() {
        let mut property = json!({ "type": "string", "description": row.why });
        if let Some(reason) = ignored_because(row.fate) {
            property["deprecationMessage"] = Value::from(reason);
        } else if let Some(pattern) = pattern(row.parse) {
            // "" is unset to every env helper of 2.1: the default.
            property["pattern"] = Value::from(format!("({pattern})|^$"));
        }
        properties.insert(row.key.to_owned(), property);
    }
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "the .env keys of the orchestrator 2.1 (release v2.1.0.2)",
        "description": "Every key 2.1 reads, ignores, or documents without reading, as acegen check --orchestrator 2.1 reports it (docs/orchestrator.md#migrating-to-21). Other keys are allowed.",
        "type": "object",
        "properties": properties,
        "additionalProperties": { "type": "string" },
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orchestrator21::goparse;

    /// The schema and `check` agree on which values 2.1 misreads.
    #[test]
    fn the_schema_takes_exactly_what_2_1s_parsers_take() {
        let schema: Value = serde_json::from_str(&env_schema()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let accepts = |key: &str, value: &str| validator.is_valid(&json!({ key: value }));
        for (key, good, bad) in [
            ("REPUTATION_ENABLED", "True", "yes"),
            ("MAX_TOTAL_STREAMS", "+40", "40.0"),
            ("CHANNEL_INIT_GRACE_PERIOD_S", "1m30s", "0.5"),
            ("REPUTATION_W_TTFB", ".25", "1,5"),
            ("REPUTATION_W_SUCCESS", "1_000.5", "1__0"),
            ("PORT_RANGE_HOST", "19000-19999", "19000"),
            ("ENGINE_MEMORY_LIMIT", "512m", "512mb"),
        ] {
            assert!(accepts(key, good), "{key}={good}");
            assert!(!accepts(key, bad), "{key}={bad}");
            let parse = keys::lookup(key).unwrap().parse;
            assert!(pattern(parse).is_some(), "{key}");
        }
        // On every sample, the pattern of a kind says what its parser says.
        let samples = [
            "",
            "0",
            "+5",
            "-5",
            " 5",
            "5.0",
            ".5",
            "5.",
            "1e3",
            "1_000",
            "1__0",
            "500ms",
            "1m30s",
            "1.5h",
            "0.5",
            "5 s",
            "-1s",
            "T",
            "True",
            "tRue",
            "yes",
            "19000-19999",
            "19000",
            "-5-10",
            "+5-+10",
            "19000 - 19999",
            "512m",
            "512mb",
            "1.5g",
            " 64m ",
            "k",
        ];
        for (key, parses) in [
            (
                "MAX_TOTAL_STREAMS",
                (|t| goparse::atoi(t).is_some()) as fn(&str) -> bool,
            ),
            ("REPUTATION_W_TTFB", |t| goparse::parse_float(t).is_some()),
            ("REPUTATION_ENABLED", |t| goparse::parse_bool(t).is_some()),
            ("CHANNEL_INIT_GRACE_PERIOD_S", |t| {
                goparse::parse_env_duration(t).is_some()
            }),
            ("PORT_RANGE_HOST", |t| goparse::parse_range(t).1),
            ("ENGINE_MEMORY_LIMIT", |t| {
                goparse::parse_memory(t).is_some()
            }),
        ] {
            for text in samples.iter().filter(|t| !t.is_empty()) {
                assert_eq!(accepts(key, text), parses(text), "{key}={text:?}");
            }
        }
        assert!(accepts("MIN_REPLICAS", "anything: the store overrides it"));
        assert!(schema["properties"]["MIN_REPLICAS"]["deprecationMessage"]
            .as_str()
            .unwrap()
            .contains("engine_settings.min_replicas"));
    }
}
