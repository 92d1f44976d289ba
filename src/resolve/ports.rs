//! Port allocation (docs/development/spec.md §2.2, §2.3): sequential from the start of each range,
//! engine by engine, so that engine i's ports depend only on engines 1..i —
//! adding an engine never moves the ports of those before it.

use crate::validate::settings::PortRange;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// Which configured range a port comes from, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeName {
    PortRangeHost,
    /// A half of PORT_RANGE_HOST given to VPN 1 or 2 in redundant mode.
    PortRangeHostHalf(usize),
    GluetunPortRange(usize),
    /// The orchestrator's own numbering behind a VPN without
    /// GLUETUN_PORT_RANGE_1: 19000 + MAX_REPLICAS (`--stack orchestrator`).
    OrchestratorVpnPorts,
    AceHttpsRange,
    EngineP2pRange,
}

impl fmt::Display for RangeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeName::PortRangeHost => write!(f, "PORT_RANGE_HOST"),
            RangeName::PortRangeHostHalf(vpn) => {
                write!(f, "PORT_RANGE_HOST (the half given to VPN {vpn})")
            }
            RangeName::GluetunPortRange(vpn) => write!(f, "GLUETUN_PORT_RANGE_{vpn}"),
            RangeName::OrchestratorVpnPorts => {
                write!(
                    f,
                    "the orchestrator's ports behind a VPN (19000 + MAX_REPLICAS)"
                )
            }
            RangeName::AceHttpsRange => write!(f, "ACE_HTTPS_RANGE"),
            RangeName::EngineP2pRange => write!(f, "ENGINE_P2P_RANGE"),
        }
    }
}

/// A range and what it is called in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedRange {
    pub name: RangeName,
    pub range: PortRange,
}

