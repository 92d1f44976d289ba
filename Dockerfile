# acegen as a container image, for users of docker compose who have no Rust toolchain.
#
# The image holds one statically linked binary and nothing else (FROM scratch: no shell, no
# libc, no package manager). The binary is built on the host, not in a build stage: a build
# stage would pull a Rust image from a registry, and this Dockerfile is built where no registry
# is reachable (the end-to-end run builds it with its own dockerd), so `docker build` needs
# nothing but the binary. Build it first, statically linked against glibc:
#
#   RUSTFLAGS='-C target-feature=+crt-static' \
#     cargo build --profile dist --locked --target x86_64-unknown-linux-gnu
#   docker build -t acegen .
#
# (another architecture: its own `--target`, and `--build-arg ACEGEN=target/<target>/dist/acegen`).
# Use it from the stack's folder as the caller, so that the files it writes are yours, not root's:
#
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/stack" -w /stack acegen check
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/stack" -w /stack acegen -o docker-compose.yml
#
# Without --user it runs as nobody (65534), which cannot write into your folder: an error, never
# a root-owned file. docs/install.md has the details; tests/e2e/lib/image.sh proves both commands.
FROM scratch
ARG ACEGEN=target/x86_64-unknown-linux-gnu/dist/acegen
COPY LICENSE /LICENSE
COPY ${ACEGEN} /acegen
USER 65534:65534
WORKDIR /stack
ENTRYPOINT ["/acegen"]
LABEL org.opencontainers.image.title="acegen" \
      org.opencontainers.image.description="Compile an AceStream orchestrator .env into a docker-compose.yml" \
      org.opencontainers.image.source="https://github.com/acegen/acegen" \
      org.opencontainers.image.licenses="MIT"
