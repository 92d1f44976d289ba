#!/usr/bin/env bash
# acegen end-to-end test: generated compose files brought up with podman-compose against
# stand-in images built FROM scratch with Debian's static busybox. See tests/e2e/README.md.
#
#   bash tests/e2e/run.sh
#
# Environment (all optional):
#   ACEGEN            acegen command (default: <repo>/target/release/acegen, built if missing)
#   E2E_EXAMPLES_DIR  folder holding the examples (default: <repo>/examples)
#   E2E_EXAMPLES      space-separated example names, or "all" (the default): every folder of
#                     E2E_EXAMPLES_DIR with a .env, which must include krinkuto11-amd64,
#                     jopsis-amd64, single-vpn-forwarded and redundant-vpn
#   E2E_GROW_EXAMPLE  example(s) used for the growth scenario (default: krinkuto11-amd64 single-vpn-forwarded)
#   E2E_VENV          virtualenv for podman-compose (default: /opt/acegen-e2e-venv)
#   E2E_NO_SCENARIOS=1  skip tests/e2e/scenarios/ (situations no example shows)
#   E2E_NO_INSTALL=1  never install anything; fail when something is missing
#   E2E_VERBOSE=1     print every command the checker runs
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${E2E_VENV:-/opt/acegen-e2e-venv}"
EXAMPLES_DIR="${E2E_EXAMPLES_DIR:-$ROOT/examples}"
REQUIRED_EXAMPLES="krinkuto11-amd64 jopsis-amd64 single-vpn-forwarded redundant-vpn"
EXAMPLES="${E2E_EXAMPLES:-all}"
GROW_EXAMPLE="${E2E_GROW_EXAMPLE:-krinkuto11-amd64 single-vpn-forwarded}"
ENGINE_STANDIN=localhost/acegen-e2e/engine:latest
GLUETUN_STANDIN=localhost/acegen-e2e/gluetun:latest
PROJECT_PREFIX=acegen-e2e-
PYTHON="$(command -v python3)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/acegen-e2e.XXXXXX")"
COUNTS="$WORK/counts"
RETAG="$WORK/retag"
: >"$COUNTS"
: >"$RETAG"
PASSED=0
FAILED=0
START=$(date +%s)

ok() { PASSED=$((PASSED + 1)); echo "  ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "  FAIL $*"; }

cleanup() {
    local rc=$?
    set +e
    if command -v podman >/dev/null 2>&1; then
        # containers, pods and networks of every project this script names (acegen-e2e-*)
        local ids
        ids=$(podman ps -a --format '{{.ID}} {{index .Labels "io.podman.compose.project"}}' 2>/dev/null |
            awk -v p="$PROJECT_PREFIX" 'index($2, p) == 1 {print $1}')
        # shellcheck disable=SC2086 # one word per container ID
        [ -n "$ids" ] && podman rm -f -t 1 $ids >/dev/null 2>&1
        podman pod ls --format '{{.Name}}' 2>/dev/null | grep "^pod_$PROJECT_PREFIX" |
            while read -r pod; do podman pod rm -f "$pod" >/dev/null 2>&1; done
        podman network ls --format '{{.Name}}' 2>/dev/null | grep "^$PROJECT_PREFIX" |
            while read -r net; do podman network rm -f "$net" >/dev/null 2>&1; done
        # give back the real image names the stand-ins borrowed
        while read -r name orig; do
            if [ "$orig" = "-" ]; then
                podman untag "$name" "$name" >/dev/null 2>&1
            else
                podman tag "$orig" "$name" >/dev/null 2>&1
            fi
        done <"$RETAG"
    fi
    if [ -f "$COUNTS" ]; then
        while read -r p f; do
            PASSED=$((PASSED + p))
            FAILED=$((FAILED + f))
        done <"$COUNTS"
    fi
    rm -rf "$WORK"
    echo "e2e finished in $(($(date +%s) - START)) s"
    if [ "$rc" -ne 0 ] && [ "$FAILED" -eq 0 ]; then
        FAILED=1 # the script itself stopped on an error
    fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] || exit 1
    exit 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
echo "== setup"
apt_install() {
    if [ -n "${E2E_NO_INSTALL:-}" ] || [ "$(id -u)" -ne 0 ]; then
        echo "  missing: $* (install them, or run as root so this script can)" >&2
        return 1
    fi
    if [ ! -e "$WORK/.apt-updated" ]; then
        apt-get update -qq >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; return 1; }
        touch "$WORK/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$WORK/apt.log" 2>&1 ||
        { cat "$WORK/apt.log" >&2; return 1; }
}

