#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# acegen end-to-end test: the generated compose files of every example brought up on a real
# Docker Engine with Docker Compose v2 (a private dockerd this script starts and stops), against
# stand-in images built FROM scratch with Debian's static busybox. See tests/e2e/README.md.
#
#   bash tests/e2e/run.sh
#
# Environment (all optional):
#   E2E_RUNTIMES       runtimes to run, in order (default: "docker podman")
#   ACEGEN             acegen command (default: <repo>/target/release/acegen, built if missing)
#   E2E_EXAMPLES_DIR   folder holding the examples (default: <repo>/examples)
#   E2E_EXAMPLES       space-separated example names, or "all" (the default): every folder of
#                      E2E_EXAMPLES_DIR with a .env, which must include the REQUIRED_EXAMPLES
#   E2E_GROW_EXAMPLE   example(s) grown by one engine (docker: and shrunk back)
#                      (default: krinkuto11-amd64 single-vpn-forwarded)
#   E2E_LIFECYCLE_EXAMPLE  example(s) or scenario(s) for the VPN restart scenarios, docker only
#                      (default: single-vpn-forwarded vpn-unknown-forwarded-port)
#   E2E_DOCKER_STORAGE storage driver dockerd tries first (default: overlay2; vfs is the fallback)
#   E2E_VENV           virtualenv for podman-compose (default: /opt/acegen-e2e-venv)
#   E2E_NO_SCENARIOS=1 skip tests/e2e/scenarios/ (situations no example shows)
#   E2E_NO_INSTALL=1   never install anything; fail when something is missing
#   E2E_IMAGE_BINARY   a static acegen under target/<target>/dist/: the Dockerfile's image is
#                      built from it and used on an example (docker only; lib/image.sh)
#   E2E_ONLY_IMAGE=1   docker: the image checks only, no examples or scenarios
#   E2E_VERBOSE=1      print every command the checker runs
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
EXAMPLES_DIR="${E2E_EXAMPLES_DIR:-$ROOT/examples}"
REQUIRED_EXAMPLES="krinkuto11-amd64 jopsis-amd64 single-vpn-forwarded redundant-vpn"
GROW_EXAMPLES="${E2E_GROW_EXAMPLE:-krinkuto11-amd64 single-vpn-forwarded}"
LIFECYCLE_EXAMPLES="${E2E_LIFECYCLE_EXAMPLE:-single-vpn-forwarded vpn-unknown-forwarded-port}"
RUNTIMES="${E2E_RUNTIMES:-docker podman}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/acegen-e2e.XXXXXX")"
COUNTS="$WORK/counts"
RETAG="$WORK/retag"
: >"$COUNTS"
: >"$RETAG"
PASSED=0
FAILED=0
RUNTIME_VERSIONS=""
START=$(date +%s)

# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/docker.sh
. "$HERE/lib/docker.sh"
# shellcheck source=lib/podman.sh
. "$HERE/lib/podman.sh"
# shellcheck source=lib/image.sh
. "$HERE/lib/image.sh"

cleanup() {
    local rc=$?
    set +e
    docker_stop
    podman_stop
    if [ -f "$COUNTS" ]; then
        while read -r p f; do
            PASSED=$((PASSED + p))
            FAILED=$((FAILED + f))
        done <"$COUNTS"
    fi
    rm -rf "$WORK"
    echo "e2e finished in $(($(date +%s) - START)) s on ${RUNTIME_VERSIONS#; }"
    if [ "$rc" -ne 0 ] && [ "$FAILED" -eq 0 ]; then
        FAILED=1 # the script itself stopped on an error
    fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] || exit 1
    exit 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== setup"
if [ -z "${ACEGEN:-}" ]; then
    ACEGEN="$ROOT/target/release/acegen"
    if [ ! -x "$ACEGEN" ]; then
        echo "  building acegen (cargo build --release)"
        (cd "$ROOT" && cargo build --release --quiet)
    fi
fi
ok "acegen: $ACEGEN"

for runtime in $RUNTIMES; do
    case "$runtime" in
        docker | podman) ;;
        *) fail "unknown runtime $runtime (E2E_RUNTIMES: docker, podman)"; exit 1 ;;
    esac
    echo "== [$runtime] setup"
    runtime_start=$(date +%s)
    if "${runtime}_setup"; then
        if [ "$runtime" != docker ] || [ -z "${E2E_ONLY_IMAGE:-}" ]; then
            "${runtime}_examples"
        fi
        if [ "$runtime" = docker ]; then
            image_checks || true
        fi
    fi
    "${runtime}_stop" || true
    echo "== [$runtime] done in $(($(date +%s) - runtime_start)) s"
done
