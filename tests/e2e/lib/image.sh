# shellcheck shell=bash
# The container image of the repository's Dockerfile, built and used as a docker compose user
# would use it (sourced by tests/e2e/run.sh, which calls image_checks with its dockerd running).
#
# E2E_IMAGE_BINARY names the statically linked acegen to put in the image; it must lie under
# $ROOT/target/<target>/dist/ (the Dockerfile's .dockerignore lets nothing else into the build
# context). Unset: the image checks are skipped, with a line saying so.

ACEGEN_IMAGE=localhost/acegen-e2e/acegen:latest

# Shows a command's output under its FAIL line.
image_indent() {
    local line
    while IFS= read -r line; do echo "    $line"; done
}

image_checks() {
    echo "== [docker] the container image (Dockerfile)"
    if [ -z "${E2E_IMAGE_BINARY:-}" ]; then
        echo "  skipped: set E2E_IMAGE_BINARY to a static acegen under target/<target>/dist/ (see Dockerfile)"
        return 0
    fi
    local binary relative version stack out owner
    need_packages file binutils || { fail "file and binutils installed"; return 1; }
    binary=$(realpath "$E2E_IMAGE_BINARY")
    relative=${binary#"$ROOT"/}
    case "$relative" in
        target/*/dist/acegen) ;;
        *) fail "E2E_IMAGE_BINARY=$E2E_IMAGE_BINARY is not $ROOT/target/<target>/dist/acegen"; return 1 ;;
    esac
    # A FROM scratch image has no libc to load: the binary must need no loader at all (`file`
    # says static-pie or statically linked; no INTERP program header names a dynamic loader).
    if file -L "$binary" | grep -Eq 'static-pie linked|statically linked' &&
        ! readelf --program-headers "$binary" | grep -q INTERP; then
        ok "$relative is statically linked ($(file -L "$binary" | grep -Eo 'static(-pie|ally) linked'), no program interpreter)"
    else
        fail "$relative is not statically linked: $(file -L "$binary")"
        return 1
    fi
    # --no-cache: the image must come from this binary, never from an earlier build's layer.
    if "$DOCKER_CLI" build --quiet --no-cache --build-arg "ACEGEN=$relative" -t "$ACEGEN_IMAGE" "$ROOT" >"$WORK/image-build.log" 2>&1; then
        ok "docker build $ROOT (FROM scratch, no registry): $("$DOCKER_CLI" image inspect --format '{{.Size}}' "$ACEGEN_IMAGE") bytes"
    else
        cat "$WORK/image-build.log"
        fail "docker build of the Dockerfile"
        return 1
    fi
    # stdout only: this test's dockerd runs without IP forwarding, and the client warns about it.
    version=$("$binary" --version)
    out=$("$DOCKER_CLI" run --rm "$ACEGEN_IMAGE" --version 2>/dev/null) || true
    if [ "$out" = "$version" ]; then
        ok "docker run IMAGE --version: $out"
    else
        fail "docker run IMAGE --version printed \`$out\`, expected \`$version\`"
    fi

    # A stack folder that belongs to a user who is not root (uid 1000), as a user's folder would.
    stack="$WORK/image-stack"
    rm -rf "$stack"
    cp -r "$EXAMPLES_DIR/orchestrator" "$stack"
    rm "$stack/docker-compose.yml"
    chown -R 1000:1000 "$stack"
    chmod 755 "$stack"
    local as_user=(--rm --user 1000:1000 -v "$stack:/stack" -w /stack "$ACEGEN_IMAGE")

    if out=$("$DOCKER_CLI" run "${as_user[@]}" check 2>&1); then
        ok "docker run --user 1000:1000 -v \$PWD:/stack -w /stack IMAGE check"
    else
        image_indent <<<"$out"
        fail "docker run … IMAGE check exited non-zero"
    fi
    if "$DOCKER_CLI" run "${as_user[@]}" -o docker-compose.yml >"$WORK/image-run.log" 2>&1 &&
        [ -f "$stack/docker-compose.yml" ]; then
        owner=$(stat -c %u:%g "$stack/docker-compose.yml")
        if [ "$owner" = 1000:1000 ]; then
            ok "… IMAGE -o docker-compose.yml: the file belongs to the caller (1000:1000)"
        else
            fail "… IMAGE -o docker-compose.yml wrote a file owned by $owner, not the caller 1000:1000"
        fi
        if cmp -s "$stack/docker-compose.yml" "$EXAMPLES_DIR/orchestrator/docker-compose.yml"; then
            ok "… the file is examples/orchestrator/docker-compose.yml, byte for byte"
        else
            fail "… the file differs from examples/orchestrator/docker-compose.yml"
        fi
        if (cd "$stack" && "$DOCKER_CLI" compose config --quiet); then
            ok "… docker compose config reads it"
        else
            fail "… docker compose config refuses it"
        fi
    else
        cat "$WORK/image-run.log"
        fail "docker run … IMAGE -o docker-compose.yml"
    fi
    # Statically linked glibc still resolves names in an image without NSS modules or
    # nsswitch.conf (--forwarded-port-from http://gluetun:8000 on a compose network): localhost
    # comes from the /etc/hosts docker mounts, and port 9 refuses the connection.
    out=$("$DOCKER_CLI" run --rm --user 1000:1000 -v "$EXAMPLES_DIR/single-vpn-forwarded:/stack:ro" \
        "$ACEGEN_IMAGE" check --forwarded-port-from http://localhost:9/ 2>&1) || true
    if grep -q "localhost:9/: connection refused" <<<"$out"; then
        ok "names resolve in the image: --forwarded-port-from http://localhost:9/ gets connection refused"
    else
        image_indent <<<"$out"
        fail "--forwarded-port-from http://localhost:9/ in the image: expected connection refused"
    fi
    # The image's default user is nobody: forgetting --user must fail loudly, not leave a
    # root-owned file in the user's folder.
    rm -f "$stack/docker-compose.yml"
    if "$DOCKER_CLI" run --rm -v "$stack:/stack" -w /stack "$ACEGEN_IMAGE" -o docker-compose.yml >"$WORK/image-run.log" 2>&1; then
        fail "without --user the image wrote into a folder its user cannot write to"
    elif [ -e "$stack/docker-compose.yml" ]; then
        fail "without --user the run failed but left $(stat -c %u:%g "$stack/docker-compose.yml")-owned docker-compose.yml"
    else
        ok "without --user (nobody): refused, nothing written: $(tail -1 "$WORK/image-run.log" | cut -c1-120)"
    fi
    "$DOCKER_CLI" image rm "$ACEGEN_IMAGE" >/dev/null 2>&1 || true
}
