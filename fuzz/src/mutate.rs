//! A small seeded mutator for the stable smoke harness: the same seed gives
//! the same inputs on every machine, so a failure found in CI replays. It
//! mutates valid `.env` and custom variant texts the way the binary fuzzer
//! (`scripts/fuzz-binary.py`) does: whole lines, single characters, and
//! tokens that have broken parsers before (quotes, `${`, escapes, huge or
//! fractional numbers, separators compose reads specially, long runs).

/// xorshift64*: enough randomness for mutation, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens worth inserting anywhere.
pub const TOKENS: &[&str] = &[
    "$",
    "$$",
    "${",
    "}",
    "${A}",
    "${A:-x}",
    "${A:?boom}",
    "\"",
    "'",
    "\\",
    "\\n",
    "#",
    " #",
    "=",
    "\n",
    "\r\n",
    "\t",
    " ",
    ":",
    ",",
    "[",
    "]",
    "{",
    "}",
    "-",
    ".",
    "*",
    "&a",
    "!!str",
    "\u{1b}[2J",
    "\u{202e}",
    "\u{85}",
    "\u{2028}",
    "é",
    "日本",
    "0",
    "-1",
    "65535",
    "65536",
    "4294967296",
    "18446744073709551615",
    "1e20",
    "10.0",
    "NaN",
    "true",
    "null",
    "~",
    "export ",
    "include: [x.yml]",
    "\u{feff}",
];

/// Values worth giving a key.
const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "3",
    "100",
    "-5",
    "1.5",
    "abc",
    "true",
    "19000-19999",
    "40000-40010",
    "127.0.0.1",
    "::1",
    "a=b",
    "a$b=c",
    "x.y=z",
    "jopsis-amd64",
    "jopsis-arm32",
    "krinkuto11-amd64",
    "single",
    "redundant",
    "gluetun",
    "\"quoted value\"",
    "'single'",
    "${MIN_REPLICAS}",
    "2g",
    "384m",
];

/// One to four mutations of a `.env` text.
pub fn mutate_env(seed_text: &str, rng: &mut Rng, keys: &[&str]) -> String {
    let mut text = seed_text.to_owned();
    for _ in 0..1 + rng.below(4) {
        text = match rng.below(6) {
            0 => with_assignment(&text, rng, keys),
            1 => with_token(&text, rng),
            2 => with_lines_shuffled(&text, rng),
            3 => with_character_removed(&text, rng),
            4 => with_line_repeated(&text, rng),
            _ => with_long_run(&text, rng),
        };
    }
    text
}

/// One to four mutations of a custom variant (JSON) text.
pub fn mutate_json(seed_text: &str, rng: &mut Rng) -> String {
    const JSON_TOKENS: &[&str] = &[
        "10.0",
        "1e2",
        "1e20",
        "-0",
        "18446744073709551615",
        "null",
        "true",
        "\"\"",
        "[]",
        "{}",
        "\"\\u0000\"",
        "\"a\\nb\"",
        "\"$x\"",
        ",",
        "]",
        "}",
        "[[[[",
        "\"amd64\"",
        "\"arm32\"",
    ];
    let mut text = seed_text.to_owned();
    for _ in 0..1 + rng.below(4) {
        text = match rng.below(3) {
            0 => replace_json_scalar(&text, rng, JSON_TOKENS),
            1 => with_token(&text, rng),
            _ => with_character_removed(&text, rng),
        };
    }
    text
}

fn char_boundary(text: &str, rng: &mut Rng) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn with_assignment(text: &str, rng: &mut Rng, keys: &[&str]) -> String {
    let key = rng.pick(keys);
    let value = if rng.below(3) == 0 {
        rng.pick(TOKENS).to_string()
    } else {
        rng.pick(VALUES).to_string()
    };
    let suffix = if rng.below(4) == 0 { "_2" } else { "" };
    format!("{text}{key}{suffix}={value}\n")
}

fn with_token(text: &str, rng: &mut Rng) -> String {
    let at = char_boundary(text, rng);
    format!("{}{}{}", &text[..at], rng.pick(TOKENS), &text[at..])
}

fn with_character_removed(text: &str, rng: &mut Rng) -> String {
    let at = char_boundary(text, rng);
    let mut out = text.to_owned();
    if at < out.len() {
        out.remove(at);
    }
    out
}

fn with_lines_shuffled(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.len() > 1 {
        let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
        lines.swap(a, b);
    }
    lines.join("\n") + "\n"
}

fn with_line_repeated(text: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return text.to_owned();
    }
    let line = rng.pick(&lines);
    format!("{text}{}\n", line.repeat(1 + rng.below(3)))
}

fn with_long_run(text: &str, rng: &mut Rng) -> String {
    let at = char_boundary(text, rng);
    let run = rng
        .pick(&["a", "9", "$", "{", "${A:-", "\\", " "])
        .repeat(1 + rng.below(2000));
    format!("{}{run}{}", &text[..at], &text[at..])
}

/// Replaces one JSON number, string, `true`/`false`/`null` with a token.
fn replace_json_scalar(text: &str, rng: &mut Rng, tokens: &[&str]) -> String {
    let mut starts = Vec::new();
    let mut before = None;
    for (i, c) in text.char_indices() {
        let scalar_start = c.is_ascii_digit() || matches!(c, '"' | 't' | 'f' | 'n' | '-');
        if scalar_start && matches!(before, Some(':' | '[' | ',')) {
            starts.push(i);
        }
        if !c.is_whitespace() {
            before = Some(c);
        }
    }
    if starts.is_empty() {
        return text.to_owned();
    }
    let start = *rng.pick(&starts);
    let rest = &text[start..];
    let len = if let Some(inner) = rest.strip_prefix('"') {
        inner.find('"').map_or(rest.len(), |i| i + 2)
    } else {
        rest.find([',', '}', ']', '\n']).unwrap_or(rest.len())
    };
    format!(
        "{}{}{}",
        &text[..start],
        rng.pick(tokens),
        &text[start + len..]
    )
}
