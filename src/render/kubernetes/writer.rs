//! The manifests' text, written directly from the objects in block style
//! by a `serde::Serializer`: no intermediate value is built, so the cost is
//! one pass over the object. Every string is double-quoted
//! (`render::yaml`), so that no reader, YAML 1.1 or 1.2, can take one for a
//! boolean, a number, a date or a null; keys are plain only where both read
//! them as the same string. Fields come in declaration order (serde's), as
//! `kubectl` users expect to read them. The property tests below prove that
//! the text reads back as exactly the value that was written.

use crate::render::yaml::{is_yaml_keyword, quote_into};
use serde::ser::{self, Impossible, Serialize};
use std::fmt::{self, Write};

/// Why an object could not be written: a shape a manifest never has.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// `value` (a mapping at the top) as a block YAML document, appended to `out`.
pub fn write_document<T: Serialize + ?Sized>(out: &mut String, value: &T) -> Result<(), Error> {
    value.serialize(ValueWriter {
        out,
        slot: Slot::Document,
    })
}

#[cfg(test)]
fn document<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::new();
    write_document(&mut out, value)?;
    Ok(out)
}

/// Where the next value is written, which decides what comes before and
/// after it.
#[derive(Clone, Copy)]
enum Slot {
    /// The whole document.
    Document,
    /// A mapping key: a scalar only, plain where YAML reads it back as itself.
    Key,
    /// After `key:` at this indentation.
    AfterKey(usize),
    /// After the `-` of a sequence item at this indentation.
    AfterDash(usize),
}

fn indent(out: &mut String, width: usize) {
    const SPACES: &str = "                                ";
    let mut left = width;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

/// As `render::yaml::key`, and a `/` (label keys' prefix, `app.kubernetes.io/name`)
/// keeps a key plain too: it means nothing to YAML inside a plain scalar.
/// A table, and the `/` looked for only in keys that can be plain: this
/// runs for every key of every object.
fn plain_or_quoted_key(out: &mut String, text: &str) {
    let plain = text
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && text.bytes().all(|b| PLAIN_KEY[usize::from(b)]);
    // Words YAML reads as booleans or null have no `/`.
    if plain && (text.contains('/') || !is_yaml_keyword(text)) {
        out.push_str(text);
    } else {
        quote_into(out, text);
    }
}

/// The bytes a plain key may hold: letters, digits, `_`, `.`, `-`, `/`.
const PLAIN_KEY: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-' | b'/');
        b += 1;
    }
    table
};

struct ValueWriter<'a> {
    out: &'a mut String,
    slot: Slot,
}

impl<'a> ValueWriter<'a> {
    /// A scalar whose text `write` appends, framed for its slot.
    fn scalar(self, write: impl FnOnce(&mut String)) -> Result<(), Error> {
        match self.slot {
            Slot::Key => {
                write(self.out);
                return Ok(());
            }
            Slot::Document => {}
            Slot::AfterKey(_) | Slot::AfterDash(_) => self.out.push(' '),
        }
        write(self.out);
        self.out.push('\n');
        Ok(())
    }

    fn display(self, value: impl fmt::Display) -> Result<(), Error> {
        self.scalar(|out| {
            let _ = write!(out, "{value}");
        })
    }

    fn block(self, kind: Kind) -> Result<Block<'a>, Error> {
        if let Slot::Key = self.slot {
            return Err(Error("a mapping key must be a scalar".to_owned()));
        }
        Ok(Block {
            out: self.out,
            slot: self.slot,
            kind,
            entries: 0,
            width: 0,
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Mapping,
    Sequence,
}

/// A mapping or sequence being written. Nothing is written until the first
/// entry, so that an empty one can still be written `{}` or `[]`.
struct Block<'a> {
    out: &'a mut String,
    slot: Slot,
    kind: Kind,
    entries: usize,
    /// The indentation of the entries, once the first has opened the block.
    width: usize,
}

impl Block<'_> {
    /// Starts the next entry: the line break and indentation before a key
    /// or a `-`. The first entry of a mapping in a sequence item continues
    /// the line its `-` began.
    fn start_entry(&mut self) {
        let first = self.entries == 0;
        if first {
            self.width = match (self.kind, self.slot) {
                (_, Slot::Document | Slot::Key) => 0,
                (Kind::Mapping, Slot::AfterKey(width)) => {
                    self.out.push('\n');
                    width + 2
                }
                // A sequence under a key sits at the key's indentation, as kubectl prints it.
                (Kind::Sequence, Slot::AfterKey(width)) => {
                    self.out.push('\n');
                    width
                }
                (Kind::Mapping, Slot::AfterDash(width)) => {
                    self.out.push(' ');
                    width + 2
                }
                (Kind::Sequence, Slot::AfterDash(width)) => {
                    self.out.push('\n');
                    width + 2
                }
            };
        }
        self.entries += 1;
        let inline = first && self.kind == Kind::Mapping && matches!(self.slot, Slot::AfterDash(_));
        if !inline {
            indent(self.out, self.width);
        }
        if self.kind == Kind::Sequence {
            self.out.push('-');
        }
    }

