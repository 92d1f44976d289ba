#!/usr/bin/env bash
# Installs PyPI's kubernetes-validate (pinned) into a virtualenv under target/tools.
# With no argument, prints the path of its executable (for ACEGEN_KUBERNETES_VALIDATE);
# with files, validates them strictly (no unknown fields) against the Kubernetes version
# acegen states (src/render/kubernetes/mod.rs: KUBERNETES_VERSION).
#
# Usage: ACEGEN_KUBERNETES_VALIDATE=$(bash scripts/ci/kubernetes-validate.sh)
#        bash scripts/ci/kubernetes-validate.sh examples/kubernetes/*/manifests/*-*.yaml
set -euo pipefail
cd "$(dirname "$0")/../.."
version=1.37.0
kubernetes=1.33.0
venv=target/tools/kubernetes-validate-$version
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$version" >&2
fi
binary="$(pwd)/$venv/bin/kubernetes-validate"
if [ $# -eq 0 ]; then
  echo "$binary"
else
  cd - >/dev/null
  exec "$binary" --strict -k "$kubernetes" "$@"
fi
