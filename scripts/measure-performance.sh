#!/usr/bin/env bash
# Reproduces the figures of docs/development/performance.md: whole-process wall time
# (hyperfine) of acegen's commands against a hello-world Rust process built
# alongside with the same toolchain, the ratios the goals are stated in,
# peak memory (/usr/bin/time -v), and instruction counts (callgrind, when
# valgrind is installed: they hardly move on a loaded machine).
#
# Needs: hyperfine, GNU time (/usr/bin/time). Optional: valgrind;
# podman-compose for the comparison (PODMAN_COMPOSE=/path, default
# /tmp/pc/bin/podman-compose or the one on PATH).
#
# Usage: scripts/measure-performance.sh [--quick] [--no-podman] [--profile NAME]
#   --quick       10 runs per command instead of 30, no podman-compose (about a minute)
#   --no-podman   skip the podman-compose comparison (it takes minutes)
#   --profile     the Cargo profile to build and measure: dist (the default: what the release
#                 archives, the wheel and the image ship) or release (`cargo run --release`)
# ACEGEN=/path/to/acegen measures that binary instead (nothing is built), e.g. the static dist
# build of .ci/run: target/x86_64-unknown-linux-gnu/dist/acegen.
set -euo pipefail

runs=30
warmup=5
compare=true
profile=dist
usage="usage: $0 [--quick] [--no-podman] [--profile dist|release]"
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) runs=10 warmup=3 compare=false ;;
        --no-podman) compare=false ;;
        --profile) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; profile=$2; shift ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done

repo=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
acegen=$target/$profile/acegen
[[ -z ${ACEGEN:-} ]] || acegen=$(realpath "$ACEGEN") # the commands run in a scratch folder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in hyperfine /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y hyperfine time python3)" >&2; exit 2; }
done

echo "== build ($profile profile of Cargo.toml; hello world with the same rustc, -C opt-level=3)"
if [[ -z ${ACEGEN:-} ]]; then
    (cd "$repo" && cargo build --profile "$profile" --quiet)
else
    echo "ACEGEN=$ACEGEN: not built here"
fi
printf 'fn main() {\n    println!("hello, world");\n}\n' >"$work/hello.rs"
rustc --edition 2021 -C opt-level=3 -o "$work/hello" "$work/hello.rs"
hello=$work/hello

echo "== machine"
echo "nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "acegen: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), profile $profile ($acegen); $(rustc --version); runs: $runs"

write_env() { # layout engines folder
    local layout=$1 engines=$2 folder=$3
    mkdir -p "$folder"
    {
        echo "MIN_REPLICAS=$engines"
        echo "MAX_REPLICAS=$engines"
        # 4000 engines need 8000 host ports (and 2000 P2P ports per VPN).
        if ((engines > 1000)); then echo "PORT_RANGE_HOST=10000-29999"; else echo "PORT_RANGE_HOST=20000-29999"; fi
        if [[ $layout == redundant ]]; then
            echo "VPN_MODE=redundant"
            echo "GLUETUN_CONTAINER_NAME=gluetun"
            echo "GLUETUN_CONTAINER_NAME_2=gluetun2"
            echo "VPN_SERVICE_PROVIDER=protonvpn"
            echo "VPN_TYPE=wireguard"
            echo "WIREGUARD_PRIVATE_KEY=not-a-real-key"
            # 500 engines per VPN need 500 internal P2P ports.
            echo "ENGINE_P2P_RANGE=30000-33999"
        fi
    } >"$folder/.env"
    # The file `diff` compares: generated, then one value changed (the last
    # engine's restart policy), so that --semantic has one change to report.
    "$acegen" --env-file "$folder/.env" |
        python3 -c 'import sys; t = sys.stdin.read(); i = t.rfind("unless-stopped"); sys.stdout.write(t[:i] + "always" + t[i + 14:])' \
            >"$folder/docker-compose.yml"
    # The same for --target kubernetes: a manifests folder to compare with.
    "$acegen" generate --target kubernetes --env-file "$folder/.env" -o "$folder/manifests" 2>/dev/null
}

