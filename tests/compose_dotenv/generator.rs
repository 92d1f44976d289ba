//! Generates `.env` files from a small grammar with a fixed seed: keys
//! (plain, lower case, leading digit, non-ASCII, `.`/`-`/`[ ]`, now and then
//! one compose refuses), separators (`=`, ` = `, `:`, `export`), unquoted,
//! single- and double-quoted values with escapes, comments, every
//! interpolation form (nested too), CRLF files, a BOM, a last line without
//! line break, bare keys. Most files are valid; some are meant to be refused.

/// SplitMix64: small, deterministic, good enough to pick grammar branches.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Names values refer to; some are defined in the file, `NOPE` never is.
const NAMES: &[&str] = &["A", "B", "KEY_1", "lower", "NOPE", "_u"];

const ODD_KEYS: &[&str] = &[
    "1A",
    "\u{c4}B",
    "a[0]",
    "SERVER_COUNTRIES.nl",
    "X-Y",
    "\u{65e5}\u{672c}",
    "k.\u{e9}",
];

/// Keys compose refuses: a char it does not accept, or a space.
const BAD_KEYS: &[&str] = &["A$", "B/C", "K#", "A B", "\u{2003}X\u{2003}Y"];

const WORDS: &[&str] = &[
    "x",
    "value",
    "60",
    "a b",
    "it's",
    "\u{e9}t\u{e9}",
    "\u{65e5}\u{672c}\u{8a9e}",
    "\u{1f642}",
    "a=b",
    "c:d",
    "{x}",
    "}",
    "\\",
    "\\n",
    "#",
    "a#b",
    "x\"y",
];

fn reference(rng: &mut Rng, depth: usize) -> String {
    let name = rng.pick(NAMES);
    match rng.below(12) {
        0 => format!("${name}"),
        1 => format!("${{{name}}}"),
        2 | 3 => {
            let op = rng.pick(&[":-", "-", ":+", "+"]);
            let word = if depth < 3 && rng.chance(40) {
                reference(rng, depth + 1)
            } else {
                rng.pick(&["d", "", "{x}y", "a b", "$$", "x}"]).to_owned()
            };
            format!("${{{name}{op}{word}}}")
        }
        4 => format!("${{{name}:?need {name}}}"),
        5 => format!("${{{name}?m}}"),
        6 => "$$".to_owned(),
        7 => rng
            .pick(&["$", "$1", "$-", "${", "${}", "${A:x}", "${1a}"])
            .to_owned(),
        _ => format!("${{NOPE:-{}}}", rng.pick(&["${A}", "${B:-z}", "{x}", "w"])),
    }
}

fn unquoted_value(rng: &mut Rng) -> String {
    let mut value = String::new();
    for _ in 0..rng.below(4) {
        if rng.chance(35) {
            value.push_str(&reference(rng, 0));
        } else {
            value.push_str(rng.pick(WORDS));
        }
        if rng.chance(20) {
            value.push_str(rng.pick(&[" ", "\t", "  "]));
        }
    }
    value
}

fn single_quoted(rng: &mut Rng) -> String {
    let mut value = String::from("'");
    for _ in 0..rng.below(4) {
        value.push_str(rng.pick(&[
            "x", "a b", "\\'", "\\\\", "$A", "${B}", "#", "\"", "\\n", "\n", "\u{e9}",
        ]));
    }
    if !rng.chance(3) {
        value.push('\'');
    }
    value
}

fn double_quoted(rng: &mut Rng) -> String {
    let mut value = String::from("\"");
    for _ in 0..rng.below(5) {
        if rng.chance(30) {
            value.push_str(&reference(rng, 0));
        } else {
            value.push_str(rng.pick(&[
                "x", "a b", "\\n", "\\t", "\\r", "\\a", "\\b", "\\f", "\\v", "\\0101", "\\012",
                "\\0", "\\c", "\\x", "\\$", "\\\\", "\\\"", "'", "#", " # c", "\n", "\u{fc}",
                "\\0377",
            ]));
        }
    }
    if !rng.chance(3) {
        value.push('"');
    }
    value
}

fn key(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..=59 => rng.pick(NAMES).to_owned(),
        60..=69 => format!("K{}", rng.below(5)),
        70..=89 => rng.pick(ODD_KEYS).to_owned(),
        90..=95 => String::new(),
        _ => rng.pick(BAD_KEYS).to_owned(),
    }
}

fn line(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..=5 => return String::new(),
        6..=10 => return format!("{}# {}", rng.pick(&["", "  "]), rng.pick(WORDS)),
        11..=14 => return format!("{}{}", rng.pick(&["", "export "]), rng.pick(NAMES)),
        _ => {}
    }
    let prefix = rng.pick(&["", "", "", "export ", "export\t", "  "]);
    let key = key(rng);
    let separator = rng.pick(&["=", "=", "=", " = ", ":", ": ", "\t=\t", "=\u{a0}"]);
    let value = match rng.below(10) {
        0..=4 => unquoted_value(rng),
        5..=6 => single_quoted(rng),
        _ => double_quoted(rng),
    };
    let trailing = match rng.below(10) {
        0 => " # a comment",
        1 => "\t# tab comment",
        2 => " B=2",
        3 => "   ",
        _ => "",
    };
    format!("{prefix}{key}{separator}{value}{trailing}")
}

/// One generated file, as bytes.
pub fn file(rng: &mut Rng) -> Vec<u8> {
    let crlf = rng.chance(15);
    let mut text = String::new();
    if rng.chance(5) {
        text.push('\u{feff}');
    }
    let lines = 1 + rng.below(8);
    for i in 0..lines {
        text.push_str(&line(rng));
        let last = i + 1 == lines;
        if !last || !rng.chance(10) {
            text.push_str(if crlf { "\r\n" } else { "\n" });
        }
    }
    text.into_bytes()
}

/// `count` files from `seed`.
pub fn files(seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    (0..count).map(|_| file(&mut rng)).collect()
}