    fn key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Error> {
        self.start_entry();
        key.serialize(ValueWriter {
            out: self.out,
            slot: Slot::Key,
        })?;
        self.out.push(':');
        Ok(())
    }

    fn value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Error> {
        let slot = match self.kind {
            Kind::Mapping => Slot::AfterKey(self.width),
            Kind::Sequence => Slot::AfterDash(self.width),
        };
        value.serialize(ValueWriter {
            out: self.out,
            slot,
        })
    }

    fn item<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Error> {
        self.start_entry();
        self.value(value)
    }

    fn end(self) -> Result<(), Error> {
        if self.entries == 0 {
            let empty = match self.kind {
                Kind::Mapping => "{}",
                Kind::Sequence => "[]",
            };
            if !matches!(self.slot, Slot::Document) {
                self.out.push(' ');
            }
            self.out.push_str(empty);
            self.out.push('\n');
        }
        Ok(())
    }
}

fn unsupported(what: &str) -> Error {
    Error(format!("a manifest holds no {what}"))
}

impl<'a> ser::Serializer for ValueWriter<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Block<'a>;
    type SerializeTuple = Block<'a>;
    type SerializeTupleStruct = Block<'a>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Block<'a>;
    type SerializeStruct = Block<'a>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.scalar(|out| out.push_str(if v { "true" } else { "false" }))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.display(v)
    }
    // YAML's own spellings of infinity and not-a-number (`.inf`, `.nan`).
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.display(serde_yaml::Number::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.display(serde_yaml::Number::from(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        if let Slot::Key = self.slot {
            plain_or_quoted_key(self.out, v);
            return Ok(());
        }
        self.scalar(|out| quote_into(out, v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut block = self.block(Kind::Sequence)?;
        for byte in v {
            block.item(byte)?;
        }
        block.end()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.scalar(|out| out.push_str("null"))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut block = self.block(Kind::Mapping)?;
        block.key(variant)?;
        block.value(value)?;
        block.end()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Block<'a>, Error> {
        self.block(Kind::Sequence)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Block<'a>, Error> {
        self.block(Kind::Sequence)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Block<'a>, Error> {
        self.block(Kind::Sequence)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported("tuple variant"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Block<'a>, Error> {
        self.block(Kind::Mapping)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Block<'a>, Error> {
        self.block(Kind::Mapping)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported("struct variant"))
    }
}

/// Sequences, tuples and tuple structs are all written as block sequences.
macro_rules! sequence_of_items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Block<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.item(value)
            }
            fn end(self) -> Result<(), Error> {
                Block::end(self)
            }
        }
    )*};
}

sequence_of_items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl ser::SerializeMap for Block<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        Block::end(self)
    }
}

impl ser::SerializeStruct for Block<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        Block::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::document;
    use proptest::prelude::*;
    use serde_yaml::Value;

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u32>().prop_map(|n| Value::Number(n.into())),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            any::<String>().prop_map(Value::String),
            "(yes|No|ON|off|y|N|~|null|1_000|0x_1F|0o17|0b101|\\.inf|\\.NaN|1:20|2001-12-14|=|<<|-|\\? x|a: b|#c)"
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
                prop::collection::vec(("[A-Za-z0-9_.=/ -]{1,8}", inner), 0..4).prop_map(
                    |entries| {
                        Value::Mapping(
                            entries
                                .into_iter()
                                .map(|(k, v)| (Value::String(k), v))
                                .collect(),
                        )
                    }
                ),
            ]
        })
    }

    proptest! {
        /// Whatever the object holds, its text reads back as that object.
        #[test]
        fn every_value_reads_back_as_written(entries in prop::collection::vec(("[a-zA-Z0-9_.-]{1,8}", any_value()), 1..5)) {
            let value = Value::Mapping(entries.into_iter().map(|(k, v)| (Value::String(k), v)).collect());
            let text = document(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: Value = serde_yaml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(back, value, "{}", text);
        }
    }

    #[test]
    fn sequences_sit_at_their_keys_indentation_and_every_string_is_quoted() {
        let value: Value =
            serde_yaml::from_str("a:\n  b:\n  - name: yes\n    port: 80\n  - []\n  c: {}\n")
                .unwrap();
        assert_eq!(
            document(&value).unwrap(),
            "a:\n  b:\n  - name: \"yes\"\n    port: 80\n  - []\n  c: {}\n"
        );
    }
}
