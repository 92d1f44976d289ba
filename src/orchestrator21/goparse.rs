//! How 2.1 reads an environment value, as its Go code does
//! (`internal/config/config.go`: `envInt`, `envFloat`, `envBool`, `envDur`,
//! `parseRange`; `internal/controlplane/engine/ports.go`: the per-VPN ranges;
//! `internal/controlplane/engine/provisioner.go`: `parseMemory`). Each of
//! them falls back to the default, silently, on a value it cannot parse:
//! these functions say what the value becomes, so that acegen can say so.

/// `strconv.Atoi`: optional sign, ASCII digits, nothing else (no spaces).
pub fn atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms people write
/// (`1.5`, `.5`, `2`, `1e3`, `-0.25`, `1_000`: Go takes `_` between
/// digits); `inf`/`nan` and hexadecimal floats are refused here although
/// Go takes them, as no setting means them.
pub fn parse_float(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let underscores_between_digits = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_'
            || (i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    });
    let ok = !text.is_empty()
        && underscores_between_digits
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'));
    ok.then(|| text.replace('_', "").parse::<f64>().ok())
        .flatten()
        .filter(|f| f.is_finite())
}

/// `fmt.Sscanf(text, "%d", &n)`: spaces skipped, then a sign and the
/// digits that follow; the rest is ignored, and no digit at all leaves 0.
fn sscanf_int(text: &str) -> i64 {
    let text = text.trim_start();
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    rest[..digits].parse::<i64>().map_or(0, |n| sign * n)
}

/// `strconv.ParseBool`: exactly these spellings.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// How `envDur` read a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Duration {
    /// `time.ParseDuration` took it (`500ms`, `1m30s`, `0`): seconds.
    WithUnit(f64),
    /// A bare integer: `envDur` multiplies it by one second.
    BareSeconds(i64),
}

impl Duration {
    pub fn seconds(self) -> f64 {
        match self {
            Duration::WithUnit(s) => s,
            Duration::BareSeconds(n) => n as f64,
        }
    }
}

/// `envDur`: `time.ParseDuration`, else `strconv.Atoi` in seconds, else `None`
/// (the default is used). A bare `1.5` is neither.
pub fn parse_env_duration(text: &str) -> Option<Duration> {
    if let Some(seconds) = go_parse_duration(text) {
        return Some(Duration::WithUnit(seconds));
    }
    atoi(text).map(Duration::BareSeconds)
}

/// `time.ParseDuration`: `[-+]?` then one or more `number unit`, or the bare `0`.
pub fn go_parse_duration(text: &str) -> Option<f64> {
    let (sign, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (-1.0, &text[1..]),
        Some(b'+') => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = if number.starts_with('.') {
            format!("0{number}").parse().ok()?
        } else {
            number.parse().ok()?
        };
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    Some(sign * total)
}

/// `parseRange` (config.go): split at the first `-`, `Atoi` each side with
/// errors ignored (0); no `-` at all gives 19000-19999. Returns what 2.1
/// uses, and whether that is what the text says.
pub fn parse_range(text: &str) -> ((i64, i64), bool) {
    match text.split_once('-') {
        None => ((19000, 19999), false),
        Some((low, high)) => {
            let (lo, hi) = (atoi(low), atoi(high));
            let faithful = lo.is_some() && hi.is_some();
            ((lo.unwrap_or(0), hi.unwrap_or(0)), faithful)
        }
    }
}

/// The per-VPN ranges (ports.go `newPortAllocator`): `Sscanf("%d")` each side
/// and kept only when `lo > 0 && hi >= lo`; otherwise ignored.
pub fn vpn_range_is_kept(text: &str) -> bool {
    let Some((low, high)) = text.split_once('-') else {
        return false;
    };
    let (lo, hi) = (sscanf_int(low), sscanf_int(high));
    lo > 0 && hi >= lo
}

/// `parseMemory` (provisioner.go): trimmed, upper-cased, an optional `G`,
/// `M` or `K` suffix, then `ParseInt`. On an error the engine gets no limit.
pub fn parse_memory(text: &str) -> Option<i64> {
    let upper = text.trim().to_ascii_uppercase();
    let (digits, scale) = match upper.chars().last() {
        Some('G') => (&upper[..upper.len() - 1], 1i64 << 30),
        Some('M') => (&upper[..upper.len() - 1], 1 << 20),
        Some('K') => (&upper[..upper.len() - 1], 1 << 10),
        _ => (upper.as_str(), 1),
    };
    atoi(digits)?.checked_mul(scale)
}

/// `envStrSlice`: split at commas, trimmed, empty parts dropped.
pub fn parse_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_env_dur_a_bare_number_is_seconds() {
        assert_eq!(parse_env_duration("500"), Some(Duration::BareSeconds(500)));
        assert_eq!(parse_env_duration("500ms"), Some(Duration::WithUnit(0.5)));
        assert_eq!(parse_env_duration("1m30s"), Some(Duration::WithUnit(90.0)));
        assert_eq!(parse_env_duration("0"), Some(Duration::WithUnit(0.0)));
        assert_eq!(parse_env_duration(".5s"), Some(Duration::WithUnit(0.5)));
        // Neither ParseDuration nor Atoi: the default is used.
        for bad in ["0.5", "1.5", "", "5 s", "5sec", "s", " 5"] {
            assert_eq!(parse_env_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn integers_booleans_and_floats_follow_strconv() {
        assert_eq!(atoi("+5"), Some(5));
        assert_eq!(atoi("007"), Some(7));
        assert_eq!(atoi(" 5"), None);
        assert_eq!(atoi("5.0"), None);
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_bool("tRue"), None);
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("1,5"), None);
        assert_eq!(parse_float("1_000"), Some(1000.0));
        assert_eq!(parse_float("1__0"), None);
        assert_eq!(parse_float("_1"), None);
    }

    #[test]
    fn ranges_and_memory_are_read_as_2_1_reads_them() {
        assert_eq!(parse_range("19000-19999"), ((19000, 19999), true));
        assert_eq!(parse_range("19000"), ((19000, 19999), false));
        assert_eq!(parse_range("19000 - 19999"), ((0, 0), false));
        assert!(vpn_range_is_kept("19000-19499"));
        assert!(!vpn_range_is_kept("19499-19000"));
        // Sscanf("%d") stops at the first non-digit.
        assert!(vpn_range_is_kept("19000abc-19500"));
        assert_eq!(parse_memory("512m"), Some(512 << 20));
        assert_eq!(parse_memory("2G"), Some(2 << 30));
        assert_eq!(parse_memory("512mb"), None);
        assert_eq!(parse_memory("1.5g"), None);
        assert_eq!(parse_list(" a, ,b "), vec!["a", "b"]);
    }
}
