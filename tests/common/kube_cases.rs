//! The configurations tests/kubernetes_api.rs runs against the API server:
//! the examples, and configurations drawn from a fixed seed (engine count,
//! VPN mode, variant, --expose, HTTPS, memory limit, labels, quoting of
//! values), each a folder with a `.env` whose values the case knows as
//! compose reads them.

use std::collections::BTreeMap;
use std::path::PathBuf;

pub struct Case {
    /// Names the case in failures and in its namespace (a DNS label).
    pub label: String,
    pub dir: PathBuf,
    /// acegen's flags for this case (`--expose`, `--secret-name`).
    pub args: Vec<String>,
    /// Every `.env` key with the value compose gives it.
    pub values: BTreeMap<String, String>,
    pub replicas: u32,
    pub max_replicas: u32,
    _folder: Option<tempfile::TempDir>,
}

fn setting(values: &BTreeMap<String, String>, key: &str) -> u32 {
    let default = acegen::keys::spec(key).and_then(|spec| spec.default);
    values
        .get(key)
        .map(String::as_str)
        .or(default)
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("{key} is a number"))
}

impl Case {
    /// An example folder: its `.env`, read as the examples write it (plain
    /// `KEY=value` lines, a value possibly in one pair of quotes), and its
    /// `acegen.args`, one flag or value per line.
    pub fn example(dir: PathBuf) -> Case {
        let env = std::fs::read_to_string(dir.join(".env")).unwrap();
        let values: BTreeMap<String, String> = env
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|line| {
                let (key, value) = line.split_once('=').expect("KEY=value");
                let unquoted = ['"', '\'']
                    .iter()
                    .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)));
                (key.to_owned(), unquoted.unwrap_or(value).to_owned())
            })
            .collect();
        let args = std::fs::read_to_string(dir.join("acegen.args"))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        Case {
            label: dir.file_name().unwrap().to_string_lossy().into_owned(),
            replicas: setting(&values, "MIN_REPLICAS"),
            max_replicas: setting(&values, "MAX_REPLICAS"),
            values,
            args,
            dir,
            _folder: None,
        }
    }
}

/// xorshift64*: the same configurations on every run and machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) % n
    }

    fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
        choices[self.below(choices.len() as u64) as usize]
    }

    fn chance(&mut self) -> bool {
        self.below(2) == 0
    }
}

/// `count` configurations drawn from `seed`; the first nine cover every
/// pair of VPN mode and `--expose`.
pub fn random_cases(seed: u64, count: usize) -> Vec<Case> {
    let mut rng = Rng(seed);
    (0..count).map(|i| random_case(i, &mut rng)).collect()
}

fn random_case(index: usize, rng: &mut Rng) -> Case {
    let mut env = Env::default();
    let replicas = 1 + rng.below(4) as u32;
    let max_replicas = replicas + rng.below(3) as u32;
    let variant = rng.pick(&[
        "krinkuto11-amd64",
        "jopsis-amd64",
        "jopsis-arm32",
        "jopsis-arm64",
    ]);
    let vpn = ["none", "single", "redundant"][index % 3];
    let expose = ["cluster", "hostport", "loadbalancer"][index / 3 % 3];
    env.set(rng, "ENGINE_VARIANT", variant);
    env.set(rng, "MIN_REPLICAS", &replicas.to_string());
    env.set(rng, "MAX_REPLICAS", &max_replicas.to_string());
    if rng.chance() {
        env.set(rng, "ACE_MAP_HTTPS", "true");
    }
    if rng.chance() {
        let limit = rng.pick(&["512m", "1g", "768m"]);
        env.set(rng, "ENGINE_MEMORY_LIMIT", limit);
    }
    if rng.chance() {
        let label = rng.pick(&["team=streams", "orchestrator.managed=acestream"]);
        env.set(rng, "CONTAINER_LABEL", label);
    }
    if expose == "hostport" && rng.chance() {
        env.set(rng, "PORT_BIND_IP", "127.0.0.1");
    }
    if vpn != "none" {
        env.set(rng, "GLUETUN_CONTAINER_NAME", "vpn-a");
        env.set(rng, "VPN_SERVICE_PROVIDER", "custom");
        env.set(rng, "VPN_TYPE", "wireguard");
        let key = format!("a2V5LW9uZS{}=", rng.below(1000));
        env.set(rng, "WIREGUARD_PRIVATE_KEY", &key);
        env.set(rng, "WIREGUARD_ADDRESSES", "10.64.0.2/32");
        env.set(rng, "TZ", "Europe/Madrid");
        if rng.chance() {
            env.set(rng, "SERVER_COUNTRIES", "Spain,United States");
        }
        if rng.chance() {
            let user = format!("p{}", 1_000_000 + rng.below(1000));
            env.set(rng, "OPENVPN_USER", &user);
        }
        if rng.chance() {
            let port = (40_000 + rng.below(1000)).to_string();
            env.set(rng, "GLUETUN_FORWARDED_PORT", &port);
        }
        if rng.chance() {
            env.set(rng, "GLUETUN_API_KEY", "an api key, not a real one");
        }
        if rng.chance() {
            env.set(rng, "FIREWALL_INPUT_PORTS", "9100");
        }
    }
    if vpn == "redundant" {
        env.set(rng, "VPN_MODE", "redundant");
        env.set(rng, "GLUETUN_CONTAINER_NAME_2", "vpn-b");
        env.set(rng, "GLUETUN_PORT_RANGE_1", "19000-19499");
        env.set(rng, "GLUETUN_PORT_RANGE_2", "19500-19999");
        env.set(rng, "WIREGUARD_PRIVATE_KEY_2", "c2Vjb25kLWtleQ==");
    }
    let mut args = vec!["--expose".to_owned(), expose.to_owned()];
    if rng.chance() {
        args.extend(["--secret-name".to_owned(), "vpn-settings".to_owned()]);
    }
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join(".env"), &env.text).unwrap();
    Case {
        label: format!("random-{index}-{vpn}-{expose}"),
        dir: folder.path().to_path_buf(),
        args,
        values: env.values,
        replicas,
        max_replicas,
        _folder: Some(folder),
    }
}

/// A `.env` being written, and the values compose will read from it.
#[derive(Default)]
struct Env {
    text: String,
    values: BTreeMap<String, String>,
}

impl Env {
    /// `KEY=value`, the value plain, in double or in single quotes (always
    /// quoted when it holds a space).
    fn set(&mut self, rng: &mut Rng, key: &str, value: &str) {
        let quote = match rng.below(3) {
            0 if !value.contains(' ') => "",
            1 => "\"",
            _ => "'",
        };
        self.text
            .push_str(&format!("{key}={quote}{value}{quote}\n"));
        self.values.insert(key.to_owned(), value.to_owned());
    }
}