need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed" || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
    echo "  installing ${need[*]}"
    apt_install "${need[@]}"
fi
ok "podman $(podman --version | awk '{print $3}') and static busybox present"

# /etc/containers/containers.conf: no default ulimits (they cannot be raised in this sandbox),
# and runc when crun cannot create containers (cgroup v1/v2 hybrid hosts).
set_containers_conf() { # SECTION KEY VALUE
    mkdir -p /etc/containers
    "$PYTHON" - "$1" "$2" "$3" <<'EOF'
import os, re, sys
section, key, value = sys.argv[1:]
path = "/etc/containers/containers.conf"
lines = open(path).read().splitlines() if os.path.exists(path) else []
out, in_sec, seen_sec, done = [], False, False, False
for line in lines:
    m = re.match(r"\s*\[([^\]]+)\]\s*$", line)
    if m:
        if in_sec and not done:
            out.append("%s = %s" % (key, value)); done = True
        in_sec = m.group(1).strip() == section
        seen_sec = seen_sec or in_sec
    elif in_sec and re.match(r"\s*#?\s*%s\s*=" % re.escape(key), line) and not line.lstrip().startswith("#"):
        if not done:
            out.append("%s = %s" % (key, value)); done = True
        continue
    out.append(line)
if not done:
    if not seen_sec:
        out += ["", "[%s]" % section]
    out.append("%s = %s" % (key, value))
new = "\n".join(out).strip("\n") + "\n"
if not os.path.exists(path) or open(path).read() != new:
    open(path, "w").write(new)
EOF
}
if [ "$(id -u)" -eq 0 ] && [ -z "${E2E_NO_INSTALL:-}" ]; then
    set_containers_conf containers default_ulimits "[]"
fi

# podman-compose >= 1.6 in a virtualenv
COMPOSE="$VENV/bin/podman-compose"
compose_ok() {
    [ -x "$COMPOSE" ] && "$VENV/bin/python" - <<'EOF' 2>/dev/null
import importlib.metadata as m, sys
v = tuple(int(x) for x in m.version("podman-compose").split(".")[:2])
sys.exit(0 if v >= (1, 6) else 1)
EOF
}
if ! compose_ok; then
    [ -z "${E2E_NO_INSTALL:-}" ] || { echo "  podman-compose >= 1.6 missing in $VENV" >&2; exit 1; }
    echo "  installing podman-compose into $VENV"
    if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
        apt_install python3-venv
        PYTHON=/usr/bin/python3
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/pip" install -q --disable-pip-version-check 'podman-compose>=1.6'
fi
ok "podman-compose $("$COMPOSE" --version 2>/dev/null | awk '/podman-compose/ {print $3}') in $VENV"

