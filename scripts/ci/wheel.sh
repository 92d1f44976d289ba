#!/usr/bin/env bash
# The Python wheel (pyproject.toml: maturin's `bin` binding, Cargo.toml's `dist` profile), built
# and then proven as a user without Rust would use it: installed into a fresh virtual
# environment, its `acegen` on PATH prints the version of Cargo.toml and, on
# examples/orchestrator, `check` passes, `diff` finds the committed file up to date and
# `-o` writes exactly that file.
#
# maturin is pinned and installed from PyPI into target/tools. The binary is the static one of
# .ci/run (RUSTFLAGS='-C target-feature=+crt-static', --target x86_64-unknown-linux-gnu): when
# `cargo build --profile dist` with the same flags ran first, maturin finds it up to date and
# only packs it (the script prints whether cargo compiled anything).
#
# Usage: bash scripts/ci/wheel.sh          # prints the wheel's path last
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
maturin_version=1.16.0
target=${ACEGEN_TARGET:-x86_64-unknown-linux-gnu}
export RUSTFLAGS=${RUSTFLAGS:--C target-feature=+crt-static}

venv=target/tools/maturin-$maturin_version
if [ ! -x "$venv/bin/maturin" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "maturin==$maturin_version" >&2
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== maturin $maturin_version build (profile and --locked from pyproject.toml, --target $target, RUSTFLAGS=$RUSTFLAGS)" >&2
"$venv/bin/maturin" build --target "$target" --out "$scratch/wheels" 2>"$scratch/build.log" ||
  { cat "$scratch/build.log" >&2; echo "wheel.sh: maturin build failed" >&2; exit 1; }
grep -E '^ *(Compiling|Finished)|Built wheel' "$scratch/build.log" >&2 || true
wheels=("$scratch"/wheels/acegen-*.whl)
if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then
  echo "wheel.sh: expected one wheel, found: ${wheels[*]}" >&2
  exit 1
fi
wheel=${wheels[0]}
echo "== wheel: ${wheel##*/} ($(du -k "$wheel" | cut -f1) KB)" >&2

echo "== a fresh virtual environment, the wheel installed with pip (no index: nothing else needed)" >&2
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
acegen=$scratch/venv/bin/acegen
[ -x "$acegen" ] || { echo "wheel.sh: the wheel installed no $acegen" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
echo "== acegen --version (Cargo.toml says $version)" >&2
printed=$(PATH="$scratch/venv/bin:/usr/bin:/bin" acegen --version)
echo "$printed" >&2
[ "$printed" = "acegen $version" ] ||
  { echo "wheel.sh: the installed acegen printed \`$printed\`, expected \`acegen $version\`" >&2; exit 1; }

echo "== generate and check on examples/orchestrator with the installed acegen" >&2
stack="$scratch/stack"
cp -r examples/orchestrator "$stack"
(
  cd "$stack"
  export PATH="$scratch/venv/bin:/usr/bin:/bin"
  acegen check
  # The warnings check printed come again from diff and -o: shown only if these fail.
  acegen diff docker-compose.yml >/dev/null 2>"$scratch/diff.log" ||
    { cat "$scratch/diff.log" >&2; echo "wheel.sh: \`acegen diff\` says the committed examples/orchestrator/docker-compose.yml is stale" >&2; exit 1; }
  rm docker-compose.yml
  acegen -o docker-compose.yml 2>"$scratch/generate.log" ||
    { cat "$scratch/generate.log" >&2; echo "wheel.sh: \`acegen -o docker-compose.yml\` failed" >&2; exit 1; }
)
cmp "$stack/docker-compose.yml" "$repo/examples/orchestrator/docker-compose.yml" ||
  { echo "wheel.sh: the installed acegen wrote another file than examples/orchestrator/docker-compose.yml" >&2; exit 1; }

mkdir -p target/wheels
cp "$wheel" target/wheels/
echo "wheel.sh: ok, the wheel installs into a fresh virtual environment and its acegen works" >&2
echo "target/wheels/${wheel##*/}"
