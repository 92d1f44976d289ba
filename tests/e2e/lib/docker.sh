# shellcheck shell=bash
# The Docker Engine runtime of tests/e2e/run.sh (sourced, not run): a private dockerd with its
# own socket, data root and exec root under $WORK/docker, Docker Compose v2 as its CLI plugin.
#
# dockerd runs with --iptables=false --ip-forward=false --ip-masq=false --bridge=none: it changes
# no firewall rule, sysctl or host interface except the bridges of the test's own compose
# networks (removed with them); published ports reach the containers through docker-proxy,
# which is all a 127.0.0.1 port needs.

DOCKER_DIR="$WORK/docker"
DOCKER_CLI=/usr/bin/docker # Debian's client, not another one earlier in PATH

docker_setup() {
    need_packages docker.io busybox-static
    local compose
    compose=$(bash "$ROOT/scripts/ci/install-compose.sh") || { fail "Docker Compose v2 installed"; return 1; }
    mkdir -p "$DOCKER_DIR/config/cli-plugins"
    ln -sf "$compose" "$DOCKER_DIR/config/cli-plugins/docker-compose"
    export DOCKER_CONFIG="$DOCKER_DIR/config"
    export DOCKER_HOST="unix://$DOCKER_DIR/docker.sock"
    # overlay2 where the kernel and the folder's file system allow it, else vfs (slow, always works)
    docker_start "${E2E_DOCKER_STORAGE:-overlay2}" || { docker_stop; docker_start vfs; } || {
        tail -20 "$DOCKER_DIR/dockerd.log" >&2
        fail "dockerd starts"
        return 1
    }
    ok "dockerd $("$DOCKER_CLI" version --format '{{.Server.Version}}') (storage driver $DOCKER_STORAGE," \
        "cgroup v$("$DOCKER_CLI" info --format '{{.CgroupVersion}}')), client $("$DOCKER_CLI" version --format '{{.Client.Version}}')," \
        "$("$DOCKER_CLI" compose version)"
    RUNTIME_VERSIONS="$RUNTIME_VERSIONS; Docker Engine $("$DOCKER_CLI" version --format '{{.Server.Version}}') with $("$DOCKER_CLI" compose version --short)"
    prepare_image_context
    local file tag
    for file in engine:$ENGINE_STANDIN gluetun:$GLUETUN_STANDIN idle:$IDLE_STANDIN orchestrator:$ORCHESTRATOR_STANDIN; do
        tag=${file#*:}
        "$DOCKER_CLI" build -q -f "$IMAGE_CONTEXT/Containerfile.${file%%:*}" -t "$tag" "$IMAGE_CONTEXT" >/dev/null ||
            { fail "docker build $tag"; return 1; }
    done
    "$DOCKER_CLI" run --rm --network none "$ENGINE_STANDIN" /bin/true ||
        { fail "docker runs a stand-in container"; return 1; }
    ok "stand-in images built and runnable ($ENGINE_STANDIN, $GLUETUN_STANDIN, $IDLE_STANDIN, $ORCHESTRATOR_STANDIN)"
}

# docker_start STORAGE_DRIVER — starts dockerd and waits (<= 30 s) until it answers.
docker_start() {
    DOCKER_STORAGE=$1
    mkdir -p "$DOCKER_DIR"
    echo "  starting dockerd (storage driver $1)"
    dockerd --host "$DOCKER_HOST" --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" \
        --pidfile "$DOCKER_DIR/dockerd.pid" --storage-driver "$1" \
        --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
        >>"$DOCKER_DIR/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    for _ in $(seq 150); do
        "$DOCKER_CLI" version >/dev/null 2>&1 && return 0
        kill -0 "$DOCKERD_PID" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# Removes everything the test made in its daemon, stops the daemon (and the containerd it
# started), unmounts what is left under $DOCKER_DIR. Safe to call more than once.
docker_stop() {
    [ -n "${DOCKERD_PID:-}" ] || return 0
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then
        local ids
        ids=$("$DOCKER_CLI" ps -aq 2>/dev/null)
        # shellcheck disable=SC2086 # one word per container ID
        [ -z "$ids" ] || "$DOCKER_CLI" rm -f $ids >/dev/null 2>&1
        "$DOCKER_CLI" network prune -f >/dev/null 2>&1
        kill "$DOCKERD_PID" 2>/dev/null
        for _ in $(seq 100); do
            kill -0 "$DOCKERD_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$DOCKERD_PID" 2>/dev/null || true
    fi
    wait "$DOCKERD_PID" 2>/dev/null || true
    DOCKERD_PID=
    # mounts dockerd left behind (overlay layers, network namespaces), deepest first
    awk -v dir="$DOCKER_DIR/" 'index($5, dir) == 1 {print $5}' /proc/self/mountinfo | sort -r |
        while read -r mnt; do umount -l "$mnt" 2>/dev/null; done
    # podman reads DOCKER_CONFIG too (for registry logins) and fails without its config.json
    unset DOCKER_CONFIG DOCKER_HOST
    return 0
}

docker_examples() {
    run_examples docker "$DOCKER_CLI" "$DOCKER_CLI compose"
}
