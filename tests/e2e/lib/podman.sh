# shellcheck shell=bash
# The podman runtime of tests/e2e/run.sh (sourced, not run): the system's rootful podman
# (Debian's package) with podman-compose >= 1.6 in a virtualenv. See README.md, "Podman findings".

VENV="${E2E_VENV:-/opt/acegen-e2e-venv}"
PODMAN_COMPOSE="$VENV/bin/podman-compose"
PROJECT_PREFIX=acegen-e2e-

# set_containers_conf SECTION KEY VALUE — in /etc/containers/containers.conf
set_containers_conf() {
    mkdir -p /etc/containers
    python3 - "$1" "$2" "$3" <<'EOF'
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

podman_compose_ok() {
    [ -x "$PODMAN_COMPOSE" ] && "$VENV/bin/python" - <<'EOF' 2>/dev/null
import importlib.metadata as m, sys
v = tuple(int(x) for x in m.version("podman-compose").split(".")[:2])
sys.exit(0 if v >= (1, 6) else 1)
EOF
}

# podman_build_image CONTAINERFILE TAG — rebuilt only when the inputs changed (hash in a label)
podman_build_image() {
    local old hash
    hash=$(image_inputs_hash)
    old=$(podman image inspect --format '{{.Id}} {{index .Labels "acegen-e2e.inputs"}}' "$2" 2>/dev/null || true)
    [ "${old#* }" != "$hash" ] || return 0
    podman build -q --format docker --label "acegen-e2e.inputs=$hash" -f "$IMAGE_CONTEXT/$1" -t "$2" \
        "$IMAGE_CONTEXT" >/dev/null
    [ -z "$old" ] || podman rmi "${old%% *}" >/dev/null 2>&1 || true
}

podman_setup() {
    local pkgs=(busybox-static)
    command -v podman >/dev/null 2>&1 || pkgs+=(podman)
    # `init: true` (the VPN watchdog of jopsis engines) is podman --init, which runs catatonit
    pkgs+=(catatonit)
    need_packages "${pkgs[@]}"
    if [ "$(id -u)" -eq 0 ] && [ -z "${E2E_NO_INSTALL:-}" ]; then
        # no default ulimits: they cannot be raised in this sandbox
        set_containers_conf containers default_ulimits "[]"
    fi
    if ! podman_compose_ok; then
        [ -z "${E2E_NO_INSTALL:-}" ] || { fail "podman-compose >= 1.6 in $VENV"; return 1; }
        echo "  installing podman-compose into $VENV"
        python3 -m venv "$VENV" >/dev/null 2>&1 || { apt_install python3-venv && python3 -m venv "$VENV"; }
        "$VENV/bin/pip" install -q --disable-pip-version-check 'podman-compose>=1.6'
    fi
    local pc_version
    pc_version=$("$PODMAN_COMPOSE" --version 2>/dev/null | awk '/podman-compose/ {print $3}')
    ok "podman $(podman --version | awk '{print $3}'), podman-compose $pc_version"
    RUNTIME_VERSIONS="$RUNTIME_VERSIONS; podman $(podman --version | awk '{print $3}') with podman-compose $pc_version"
    prepare_image_context
    if ! { podman_build_image Containerfile.engine "$ENGINE_STANDIN" &&
        podman_build_image Containerfile.gluetun "$GLUETUN_STANDIN" &&
        podman_build_image Containerfile.idle "$IDLE_STANDIN"; }; then
        fail "podman build"
        return 1
    fi
    local out
    if ! out=$(podman run --rm --network none "$ENGINE_STANDIN" /bin/true 2>&1); then
        # crun cannot create containers on cgroup v1/v2 hybrid hosts: switch to runc
        if echo "$out" | grep -q "hybrid" && [ "$(id -u)" -eq 0 ] && [ -z "${E2E_NO_INSTALL:-}" ]; then
            echo "  crun cannot run containers on this cgroup v1/v2 hybrid host: switching podman to runc"
            command -v runc >/dev/null 2>&1 || apt_install runc
            set_containers_conf engine runtime '"runc"'
            out=$(podman run --rm --network none "$ENGINE_STANDIN" /bin/true 2>&1) ||
                { echo "$out" >&2; fail "podman runs a container"; return 1; }
        else
            echo "$out" >&2
            fail "podman runs a container"
            return 1
        fi
    fi
    ok "stand-in images built and runnable"
}

# Containers, pods and networks of every project this script names (acegen-e2e-*), and the
# real image names the stand-ins borrowed given back. Safe to call more than once.
podman_stop() {
    command -v podman >/dev/null 2>&1 || return 0
    local ids name orig
    ids=$(podman ps -a --format '{{.ID}} {{index .Labels "io.podman.compose.project"}}' 2>/dev/null |
        awk -v p="$PROJECT_PREFIX" 'index($2, p) == 1 {print $1}')
    # shellcheck disable=SC2086 # one word per container ID
    [ -z "$ids" ] || podman rm -f -t 1 $ids >/dev/null 2>&1
    podman pod ls --format '{{.Name}}' 2>/dev/null | grep "^pod_$PROJECT_PREFIX" |
        while read -r pod; do podman pod rm -f "$pod" >/dev/null 2>&1; done
    podman network ls --format '{{.Name}}' 2>/dev/null | grep "^$PROJECT_PREFIX" |
        while read -r net; do podman network rm -f "$net" >/dev/null 2>&1; done
    if [ -f "$RETAG" ]; then
        while read -r name orig; do
            if [ "$orig" = "-" ]; then
                podman untag "$name" "$name" >/dev/null 2>&1
            else
                podman tag "$orig" "$name" >/dev/null 2>&1
            fi
        done <"$RETAG"
        : >"$RETAG"
    fi
    return 0
}

podman_examples() {
    E2E_RETAG_FILE="$RETAG" run_examples podman podman "$PODMAN_COMPOSE"
}