# stand-in images: busybox rootfs + scripts, FROM scratch
CTX="$WORK/image-context"
mkdir -p "$CTX/rootfs/bin" "$CTX/rootfs/tmp" "$CTX/rootfs/usr/bin" "$CTX/rootfs/etc"
cp /bin/busybox "$CTX/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$CTX/rootfs/bin/$applet"
done
chmod 1777 "$CTX/rootfs/tmp"
echo "root:x:0:0:root:/root:/bin/sh" >"$CTX/rootfs/etc/passwd"
echo "root:x:0:" >"$CTX/rootfs/etc/group"
cp "$HERE/images/"* "$CTX/"
chmod 755 "$CTX/acestreamengine" "$CTX/python" "$CTX/gluetun-entrypoint"
# Rebuilt only when the scripts, Containerfiles or busybox changed (hash kept in a label).
INPUT_HASH=$(cat "$HERE/images/"* /bin/busybox | sha256sum | cut -c1-16)
build_image() { # CONTAINERFILE TAG
    local old
    old=$(podman image inspect --format '{{.Id}} {{index .Labels "acegen-e2e.inputs"}}' "$2" 2>/dev/null || true)
    if [ "${old#* }" = "$INPUT_HASH" ]; then
        return 0
    fi
    podman build -q --format docker --label "acegen-e2e.inputs=$INPUT_HASH" -f "$CTX/$1" -t "$2" "$CTX" >/dev/null
    # drop the image this one replaces (ignored while a container still uses it)
    [ -z "$old" ] || podman rmi "${old%% *}" >/dev/null 2>&1 || true
}
build_images() {
    build_image Containerfile.engine "$ENGINE_STANDIN" && build_image Containerfile.gluetun "$GLUETUN_STANDIN"
}
probe_run() { podman run --rm --network none "$ENGINE_STANDIN" /bin/true 2>&1; }
build_images
if ! out=$(probe_run); then
    if echo "$out" | grep -q "hybrid" && [ "$(id -u)" -eq 0 ] && [ -z "${E2E_NO_INSTALL:-}" ]; then
        echo "  crun cannot run containers on this cgroup v1/v2 hybrid host: switching podman to runc"
        command -v runc >/dev/null 2>&1 || apt_install runc
        set_containers_conf engine runtime '"runc"'
        out=$(probe_run) || { echo "$out" >&2; fail "podman runs a container"; exit 1; }
    else
        echo "$out" >&2
        fail "podman runs a container"
        exit 1
    fi
fi
ok "stand-in images built and runnable ($ENGINE_STANDIN, $GLUETUN_STANDIN)"

# acegen
if [ -z "${ACEGEN:-}" ]; then
    ACEGEN="$ROOT/target/release/acegen"
    if [ ! -x "$ACEGEN" ]; then
        echo "  building acegen (cargo build --release)"
        (cd "$ROOT" && cargo build --release --quiet)
    fi
fi
ok "acegen: $ACEGEN"

# ---------------------------------------------------------------------------------------------
if [ "$EXAMPLES" = all ]; then
    EXAMPLES=""
    for d in "$EXAMPLES_DIR"/*/; do
        if [ -f "$d/.env" ]; then
            d=${d%/}
            EXAMPLES="$EXAMPLES ${d##*/}"
        fi
    done
    for ex in $REQUIRED_EXAMPLES; do
        case "$EXAMPLES " in
            *" $ex "*) ;;
            *) EXAMPLES="$EXAMPLES $ex" ;; # reported below as missing
        esac
    done
fi
run_check() { # NAME FOLDER [--grow]
    E2E_RETAG_FILE="$RETAG" "$PYTHON" "$HERE/check.py" --name "$1" --src "$2" --workdir "$WORK" \
        --acegen "$ACEGEN" --compose "$COMPOSE" --counts "$COUNTS" "${@:3}" ||
        fail "$1: checker crashed"
}
for ex in $EXAMPLES; do
    echo "== $ex"
    if [ ! -f "$EXAMPLES_DIR/$ex/.env" ]; then
        fail "example $ex: no $EXAMPLES_DIR/$ex/.env"
        continue
    fi
    grow=()
    [[ " $GROW_EXAMPLE " == *" $ex "* ]] && grow=(--grow)
    run_check "$ex" "$EXAMPLES_DIR/$ex" "${grow[@]}"
done

# scenarios of tests/e2e/scenarios/ (situations no example shows)
if [ -z "${E2E_NO_SCENARIOS:-}" ]; then
    for d in "$HERE"/scenarios/*/; do
        [ -f "$d/.env" ] || continue
        d=${d%/}
        echo "== scenario ${d##*/}"
        run_check "${d##*/}" "$d"
    done
fi
