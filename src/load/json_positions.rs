//! Finds where each value of a JSON document starts, keyed by JSON Pointer,
//! so that schema errors (which name a pointer) can name a line and column.
//!
//! serde_json keeps no positions for values, so this walks the text once.
//! It assumes the text already parsed as JSON; on anything unexpected it
//! stops and keeps what it found so far.

use crate::diagnostic::Position;
use std::collections::HashMap;

/// Start position and length (in characters, first line only) of every
/// value, and its byte range in the text.
#[derive(Debug, Clone, Default)]
pub struct JsonPositions {
    by_pointer: HashMap<String, Found>,
}

#[derive(Debug, Clone, Copy)]
struct Found {
    position: Position,
    length: usize,
    bytes: (usize, usize),
}

impl JsonPositions {
    pub fn scan(text: &str) -> Self {
        let mut scanner = Scanner {
            text,
            bytes: text.as_bytes(),
            at: 0,
            found: HashMap::new(),
        };
        scanner.skip_whitespace();
        let _ = scanner.value(String::new());
        // Positions in one pass over the text, in the order of the values'
        // starts: finding each from the start of the text would take time
        // quadratic in the size of the file (issue 16: 16k parameters, 55 s).
        let mut found: Vec<(String, (usize, usize))> = scanner.found.into_iter().collect();
        found.sort_unstable_by_key(|(_, (start, _))| *start);
        let mut cursor = Cursor::default();
        let by_pointer = found
            .into_iter()
            .map(|(pointer, (start, end))| {
                let position = cursor.advance_to(text, start);
                let token = &text[start..end];
                let first_line = token.split(['\n', '\r']).next().unwrap_or("");
                let length = first_line.chars().count();
                let bytes = (start, end);
                (
                    pointer,
                    Found {
                        position,
                        length,
                        bytes,
                    },
                )
            })
            .collect();
        Self { by_pointer }
    }

    /// The source text of the value at `pointer` (exactly there, no parent).
    pub fn token<'t>(&self, text: &'t str, pointer: &str) -> Option<&'t str> {
        let (start, end) = self.by_pointer.get(pointer)?.bytes;
        text.get(start..end)
    }

    /// The value at `pointer`, or the nearest enclosing value that exists
    /// (a missing property is reported at the object that lacks it).
    pub fn find(&self, pointer: &str) -> Option<(Position, usize)> {
        let mut pointer = pointer;
        loop {
            if let Some(found) = self.by_pointer.get(pointer) {
                return Some((found.position, found.length));
            }
            let cut = pointer.rfind('/')?;
            pointer = &pointer[..cut];
        }
    }
}

/// Walks forward through a text, keeping the line and column of its offset.
#[derive(Default)]
struct Cursor {
    offset: usize,
    line: u32,
    column: u32,
}

impl Cursor {
    /// The position of `offset`, which is not before the previous one.
    fn advance_to(&mut self, text: &str, offset: usize) -> Position {
        if self.line == 0 {
            (self.line, self.column) = (1, 1);
        }
        for c in text[self.offset..offset].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = offset;
        Position::new(self.line, self.column)
    }
}

/// Escapes a key as a JSON Pointer reference token (RFC 6901).
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    found: HashMap<String, (usize, usize)>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self, pointer: String) -> Option<()> {
        let start = self.at;
        match self.peek()? {
            b'{' => self.object(&pointer)?,
            b'[' => self.array(&pointer)?,
            b'"' => {
                self.string()?;
            }
            _ => self.scalar(),
        }
        self.found.insert(pointer, (start, self.at));
        Some(())
    }

    fn object(&mut self, pointer: &str) -> Option<()> {
        self.at += 1;
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                b',' => self.at += 1,
                b'"' => {
                    let key = self.string()?;
                    self.skip_whitespace();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    self.skip_whitespace();
                    self.value(format!("{pointer}/{}", pointer_token(&key)))?;
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, pointer: &str) -> Option<()> {
        self.at += 1;
        let mut index = 0usize;
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                b',' => self.at += 1,
                _ => {
                    self.value(format!("{pointer}/{index}"))?;
                    index += 1;
                }
            }
        }
    }

    /// Reads a string token and returns its decoded text (keys need it).
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
        serde_json::from_str(&self.text[start..self.at]).ok()
    }

    fn scalar(&mut self) {
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"enabled\": true,\n  \"parameters\": [\n    {\"name\": \"--port\", \"value\": 8621},\n    {\"name\": \"a/b~\"}\n  ],\n  \"é\": \"x\"\n}";

    #[test]
    fn finds_nested_values_by_pointer() {
        let p = JsonPositions::scan(DOC);
        assert_eq!(p.find("/enabled"), Some((Position::new(2, 14), 4)));
        assert_eq!(
            p.find("/parameters/0/value"),
            Some((Position::new(4, 33), 4))
        );
        assert_eq!(
            p.find("/parameters/0/name"),
            Some((Position::new(4, 14), 8))
        );
        assert_eq!(p.find("/é"), Some((Position::new(7, 8), 3)));
        assert_eq!(p.find(""), Some((Position::new(1, 1), 1)));
    }

    #[test]
    fn a_missing_member_falls_back_to_its_parent() {
        let p = JsonPositions::scan(DOC);
        assert_eq!(p.find("/parameters/1/type"), p.find("/parameters/1"));
        assert_eq!(p.find("/parameters/1").unwrap().0, Position::new(5, 5));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let p = JsonPositions::scan("{\"é\": 1, \"b\": 2}");
        assert_eq!(p.find("/b"), Some((Position::new(1, 15), 1)));
    }
}
