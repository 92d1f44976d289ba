//! The value types settings are typed as: port ranges, engine variants, the
//! VPN mode and docker memory sizes.

use std::fmt;

/// An inclusive range of ports, `start-end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    pub fn len(&self) -> usize {
        usize::from(self.end - self.start) + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn contains(&self, port: u16) -> bool {
        (self.start..=self.end).contains(&port)
    }

    pub fn overlaps(&self, other: &PortRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    pub fn ports(&self) -> impl Iterator<Item = u16> {
        self.start..=self.end
    }

    /// Splits into two halves; the first takes the extra port of an odd range,
    /// since engine 1 (and so VPN 1) always exists.
    pub fn halves(&self) -> (PortRange, Option<PortRange>) {
        let first_len = self.len().div_ceil(2);
        let first_end = self.start + (first_len as u16 - 1);
        let first = PortRange {
            start: self.start,
            end: first_end,
        };
        let second = (first_end < self.end).then(|| PortRange {
            start: first_end + 1,
            end: self.end,
        });
        (first, second)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineVariant {
    Krinkuto11Amd64,
    JopsisAmd64,
    JopsisArm32,
    JopsisArm64,
}

impl EngineVariant {
    pub const ALL: [EngineVariant; 4] = [
        EngineVariant::Krinkuto11Amd64,
        EngineVariant::JopsisAmd64,
        EngineVariant::JopsisArm32,
        EngineVariant::JopsisArm64,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EngineVariant::Krinkuto11Amd64 => "krinkuto11-amd64",
            EngineVariant::JopsisAmd64 => "jopsis-amd64",
            EngineVariant::JopsisArm32 => "jopsis-arm32",
            EngineVariant::JopsisArm64 => "jopsis-arm64",
        }
    }

    pub(super) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VpnMode {
    Single,
    Redundant,
}

/// Text that is not a memory size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAMemorySize;

/// A docker memory size as the user wrote it, e.g. `512m`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemorySize {
    pub text: String,
    pub bytes: u64,
}

impl MemorySize {
    /// Parses digits with an optional b/k/m/g suffix (any case).
    /// `Ok(None)` for `0` or empty, which mean "no limit".
    pub fn parse(text: &str) -> Result<Option<MemorySize>, NotAMemorySize> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (digits, unit) = match text.char_indices().last() {
            Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], Some(c.to_ascii_lowercase())),
            _ => (text, None),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NotAMemorySize);
        }
        let multiplier: u64 = match unit {
            None | Some('b') => 1,
            Some('k') => 1 << 10,
            Some('m') => 1 << 20,
            Some('g') => 1 << 30,
            Some(_) => return Err(NotAMemorySize),
        };
        let number: u64 = digits.parse().map_err(|_| NotAMemorySize)?;
        let bytes = number.checked_mul(multiplier).ok_or(NotAMemorySize)?;
        if bytes == 0 {
            return Ok(None);
        }
        Ok(Some(MemorySize {
            text: text.to_owned(),
            bytes,
        }))
    }
}
