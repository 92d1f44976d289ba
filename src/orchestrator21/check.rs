//! `check --orchestrator 2.1`: one diagnostic per `.env` key saying what 2.1
//! does with it (codes N1001–W1013, docs/diagnostics.md), and an error for
//! a key 2.1 reads with a value it would misread.

use super::fields::Field;
use super::goparse::{self, Duration};
use super::keys::{self, Fate, Parse, Row};
use super::settings::{self, Unstorable};
use super::Entry;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::SourceFile;

/// The diagnostics for every key of `entries`, and for the custom variant file.
pub fn check(entries: &[Entry], custom_variant: Option<&SourceFile>) -> Vec<Diagnostic> {
    let (assignments, unstorable) = settings::assignments(entries);
    let mut out: Vec<Diagnostic> = entries
        .iter()
        .map(|e| key_diagnostic(e, &unstorable))
        .collect();
    for a in assignments
        .iter()
        .filter(|a| settings::lasts_until_restart(&a.field, &a.value))
    {
        if let Some(entry) = entries.iter().find(|e| e.key == a.key) {
            out.push(place(stored_zero(&a.key, &a.field), entry, true));
        }
    }
    if let Some(file) = custom_variant {
        out.push(
            Diagnostic::warning("W1013", "2.1 never reads custom_engine_variant.json: it ships one, but no code opens it")
                .at(Location::file(&file.path))
                .with_hint("2.1's engine image is ENGINE_VARIANT (an image reference) and its engine options are the engine_config category of its settings store (dashboard Settings > Engine configuration); parameters other than the download/upload limits, cache type and live buffer have no equivalent"),
        );
    }
    out
}

fn key_diagnostic(entry: &Entry, unstorable: &[Unstorable]) -> Diagnostic {
    let key = entry.key.as_str();
    let Some(row) = keys::lookup(key) else {
        return place(
            Diagnostic::warning("W1008", format!("2.1 does not read {key}"))
                .with_hint("no code of 2.1 reads it, nor does its documentation name it; remove it, or look for a misspelling"),
            entry,
            false,
        );
    };
    if let Some(problem) = unstorable.iter().find(|u| u.key == key) {
        let field = match row.fate {
            Fate::Stored(field) => field.path(),
            _ => "its field in the settings store".to_owned(),
        };
        return place(
            Diagnostic::error("E1011", format!("{key}={} cannot go into 2.1's settings store as meant: {}", entry.quoted_value(), problem.message))
                .with_hint(format!("2.1 takes {key} from {field}; give it a value the store keeps (`acegen settings --orchestrator 2.1` refuses until then)")),
            entry,
            true,
        );
    }
    if let Some(problem) = misread(&row, entry) {
        return place(
            Diagnostic::error(
                "E1010",
                format!("2.1 misreads {key}={}: {problem}", entry.quoted_value()),
            )
            .with_hint(row.why),
            entry,
            true,
        );
    }
    place(fate_diagnostic(key, &row), entry, false)
}

fn fate_diagnostic(key: &str, row: &Row) -> Diagnostic {
    match row.fate {
        Fate::ReadAsBefore => Diagnostic::note("N1001", format!("2.1 reads {key} from its environment, as before")).with_hint(row.why),
        Fate::Stored(field) => Diagnostic::warning(
            "W1002",
            format!("2.1 ignores {key} in .env: its settings store's {} ({}) is applied over it at every start", field.path(), field.json.name()),
        )
        .with_hint(format!(
            "set it in 2.1's dashboard ({}) or apply `acegen settings --orchestrator 2.1` with POST /api/v1/settings (docs/orchestrator.md#migrating-to-21); {}",
            field.category.dashboard(),
            row.why
        )),
        Fate::Removed { replacement } => {
            let message = if row.key.is_empty() {
                // Gluetun's own settings, which have no row of their own.
                format!("2.1 passes no .env setting to its Gluetun containers: {key} has no effect")
            } else {
                format!("2.1 has no {key}")
            };
            Diagnostic::warning("W1003", message).with_hint(match replacement {
                Some(r) => format!("instead: {r} ({})", row.why),
                None => format!("no replacement ({})", row.why),
            })
        }
        Fate::ReadDifferently { how } => Diagnostic::warning("W1004", format!("2.1 reads {key} differently: {how}")),
        Fate::DocumentedNeverRead { replacement } => {
            let message = format!("2.1 never reads {key}, although its docs/CONFIG.md documents it");
            let hint = replacement.map_or_else(|| "no code of 2.1 reads it: remove it".to_owned(), |r| format!("the setting that counts: {r}"));
            Diagnostic::warning("W1005", message).with_hint(hint)
        }
        Fate::ReadUnused => {
            Diagnostic::warning("W1006", format!("2.1 reads {key} but nothing uses it")).with_hint(format!("{}: remove it", row.why))
        }
        Fate::AcegenOnly { with_2_1 } => {
            Diagnostic::note("N1007", format!("{key} is acegen's own key, which 2.1 does not read")).with_hint(with_2_1)
        }
    }
}

