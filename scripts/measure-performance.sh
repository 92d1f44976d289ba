#!/usr/bin/env bash
# Reproduces the whole-process figures of docs/performance.md: wall time of
# `acegen generate` (hyperfine) and peak memory (/usr/bin/time -v) for 10,
# 100 and 1000 engines, without a VPN and with two redundant VPNs, then the
# same 1000-engine file normalised by `podman-compose config` for context.
#
# Needs: hyperfine, GNU time (/usr/bin/time). Optional: podman-compose
# (set PODMAN_COMPOSE=/path/to/podman-compose, default: /tmp/pc/bin/podman-compose
# or the one on PATH; skipped when absent).
#
# Usage: scripts/measure-performance.sh [--no-podman]
#   --no-podman   skip the podman-compose comparison (it takes minutes)
set -euo pipefail

compare=true
[[ "${1:-}" == "--no-podman" ]] && compare=false

repo=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
acegen=$target/release/acegen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in hyperfine /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y hyperfine time)" >&2; exit 2; }
done

echo "== machine"
echo "nproc: $(nproc)"
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'
echo "acegen: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"

echo "== build"
(cd "$repo" && cargo build --release --quiet)

# One folder per configuration, each with a .env, as a user would have it.
# "mean ± σ" from a hyperfine JSON export, in milliseconds.
mean_and_sigma() { # file decimals
    python3 - "$1" "$2" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
decimals = int(sys.argv[2])
print(f"{result['mean'] * 1000:.{decimals}f} ms ± {result['stddev'] * 1000:.{decimals}f} ms")
PY
}

# Whether a run is within docs/performance.md's budget: 10 engines under
# 10 ms; 1000 engines under 50 ms and 30 MB peak; 100 engines has none.
budget() { # engines hyperfine.json peak_kb
    python3 - "$@" <<'PY'
import json, sys
engines, peak_mb = int(sys.argv[1]), int(sys.argv[3]) / 1024
mean_ms = json.load(open(sys.argv[2]))["results"][0]["mean"] * 1000
limits = {10: (10, None), 1000: (50, 30)}.get(engines)
if limits is None:
    print("-")
else:
    ms, mb = limits
    ok = mean_ms < ms and (mb is None or peak_mb < mb)
    print(("met" if ok else "MISSED") + f" (< {ms} ms" + (f", < {mb} MB)" if mb else ")"))
PY
}

peak_kb() { # command...
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}

write_env() { # layout engines folder
    local layout=$1 engines=$2 folder=$3
    mkdir -p "$folder"
    {
        echo "MIN_REPLICAS=$engines"
        echo "MAX_REPLICAS=$engines"
        echo "PORT_RANGE_HOST=20000-29999"
        if [[ $layout == redundant ]]; then
            echo "VPN_MODE=redundant"
            echo "GLUETUN_CONTAINER_NAME=gluetun"
            echo "GLUETUN_CONTAINER_NAME_2=gluetun_2"
            echo "VPN_SERVICE_PROVIDER=protonvpn"
            echo "VPN_TYPE=wireguard"
            echo "WIREGUARD_PRIVATE_KEY=not-a-real-key"
            echo "ENGINE_P2P_RANGE=30000-31999"
        fi
    } >"$folder/.env"
}

runs=30

echo "== acegen generate (whole process: start to exit)"
printf '%-10s %6s  %-20s %-9s %s\n' layout engines "wall time (mean ± σ)" "peak RSS" budget
for layout in no-vpn redundant; do
    for engines in 10 100 1000; do
        folder=$work/$layout-$engines
        write_env "$layout" "$engines" "$folder"
        (cd "$folder" && "$acegen" -o docker-compose.yml)
        hyperfine --shell=none --warmup 5 --runs "$runs" --style none \
            --export-json "$folder/hyperfine.json" \
            "$acegen --env-file $folder/.env" >/dev/null
        time=$(mean_and_sigma "$folder/hyperfine.json" 1)
        peak=$(peak_kb "$acegen" --env-file "$folder/.env")
        printf '%-10s %6s  %-20s %-9s %s\n' "$layout" "$engines" "$time" \
            "$(awk -v kb="$peak" 'BEGIN { printf "%.1f MB", kb / 1024 }')" "$(budget "$engines" "$folder/hyperfine.json" "$peak")"
    done
done

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
printf '%-10s %6s  %-20s %s\n' layout engines "wall time (mean ± σ)" "peak RSS"
for layout in no-vpn redundant; do
    for engines in 10 100 1000; do
        folder=$work/$layout-$engines
        # podman-compose is slow on big files: fewer runs for them.
        pc_runs=10
        [[ $engines == 1000 ]] && pc_runs=3
        hyperfine --warmup 1 --runs "$pc_runs" --style none \
            --export-json "$folder/podman.json" \
            "$podman_compose -f $folder/docker-compose.yml config" >/dev/null
        time=$(mean_and_sigma "$folder/podman.json" 0)
        peak=$(peak_kb "$podman_compose" -f "$folder/docker-compose.yml" config)
        printf '%-10s %6s  %-20s %s\n' "$layout" "$engines" "$time" "$(awk -v kb="$peak" 'BEGIN { printf "%.1f MB", kb / 1024 }')"
    done
done