for layout in no-vpn redundant; do
    for engines in 10 100 1000 4000; do
        write_env "$layout" "$engines" "$work/$layout-$engines"
    done
done

# name|command (run from $work). Every name is a row of the table below.
cases=(
    "hello world|$hello"
)
for layout in no-vpn redundant; do
    for engines in 10 100 1000; do
        cases+=("generate $layout $engines|$acegen --env-file $layout-$engines/.env")
    done
done
for engines in 10 1000; do
    folder=redundant-$engines
    cases+=("check redundant $engines|$acegen check --env-file $folder/.env")
    cases+=("explain redundant $engines|$acegen explain --env-file $folder/.env")
done
for engines in 10 100 1000; do
    folder=redundant-$engines
    cases+=("diff --semantic redundant $engines|$acegen diff --semantic --env-file $folder/.env $folder/docker-compose.yml")
done

# Both targets on the same inputs: --target kubernetes within 5× of compose
# (its output is about 4× larger), and linear from 1000 to 4000 engines.
for layout in no-vpn redundant; do
    for engines in 1000 4000; do
        folder=$layout-$engines
        for target in compose kubernetes; do
            compare_with=$folder/docker-compose.yml
            [[ $target == kubernetes ]] && compare_with=$folder/manifests
            cases+=("$target generate $layout $engines|$acegen generate --target $target --env-file $folder/.env")
            cases+=("$target check $layout $engines|$acegen check --target $target --env-file $folder/.env")
            cases+=("$target explain $layout $engines|$acegen explain --target $target --env-file $folder/.env")
            cases+=("$target diff $layout $engines|$acegen diff --target $target --env-file $folder/.env $compare_with")
        done
    done
done

