# shellcheck shell=bash
# Shared by tests/e2e/run.sh and the runtime files next to this one (sourced, not run).
# Expects HERE, ROOT, WORK, PASSED, FAILED to be set by run.sh.

ENGINE_STANDIN=localhost/acegen-e2e/engine:latest
GLUETUN_STANDIN=localhost/acegen-e2e/gluetun:latest
IDLE_STANDIN=localhost/acegen-e2e/idle:latest
ORCHESTRATOR_STANDIN=localhost/acegen-e2e/orchestrator:latest

ok() { PASSED=$((PASSED + 1)); echo "  ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "  FAIL $*"; }

# apt_install PACKAGE... — as root and unless E2E_NO_INSTALL is set; apt-get update once per run.
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

# need_packages PACKAGE... — installs the Debian packages that are not installed yet.
need_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "  installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

# The build context of the stand-in images: Debian's static busybox and its applets as the root
# file system, plus the scripts and Containerfiles of images/.
IMAGE_CONTEXT="$WORK/image-context"
prepare_image_context() {
    [ -d "$IMAGE_CONTEXT" ] && return 0
    local ctx="$IMAGE_CONTEXT" applet
    mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/tmp" "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc"
    cp /bin/busybox "$ctx/rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$ctx/rootfs/bin/$applet"
    done
    chmod 1777 "$ctx/rootfs/tmp"
    echo "root:x:0:0:root:/root:/bin/sh" >"$ctx/rootfs/etc/passwd"
    echo "root:x:0:" >"$ctx/rootfs/etc/group"
    cp "$HERE/images/"* "$ctx/"
    chmod 755 "$ctx/acestreamengine" "$ctx/python" "$ctx/gluetun-entrypoint" "$ctx/idle" "$ctx/orchestrator"
}
# Changes whenever the scripts, Containerfiles or busybox change.
image_inputs_hash() { cat "$HERE/images/"* /bin/busybox | sha256sum | cut -c1-16; }

# The examples to bring up: E2E_EXAMPLES, or every folder of EXAMPLES_DIR with a .env (which
# must include REQUIRED_EXAMPLES: a missing one is reported by run_examples).
list_examples() {
    local d ex list=""
    if [ "${E2E_EXAMPLES:-all}" != all ]; then
        echo "$E2E_EXAMPLES"
        return
    fi
    for d in "$EXAMPLES_DIR"/*/; do
        d=${d%/}
        [ -f "$d/.env" ] && list="$list ${d##*/}"
    done
    for ex in $REQUIRED_EXAMPLES; do
        case "$list " in
            *" $ex "*) ;;
            *) list="$list $ex" ;;
        esac
    done
    echo "$list"
}

# run_examples RUNTIME CLI COMPOSE — check.py on every example, then every scenario folder.
run_examples() {
    local runtime=$1 cli=$2 compose=$3 ex d extra
    for ex in $(list_examples); do
        echo "== [$runtime] $ex"
        if [ ! -f "$EXAMPLES_DIR/$ex/.env" ]; then
            fail "example $ex: no $EXAMPLES_DIR/$ex/.env"
            continue
        fi
        extra=()
        [[ " $GROW_EXAMPLES " == *" $ex "* ]] && extra+=(--grow)
        [[ " $LIFECYCLE_EXAMPLES " == *" $ex "* ]] && extra+=(--lifecycle)
        run_check "$runtime" "$cli" "$compose" "$ex" "$EXAMPLES_DIR/$ex" "${extra[@]}"
    done
    [ -z "${E2E_NO_SCENARIOS:-}" ] || return 0
    for d in "$HERE"/scenarios/*/; do
        [ -f "$d/.env" ] || continue
        d=${d%/}
        echo "== [$runtime] scenario ${d##*/}"
        extra=()
        [[ " $LIFECYCLE_EXAMPLES " == *" ${d##*/} "* ]] && extra+=(--lifecycle)
        run_check "$runtime" "$cli" "$compose" "${d##*/}" "$d" "${extra[@]}"
    done
}

run_check() { # RUNTIME CLI COMPOSE NAME FOLDER [--grow] [--lifecycle]
    python3 "$HERE/check.py" --runtime "$1" --cli "$2" --compose "$3" --name "$4" --src "$5" \
        --workdir "$WORK/examples-$1" --acegen "$ACEGEN" --counts "$COUNTS" "${@:6}" ||
        fail "$4: checker crashed"
}