/// The VPN side of a network stack that engines share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpnStack {
    pub http_range: NamedRange,
    /// Gluetun's control server port inside the shared stack.
    pub api_port: u16,
    /// Host port the control server is published on.
    pub api_host_port: u16,
    /// The P2P port this VPN forwards, when known.
    pub forwarded_port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Every engine has its own network stack and publishes its own ports.
    OwnStacks {
        http_range: NamedRange,
        map_https: bool,
    },
    /// Engines alternate over one or two VPN stacks (engine 1 on VPN 1).
    Vpn(Vec<VpnStack>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRequest {
    pub engines: usize,
    pub layout: Layout,
    pub https_range: NamedRange,
    pub p2p_range: NamedRange,
}

/// The ports of one engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnginePorts {
    /// Index into the VPN stacks (0 = VPN 1), or `None` without a VPN.
    pub vpn: Option<usize>,
    /// HTTP port: the container listens on it and it is published as `H:H`.
    pub http: u16,
    pub https: u16,
    /// Host port the HTTPS port is published on (ACE_MAP_HTTPS, no VPN only).
    pub https_host: Option<u16>,
    /// `--port`: the forwarded port or an internal P2P port (VPN only).
    pub p2p: Option<u16>,
    pub forwarded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    /// A range is smaller than the number of ports the engines need from it.
    RangeTooSmall {
        range: NamedRange,
        needed: usize,
        purpose: String,
    },
    /// The range is large enough, but other allocations took its free ports.
    Exhausted {
        range: NamedRange,
        needed: usize,
        free: usize,
    },
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortError::RangeTooSmall {
                range,
                needed,
                purpose,
            } => write!(
                f,
                "{} {} has {} port{}, but {needed} {} needed ({purpose})",
                range.name,
                range.range,
                range.range.len(),
                plural(range.range.len()),
                if *needed == 1 { "is" } else { "are" },
            ),
            PortError::Exhausted {
                range,
                needed,
                free,
            } => write!(
                f,
                "{} {} has {needed} port{} to give but only {free} free: the others are taken by overlapping ranges or fixed ports",
                range.name,
                range.range,
                plural(*needed),
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Which VPN stack engine `index` (0-based) joins: they alternate.
pub fn vpn_of_engine(index: usize, vpn_count: usize) -> usize {
    index % vpn_count
}

/// Ports already in use, in the scopes where a clash would matter.
struct Taken {
    /// Host ports and every HTTP/HTTPS port: unique across all engines.
    global: BTreeSet<u16>,
    /// Ports bound inside each VPN's shared network stack.
    per_stack: Vec<BTreeSet<u16>>,
    /// Per (range, stack): no port of the range below this one is free.
    /// Ports are only ever taken, never given back, so the lowest free port
    /// of a range only moves up; starting each search here instead of at the
    /// range start keeps allocation linear in the number of engines.
    lowest_maybe_free: HashMap<(PortRange, Option<usize>), u16>,
    /// HTTPS ports of engines with their own network stacks, and where the
    /// next search starts: the orchestrator's HTTPS cursor (see `take_https_beside`).
    own_stack_https: BTreeSet<u16>,
    https_cursor: Option<u32>,
}

impl Taken {
    fn new() -> Self {
        Taken {
            global: BTreeSet::new(),
            per_stack: Vec::new(),
            lowest_maybe_free: HashMap::new(),
            own_stack_https: BTreeSet::new(),
            https_cursor: None,
        }
    }

    /// An HTTPS port for an engine with its own network stack, as the
    /// orchestrator picks it: from a cursor that moves on after every
    /// allocation (wrapping at the range end), skipping HTTPS ports already
    /// given and only the engine's own HTTP port `avoid`. Another engine's
    /// HTTP port is not skipped: that engine has its own stack, and the HTTPS
    /// port is not published on the host under its own number.
    fn take_https_beside(&mut self, range: PortRange, avoid: u16) -> Option<u16> {
        let (start, end) = (u32::from(range.start), u32::from(range.end));
        let mut cursor = self.https_cursor.unwrap_or(start);
        for _ in 0..range.len() {
            if !(start..=end).contains(&cursor) {
                cursor = start;
            }
            let port = cursor as u16;
            if port != avoid && !self.own_stack_https.contains(&port) {
                self.own_stack_https.insert(port);
                self.https_cursor = Some(cursor + 1);
                return Some(port);
            }
            cursor += 1;
        }
        None
    }

    fn is_free(&self, port: u16, stack: Option<usize>) -> bool {
        !self.global.contains(&port) && stack.is_none_or(|s| !self.per_stack[s].contains(&port))
    }

    /// The lowest free port of `range` for `stack`, the same port a scan
    /// from the range start would find.
    fn lowest_free(&mut self, range: PortRange, stack: Option<usize>) -> Option<u16> {
        let from = *self
            .lowest_maybe_free
            .get(&(range, stack))
            .unwrap_or(&range.start);
        let port = (from..=range.end).find(|p| self.is_free(*p, stack));
        // When the range is full, leave the cursor alone: the next search fails fast too.
        if let Some(port) = port {
            self.lowest_maybe_free.insert((range, stack), port);
        }
        port
    }

    fn take_next(&mut self, range: NamedRange, stack: Option<usize>) -> Option<u16> {
        let port = self.lowest_free(range.range, stack)?;
        match stack {
            Some(s) => {
                self.per_stack[s].insert(port);
            }
            None => {
                self.global.insert(port);
            }
        }
        Some(port)
    }

    fn take_global(&mut self, range: NamedRange, stack: Option<usize>) -> Option<u16> {
        let port = self.lowest_free(range.range, stack)?;
        self.global.insert(port);
        Some(port)
    }
}

/// Checks that each range can hold what the engines need from it, before
/// allocating, so the error says how many ports are needed and available.
fn check_capacity(request: &PortRequest) -> Result<(), PortError> {
    let n = request.engines;
    let too_small = |range: NamedRange, needed: usize, purpose: String| {
        if needed > range.range.len() {
            Err(PortError::RangeTooSmall {
                range,
                needed,
                purpose,
            })
        } else {
            Ok(())
        }
    };
    match &request.layout {
        Layout::OwnStacks {
            http_range,
            map_https,
        } => {
            let (needed, purpose) = if *map_https {
                (
                    2 * n,
                    format!("{n} engines × an HTTP and a mapped HTTPS host port"),
                )
            } else {
                (n, format!("{n} engine{} × one HTTP port", plural(n)))
            };
            too_small(*http_range, needed, purpose)?;
        }
        Layout::Vpn(stacks) => {
            for (v, stack) in stacks.iter().enumerate() {
                let on_vpn = (0..n)
                    .filter(|i| vpn_of_engine(*i, stacks.len()) == v)
                    .count();
                too_small(
                    stack.http_range,
                    on_vpn,
                    format!(
                        "{on_vpn} engine{} on VPN {} × one HTTP port",
                        plural(on_vpn),
                        v + 1
                    ),
                )?;
                let internal = on_vpn - usize::from(stack.forwarded_port.is_some() && on_vpn > 0);
                too_small(
                    request.p2p_range,
                    internal,
                    format!(
                        "{internal} engine{} on VPN {} without the forwarded port × one P2P port",
                        plural(internal),
                        v + 1
                    ),
                )?;
            }
        }
    }
    too_small(
        request.https_range,
        n,
        format!("{n} engine{} × one HTTPS port", plural(n)),
    )
}

/// Allocates every engine's ports, engine 1 first.
pub fn allocate(request: &PortRequest) -> Result<Vec<EnginePorts>, PortError> {
    allocate_reserving(request, request.engines)
}

/// Allocates every engine's ports, engine 1 first, then goes on for as many
/// engines up to `reserve_up_to` as fit: the ports that engines added later
/// would get. The first `request.engines` entries are the engines' own.
pub fn allocate_reserving(
    request: &PortRequest,
    reserve_up_to: usize,
) -> Result<Vec<EnginePorts>, PortError> {
    check_capacity(request)?;
    let mut allocator = Allocator::new(request);
    let mut ports = (0..request.engines)
        .map(|_| allocator.next_engine())
        .collect::<Result<Vec<_>, _>>()?;
    ports.extend((request.engines..reserve_up_to).map_while(|_| allocator.next_engine().ok()));
    Ok(ports)
}

/// Hands out ports engine after engine; engine i sees only engines 1..i.
struct Allocator<'a> {
    request: &'a PortRequest,
    taken: Taken,
    next_index: usize,
    first_on_vpn_done: [bool; 2],
}

impl<'a> Allocator<'a> {
    fn new(request: &'a PortRequest) -> Self {
        Self {
            request,
            taken: reserved_ports(&request.layout),
            next_index: 0,
            first_on_vpn_done: [false; 2],
        }
    }

    fn next_engine(&mut self) -> Result<EnginePorts, PortError> {
        let index = self.next_index;
        self.next_index += 1;
        match &self.request.layout {
            Layout::OwnStacks {
                http_range,
                map_https,
            } => own_stack_engine(self.request, &mut self.taken, *http_range, *map_https),
            Layout::Vpn(stacks) => {
                let v = vpn_of_engine(index, stacks.len());
                let forwarded = match stacks[v].forwarded_port {
                    Some(port) if !self.first_on_vpn_done[v] => Some(port),
                    _ => None,
                };
                self.first_on_vpn_done[v] = true;
                vpn_engine(self.request, &mut self.taken, &stacks[v], v, forwarded)
            }
        }
    }
}

/// Ports fixed before any engine: the VPN control servers and forwarded ports.
fn reserved_ports(layout: &Layout) -> Taken {
    let mut taken = Taken::new();
    if let Layout::Vpn(stacks) = layout {
        for stack in stacks {
            taken.global.insert(stack.api_host_port);
            let mut inside: BTreeSet<u16> = [stack.api_port].into();
            inside.extend(stack.forwarded_port);
            taken.per_stack.push(inside);
        }
    }
    taken
}

fn exhausted(range: NamedRange, taken: &Taken, stack: Option<usize>) -> PortError {
    PortError::Exhausted {
        range,
        needed: range.range.len(),
        free: range
            .range
            .ports()
            .filter(|p| taken.is_free(*p, stack))
            .count(),
    }
}

fn own_stack_engine(
    request: &PortRequest,
    taken: &mut Taken,
    http_range: NamedRange,
    map_https: bool,
) -> Result<EnginePorts, PortError> {
    let http = taken
        .take_global(http_range, None)
        .ok_or_else(|| exhausted(http_range, taken, None))?;
    let https_host = if map_https {
        let port = taken
            .take_global(http_range, None)
            .ok_or_else(|| exhausted(http_range, taken, None))?;
        Some(port)
    } else {
        None
    };
    let https = taken
        .take_https_beside(request.https_range.range, http)
        .ok_or(PortError::Exhausted {
            range: request.https_range,
            needed: request.https_range.range.len(),
            free: request.https_range.range.len() - taken.own_stack_https.len(),
        })?;
    Ok(EnginePorts {
        vpn: None,
        http,
        https,
        https_host,
        p2p: None,
        forwarded: false,
    })
}

fn vpn_engine(
    request: &PortRequest,
    taken: &mut Taken,
    stack: &VpnStack,
    v: usize,
    forwarded: Option<u16>,
) -> Result<EnginePorts, PortError> {
    let http = taken
        .take_global(stack.http_range, Some(v))
        .ok_or_else(|| exhausted(stack.http_range, taken, Some(v)))?;
    let https = taken
        .take_global(request.https_range, Some(v))
        .ok_or_else(|| exhausted(request.https_range, taken, Some(v)))?;
    let p2p = match forwarded {
        Some(port) => port,
        None => taken
            .take_next(request.p2p_range, Some(v))
            .ok_or_else(|| exhausted(request.p2p_range, taken, Some(v)))?,
    };
    Ok(EnginePorts {
        vpn: Some(v),
        http,
        https,
        https_host: None,
        p2p: Some(p2p),
        forwarded: forwarded.is_some(),
    })
}

/// Collapses sorted ports into contiguous runs, for `"19000-19009:19000-19009"`.
pub fn contiguous_runs(ports: &[u16]) -> Vec<(u16, u16)> {
    let mut sorted = ports.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for port in sorted {
        match runs.last_mut() {
            Some((_, end)) if u32::from(*end) + 1 == u32::from(port) => *end = port,
            _ => runs.push((port, port)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn range(name: RangeName, start: u16, end: u16) -> NamedRange {
        NamedRange {
            name,
            range: PortRange { start, end },
        }
    }

    fn no_vpn(engines: usize, map_https: bool) -> PortRequest {
        PortRequest {
            engines,
            layout: Layout::OwnStacks {
                http_range: range(RangeName::PortRangeHost, 19000, 19999),
                map_https,
            },
            https_range: range(RangeName::AceHttpsRange, 45000, 49999),
            p2p_range: range(RangeName::EngineP2pRange, 8621, 8720),
        }
    }

    fn vpn_stack(vpn: usize, start: u16, end: u16, forwarded: Option<u16>) -> VpnStack {
        VpnStack {
            http_range: range(RangeName::GluetunPortRange(vpn), start, end),
            api_port: 8000,
            api_host_port: 7999 + vpn as u16,
            forwarded_port: forwarded,
        }
    }

    fn with_vpns(engines: usize, stacks: Vec<VpnStack>) -> PortRequest {
        PortRequest {
            layout: Layout::Vpn(stacks),
            ..no_vpn(engines, false)
        }
    }

    #[test]
    fn no_vpn_ports_are_sequential() {
        let ports = allocate(&no_vpn(3, false)).unwrap();
        let got: Vec<_> = ports.iter().map(|p| (p.http, p.https, p.p2p)).collect();
        assert_eq!(
            got,
            vec![
                (19000, 45000, None),
                (19001, 45001, None),
                (19002, 45002, None)
            ]
        );
    }

    #[test]
    fn mapped_https_host_ports_interleave_with_http() {
        let ports = allocate(&no_vpn(2, true)).unwrap();
        let got: Vec<_> = ports
            .iter()
            .map(|p| (p.http, p.https_host, p.https))
            .collect();
        assert_eq!(
            got,
            vec![(19000, Some(19001), 45000), (19002, Some(19003), 45001)]
        );
    }

    #[test]
    fn https_skips_only_the_engines_own_http_port_when_ranges_overlap() {
        // The orchestrator's rule, with both ranges 45000-45010.
        let mut request = no_vpn(3, false);
        request.layout = Layout::OwnStacks {
            http_range: range(RangeName::PortRangeHost, 45000, 45010),
            map_https: false,
        };
        request.https_range = range(RangeName::AceHttpsRange, 45000, 45010);
        let ports = allocate(&request).unwrap();
        let got: Vec<_> = ports.iter().map(|p| (p.http, p.https)).collect();
        assert_eq!(got, vec![(45000, 45001), (45001, 45002), (45002, 45003)]);
    }

    #[test]
    fn the_https_cursor_wraps_to_ports_it_skipped() {
        // 3 HTTPS ports for 3 engines: engine 1 skips 45000 (its HTTP port),
        // engine 3 finds it after the cursor wraps.
        let mut request = no_vpn(3, false);
        request.layout = Layout::OwnStacks {
            http_range: range(RangeName::PortRangeHost, 45000, 45010),
            map_https: false,
        };
        request.https_range = range(RangeName::AceHttpsRange, 45000, 45002);
        let ports = allocate(&request).unwrap();
        let got: Vec<_> = ports.iter().map(|p| p.https).collect();
        assert_eq!(got, vec![45001, 45002, 45000]);
    }

    #[test]
    fn single_vpn_gives_every_engine_a_distinct_p2p_port() {
        let ports = allocate(&with_vpns(3, vec![vpn_stack(1, 19000, 19499, None)])).unwrap();
        let got: Vec<_> = ports.iter().map(|p| (p.http, p.p2p, p.forwarded)).collect();
        assert_eq!(
            got,
            vec![
                (19000, Some(8621), false),
                (19001, Some(8622), false),
                (19002, Some(8623), false)
            ]
        );
    }

    #[test]
    fn the_first_engine_on_a_vpn_takes_its_forwarded_port() {
        let ports = allocate(&with_vpns(3, vec![vpn_stack(1, 19000, 19499, Some(8622))])).unwrap();
        let got: Vec<_> = ports.iter().map(|p| (p.p2p, p.forwarded)).collect();
        // 8622 is the forwarded port, so the internal ones skip it.
        assert_eq!(
            got,
            vec![(Some(8622), true), (Some(8621), false), (Some(8623), false)]
        );
    }

    #[test]
    fn redundant_engines_alternate_and_p2p_is_unique_per_vpn() {
        let stacks = vec![
            vpn_stack(1, 19000, 19499, Some(40001)),
            vpn_stack(2, 19500, 19999, None),
        ];
        let ports = allocate(&with_vpns(4, stacks)).unwrap();
        let got: Vec<_> = ports
            .iter()
            .map(|p| (p.vpn, p.http, p.https, p.p2p, p.forwarded))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(0), 19000, 45000, Some(40001), true),
                (Some(1), 19500, 45001, Some(8621), false),
                (Some(0), 19001, 45002, Some(8621), false),
                (Some(1), 19501, 45003, Some(8622), false),
            ]
        );
    }

    #[test]
    fn the_control_server_port_is_never_given_to_an_engine() {
        // VPN 1's control server: 8000 on the host and inside the stack.
        let ports = allocate(&with_vpns(2, vec![vpn_stack(1, 7999, 8001, None)])).unwrap();
        let got: Vec<_> = ports.iter().map(|p| p.http).collect();
        assert_eq!(got, vec![7999, 8001]);
    }

    #[test]
    fn a_range_too_small_says_how_many_ports_are_needed_and_available() {
        let mut request = no_vpn(3, false);
        request.layout = Layout::OwnStacks {
            http_range: range(RangeName::PortRangeHost, 19000, 19001),
            map_https: false,
        };
        let error = allocate(&request).unwrap_err();
        assert_eq!(
            error.to_string(),
            "PORT_RANGE_HOST 19000-19001 has 2 ports, but 3 are needed (3 engines × one HTTP port)"
        );
    }

    #[test]
    fn the_p2p_range_must_hold_the_internal_ports() {
        let mut request = with_vpns(3, vec![vpn_stack(1, 19000, 19499, Some(40000))]);
        request.p2p_range = range(RangeName::EngineP2pRange, 8621, 8621);
        let error = allocate(&request).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("ENGINE_P2P_RANGE 8621-8621 has 1 port, but 2 are needed"),
            "{error}"
        );
    }

    #[test]
    fn overlap_that_exhausts_a_range_is_reported() {
        // The only HTTPS port is the engine's own HTTP port.
        let mut request = no_vpn(1, false);
        request.layout = Layout::OwnStacks {
            http_range: range(RangeName::PortRangeHost, 100, 102),
            map_https: false,
        };
        request.https_range = range(RangeName::AceHttpsRange, 100, 100);
        let error = allocate(&request).unwrap_err();
        assert!(matches!(error, PortError::Exhausted { .. }), "{error}");
    }

    #[test]
    fn reserving_stops_where_the_ranges_run_out() {
        let mut request = no_vpn(2, false);
        request.layout = Layout::OwnStacks {
            http_range: range(RangeName::PortRangeHost, 19000, 19002),
            map_https: false,
        };
        let ports = allocate_reserving(&request, 5).unwrap();
        let got: Vec<_> = ports.iter().map(|p| p.http).collect();
        assert_eq!(got, vec![19000, 19001, 19002]);
        assert_eq!(ports[..2], allocate(&request).unwrap()[..]);
    }

    #[test]
    fn contiguous_runs_collapse() {
        assert_eq!(
            contiguous_runs(&[19003, 19000, 19001, 19002, 19005, 65535]),
            vec![(19000, 19003), (19005, 19005), (65535, 65535)]
        );
    }

    fn all_ports_distinct(ports: &[EnginePorts]) -> bool {
        let mut host = HashSet::new();
        let mut per_stack: Vec<HashSet<u16>> = vec![HashSet::new(); 3];
        for p in ports {
            for h in [Some(p.http), p.https_host].into_iter().flatten() {
                if !host.insert(h) {
                    return false;
                }
            }
            let stack = p.vpn.unwrap_or(2);
            for q in [Some(p.http), Some(p.https), p.p2p].into_iter().flatten() {
                if p.vpn.is_some() && !per_stack[stack].insert(q) {
                    return false;
                }
            }
            if p.http == p.https {
                return false;
            }
        }
        true
    }

    proptest! {
        /// The remembered search start must never skip a free port: after
        /// any mix of takes over overlapping ranges and stacks, each take
        /// gets what a scan from the range start would have found.
        #[test]
        fn takes_match_a_scan_from_the_range_start(
            takes in proptest::collection::vec((0u16..40, 0u16..40, 0usize..3, any::<bool>()), 1..200)
        ) {
            let mut taken = Taken::new();
            taken.per_stack = vec![BTreeSet::new(), BTreeSet::new()];
            for (a, b, stack, global) in takes {
                let r = range(RangeName::PortRangeHost, 100 + a.min(b), 100 + a.max(b));
                let stack = [None, Some(0), Some(1)][stack];
                let expected = r.range.ports().find(|p| taken.is_free(*p, stack));
                let got = if global {
                    taken.take_global(r, stack)
                } else {
                    taken.take_next(r, stack)
                };
                prop_assert_eq!(got, expected);
            }
        }

        #[test]
        fn growth_keeps_existing_engines_unchanged(n in 1usize..60, vpns in 0usize..3, map in any::<bool>(), fwd in proptest::option::of(8600u16..8700)) {
            let request = |engines| match vpns {
                0 => no_vpn(engines, map),
                1 => with_vpns(engines, vec![vpn_stack(1, 19000, 19499, fwd)]),
                _ => with_vpns(engines, vec![vpn_stack(1, 19000, 19499, fwd), vpn_stack(2, 19500, 19999, None)]),
            };
            let small = allocate(&request(n)).unwrap();
            let grown = allocate(&request(n + 1)).unwrap();
            prop_assert_eq!(&grown[..n], &small[..]);
        }

        #[test]
        fn no_two_engines_share_a_port(n in 1usize..80, vpns in 0usize..3, map in any::<bool>(), overlap in 0u16..20) {
            let mut request = match vpns {
                0 => no_vpn(n, map),
                1 => with_vpns(n, vec![vpn_stack(1, 19000, 19499, Some(8630))]),
                _ => with_vpns(n, vec![vpn_stack(1, 19000, 19499, None), vpn_stack(2, 19500, 19999, Some(8621))]),
            };
            // Ranges that overlap must still give distinct ports.
            request.https_range = range(RangeName::AceHttpsRange, 19000 + overlap, 19900);
            let ports = allocate(&request).unwrap();
            prop_assert_eq!(ports.len(), n);
            prop_assert!(all_ports_distinct(&ports));
        }
    }
}