echo "== hyperfine: $warmup warm-up runs, then $runs runs of each (--shell=none)"
for case in "${cases[@]}"; do
    name=${case%%|*}
    command=${case#*|}
    slug=$(echo "$name" | tr -c 'a-z0-9\n' '_')
    (cd "$work" && hyperfine --shell=none --ignore-failure --warmup "$warmup" --runs "$runs" \
        --style none --export-json "$work/$slug.json" "$command" >/dev/null)
    # shellcheck disable=SC2086 # the command is split into words on purpose
    peak=$(cd "$work" && /usr/bin/time -v $command 2>&1 >/dev/null |
        awk -F': ' '/Maximum resident set size/ {print $2}' || true)
    instructions=-
    if command -v valgrind >/dev/null; then
        # shellcheck disable=SC2086
        instructions=$(cd "$work" && valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            $command 2>&1 >/dev/null | awk '/Collected|refs:/ {gsub(",", "", $NF); print $NF}' | tail -1 || true)
    fi
    echo "$name|$work/$slug.json|$peak|$instructions" >>"$work/results"
done

echo "== results (median ± σ; ratio = median / hello world's median; instructions from callgrind)"
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
rows = {}
for line in open(os.path.join(work, "results")):
    name, path, peak_kb, instructions = line.strip().split("|")
    result = json.load(open(path))["results"][0]
    # The median: other processes on the machine only ever add time.
    rows[name] = (result["median"] * 1000, result["stddev"] * 1000, int(peak_kb) / 1024, instructions)
hello = rows["hello world"][0]
size = lambda folder: os.path.getsize(os.path.join(work, folder, "docker-compose.yml")) / 1024

print("| command | engines | layout | wall time (median ± σ) | × hello world | peak RSS | instructions |")
print("|---|---:|---|---:|---:|---:|---:|")
for name, (mean, sd, peak, instr) in rows.items():
    parts = name.split()
    engines = parts[-1] if parts[-1].isdigit() else "-"
    layout = parts[-2] if engines != "-" else "-"
    command = " ".join(parts[:-2]) if engines != "-" else name
    instr = f"{int(instr) / 1e6:.1f} M" if instr.isdigit() else "-"
    print(f"| `{command}` | {engines} | {layout} | {mean:.2f} ms ± {sd:.2f} | {mean / hello:.1f}× | {peak:.1f} MB | {instr} |")

def ratio(a, b):
    return rows[a][0] / rows[b][0]

def work_ratio(a, b):
    """Instructions when callgrind ran (a few ms apart is noise on a loaded machine), else time."""
    if rows[a][3].isdigit() and rows[b][3].isdigit():
        return int(rows[a][3]) / int(rows[b][3])
    return ratio(a, b)

goals = [
    ("generate, 10 engines, within 4× of hello world",
     max(ratio("generate no-vpn 10", "hello world"), ratio("generate redundant 10", "hello world")), 4),
    ("generate, 1000 engines, redundant VPN, within 12× of hello world",
     ratio("generate redundant 1000", "hello world"), 12),
    ("peak memory of generate, 1000 engines, under 15 MB (MB)",
     max(rows[f"generate {l} 1000"][2] for l in ("no-vpn", "redundant")), 15),
    ("check no slower than generate (instructions ratio, worst of 10 and 1000)",
     max(work_ratio(f"check redundant {n}", f"generate redundant {n}") for n in (10, 1000)), 1),
    ("explain no slower than generate (instructions ratio, worst of 10 and 1000)",
     max(work_ratio(f"explain redundant {n}", f"generate redundant {n}") for n in (10, 1000)), 1),
    ("diff --semantic, 1000 engines, within 2× of generate",
     ratio("diff --semantic redundant 1000", "generate redundant 1000"), 2),
]
for command in ("generate", "check", "explain", "diff"):
    for layout in ("no-vpn", "redundant"):
        for n in (1000, 4000):
            goals.append((f"--target kubernetes {command}, {layout}, {n} engines, within 5× of compose",
                          ratio(f"kubernetes {command} {layout} {n}", f"compose {command} {layout} {n}"), 5))
        goals.append((f"--target kubernetes {command}, {layout}: 4000 engines within 4.4× of 1000 (linear)",
                      ratio(f"kubernetes {command} {layout} 4000", f"kubernetes {command} {layout} 1000"), 4.4))
print()
print("| goal | measured | limit | met? |")
print("|---|---:|---:|---|")
for goal, value, limit in goals:
    print(f"| {goal} | {value:.2f} | {limit} | {'yes' if value <= limit else 'NO'} |")

# Linear in the file's size: instructions (steadier than time) per KB.
print()
print("diff --semantic, instructions per KB of file (flat = linear in the file's size):")
for n in (10, 100, 1000):
    folder = f"redundant-{n}"
    instr = rows[f"diff --semantic redundant {n}"][3]
    if instr.isdigit():
        print(f"  {n:>4} engines, {size(folder):4.0f} KB: {int(instr) / size(folder) / 1000:.0f} k per KB")
PY

$compare || exit 0

podman_compose=${PODMAN_COMPOSE:-}
if [[ -z $podman_compose ]]; then
    if [[ -x /tmp/pc/bin/podman-compose ]]; then
        podman_compose=/tmp/pc/bin/podman-compose
    else
        podman_compose=$(command -v podman-compose || true)
    fi
fi
if [[ -z $podman_compose ]]; then
    echo "== podman-compose not found: comparison skipped"
    exit 0
fi

echo "== for context: podman-compose config on the generated files"
echo "($($podman_compose --version 2>/dev/null | tr '\n' ' '))"
for layout in no-vpn redundant; do
    for engines in 10 1000; do
        folder=$work/$layout-$engines
        pc_runs=10
        [[ $engines == 1000 ]] && pc_runs=3
        "$acegen" --env-file "$folder/.env" -o "$folder/generated.yml"
        hyperfine --warmup 1 --runs "$pc_runs" --style none --export-json "$folder/podman.json" \
            "$podman_compose -f $folder/generated.yml config" >/dev/null
        python3 - "$folder/podman.json" "$layout" "$engines" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]:10} {sys.argv[3]:>5} engines: {r['mean'] * 1000:.0f} ms ± {r['stddev'] * 1000:.0f} ms")
PY
    done
done