fn stored_zero(key: &str, field: &Field) -> Diagnostic {
    Diagnostic::warning(
        "W1012",
        format!("a {} of 0 from {key} lasts only until 2.1 restarts: when it loads the store it keeps its default {} instead of a stored 0", field.path(), field.default),
    )
    .with_hint("persistence/settings.go loadCache skips a stored 0 where the default is positive; use 1 or more")
}

/// Points the diagnostic at the value (or the key), saying `(--set)` for a command-line value.
fn place(diagnostic: Diagnostic, entry: &Entry, at_value: bool) -> Diagnostic {
    let location = if at_value {
        &entry.value_at
    } else {
        &entry.key_at
    };
    match location {
        Some(location) => diagnostic.at(location.clone()),
        None if entry.from_set => Diagnostic {
            message: format!("{} (--set)", diagnostic.message),
            ..diagnostic
        },
        None => diagnostic,
    }
}

/// Says how 2.1 misreads the value of a key it reads and uses, or `None`.
/// Unused and stored keys are not judged here: their text changes nothing.
fn misread(row: &Row, entry: &Entry) -> Option<String> {
    if !matches!(row.fate, Fate::ReadAsBefore | Fate::ReadDifferently { .. }) {
        return None;
    }
    let text = entry.value.as_str();
    if text.is_empty() {
        return None; // every env helper treats "" as unset: the default.
    }
    let default = "so it uses its default instead";
    match row.parse {
        Parse::Int => match goparse::atoi(text) {
            None => Some(format!("strconv.Atoi refuses it, {default}")),
            Some(n) if row.key == "BUFFER_CHUNK_SIZE" && n < 188 => {
                Some("it rounds the size down to a multiple of 188 bytes, which gives 0".to_owned())
            }
            Some(_) => None,
        },
        Parse::Float => goparse::parse_float(text).is_none().then(|| format!("strconv.ParseFloat refuses it, {default}")),
        Parse::Bool => goparse::parse_bool(text).is_none().then(|| {
            format!("strconv.ParseBool takes only 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False, {default}")
        }),
        Parse::Duration => match goparse::parse_env_duration(text) {
            None => Some(format!("it is neither a Go duration (`500ms`, `30s`, `2m`) nor a whole number of seconds, {default}")),
            Some(Duration::BareSeconds(n)) if keys::says_milliseconds(row.key) => Some(format!(
                "a bare number is seconds to 2.1 (envDur), so this is {n} s, not {n} ms: write `{n}ms`"
            )),
            Some(_) => None,
        },
        Parse::Range => match goparse::parse_range(text) {
            (_, false) => Some("parseRange needs `LOW-HIGH` in digits; it reads something else".to_owned()),
            ((lo, hi), true) if lo < 1 || lo > hi || hi > 65535 => {
                Some(format!("{lo}-{hi} holds no usable port, so allocating an engine's port fails"))
            }
            _ => None,
        },
        Parse::VpnRange => {
            (!goparse::vpn_range_is_kept(text)).then(|| "newPortAllocator keeps a range only when 0 < LOW <= HIGH, so it ignores this one".to_owned())
        }
        Parse::Memory => goparse::parse_memory(text)
            .is_none()
            .then(|| "parseMemory takes digits with an optional k, m or g (no `b`, no fraction); on anything else the engines get no memory limit".to_owned()),
        Parse::Image => image_problem(text.trim()),
        Parse::Text | Parse::Secret | Parse::List | Parse::NotRead => None,
    }
}

/// ENGINE_VARIANT: a 1.x variant name, or a name Docker cannot pull.
fn image_problem(text: &str) -> Option<String> {
    const VARIANTS: &[&str] = &[
        "krinkuto11-amd64",
        "jopsis-amd64",
        "jopsis-arm32",
        "jopsis-arm64",
        "AceServe-amd64",
        "AceServe-arm32",
        "AceServe-arm64",
    ];
    if VARIANTS.iter().any(|v| v.eq_ignore_ascii_case(text)) {
        return Some("it is a 1.x variant name, but 2.1 pulls it as an image (from Docker Hub), which fails: remove ENGINE_VARIANT to get 2.1's default engine image".to_owned());
    }
    let name = text.split(['@']).next().unwrap_or(text);
    let repository = match name.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => name,
    };
    (repository
        .chars()
        .any(|c| c.is_ascii_uppercase() || c.is_whitespace()))
    .then(|| {
        "it is not an image reference Docker can pull (upper case or spaces in the name)".to_owned()
    })
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
