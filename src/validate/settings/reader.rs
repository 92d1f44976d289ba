//! Typed reading of one key: the schema and a parser judge its text, and a
//! bad value is recorded as an error (with the default standing in).

use super::error::{SettingError, NOT_SHOWN};
use super::model::{Origin, RawSetting, Sourced};
use super::schema::expected_for;
use crate::keys;
use std::collections::{BTreeMap, BTreeSet};

/// Typed reading of one key, recording an error when the text does not fit.
pub(super) struct Reader<'a> {
    pub(super) raw: &'a BTreeMap<&'static str, RawSetting>,
    /// Keys whose text the env schema refused.
    pub(super) refused: BTreeSet<&'static str>,
    pub(super) errors: Vec<SettingError>,
}

impl Reader<'_> {
    fn text(&self, key: &'static str) -> (Option<&str>, &Origin) {
        let raw = &self.raw[key];
        (raw.text.as_deref().map(str::trim), &raw.origin)
    }

    /// The value as an error message may quote it.
    fn found(&self, key: &'static str, text: &str) -> String {
        if self.raw[key].secret {
            NOT_SHOWN.to_owned()
        } else {
            text.to_owned()
        }
    }

    /// Reads an optional key: unset or empty gives `None`.
    pub(super) fn optional<T>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Sourced<T>> {
        let (text, origin) = self.text(key);
        let text = text.filter(|t| !t.is_empty())?;
        // The schema judges the form; `parse` what a schema cannot say
        // (start <= end of a range, a number that overflows, an IP address).
        let parsed = if self.refused.contains(key) {
            None
        } else {
            parse(text)
        };
        match parsed {
            Some(value) => Some(Sourced {
                value,
                origin: origin.clone(),
            }),
            None => {
                let error = SettingError::InvalidValue {
                    key,
                    found: self.found(key, text),
                    expected: expected_for(key).to_owned(),
                    origin: origin.clone(),
                };
                self.errors.push(error);
                None
            }
        }
    }

    /// Reads a key that has a default: a bad value is reported and the
    /// default stands in, so that later checks still run.
    pub(super) fn required<T>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Sourced<T> {
        if let Some(value) = self.optional(key, &parse) {
            return value;
        }
        let (text, origin) = self.text(key);
        if text == Some("") && *origin != Origin::Default {
            self.errors.push(SettingError::InvalidValue {
                key,
                found: String::new(),
                expected: expected_for(key).to_owned(),
                origin: origin.clone(),
            });
        }
        let default = keys::spec(key).and_then(|s| s.default).unwrap_or_default();
        Sourced {
            value: parse(default).expect("defaults in the key table are valid"),
            origin: Origin::Default,
        }
    }
}
