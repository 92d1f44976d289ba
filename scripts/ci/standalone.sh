#!/usr/bin/env bash
# The repository stands alone:
# 1. no tracked file outside .ci/ refers to the shared folder beside the repository
#    (the parent folder's `shared/`, where the project was first built);
# 2. a fresh `git clone` into an empty temporary folder runs the README's two set-up
#    commands: the first prints a compose file, the second (`cargo test`) passes.
# It clones the committed HEAD, so commit first. CARGO_TARGET_DIR points at this
# checkout's target/ so that dependencies are not rebuilt; the script checks that cargo
# compiled the clone's own sources.
#
# Usage: bash scripts/ci/standalone.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

# The pattern is spelled with a character class so that this file does not match itself.
shared_pattern='[.][.]/shared'
echo "== no tracked file outside .ci/ refers to the shared folder" >&2
if git grep -n -E "$shared_pattern" -- ':!.ci/'; then
  echo "standalone.sh: the files above read outside the repository; vendor what they need" >&2
  exit 1
fi

# The README's set-up commands: the code block under "## Set-up", comments stripped.
mapfile -t commands < <(awk '
  /^## Set-up/ { section = 1; next }
  section && /^```/ { if (inside) exit; inside = 1; next }
  inside { sub(/[ \t]+#.*$/, ""); if ($0 != "") print }
' README.md)
if [ "${#commands[@]}" -ne 2 ]; then
  echo "standalone.sh: expected two set-up commands in README.md, found ${#commands[@]}" >&2
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
clone="$scratch/acegen"
echo "== git clone into $clone (nothing beside it)" >&2
git clone --quiet "$repo" "$clone"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

run_in_clone() { # $1 = command; stdout to $scratch/out, stderr to $scratch/err
  echo "== in the clone: $1" >&2
  if ! (cd "$clone" && bash -c "$1") >"$scratch/out" 2>"$scratch/err"; then
    cat "$scratch/err" >&2
    echo "standalone.sh: \`$1\` failed in a fresh clone" >&2
    exit 1
  fi
  # The clone's sources, not this checkout's, must be the ones compiled.
  if ! grep -qF "Compiling acegen v" "$scratch/err" || ! grep -qF "($clone)" "$scratch/err"; then
    cat "$scratch/err" >&2
    echo "standalone.sh: cargo did not compile the clone's sources for \`$1\`" >&2
    exit 1
  fi
}

run_in_clone "${commands[0]}"
if ! grep -q '^services:' "$scratch/out"; then
  echo "standalone.sh: \`${commands[0]}\` printed no compose file:" >&2
  head -20 "$scratch/out" >&2
  exit 1
fi
run_in_clone "${commands[1]}"
awk '/^test result:/ { binaries++; passed += $4 }
     END { print "== cargo test in the clone: " passed " tests passed in " binaries " test binaries" }' \
  "$scratch/out" >&2
echo "standalone.sh: ok, a fresh clone builds, generates and passes its tests" >&2
