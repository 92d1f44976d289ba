#!/usr/bin/env bash
# Validates what GitHub and pre-commit will read, with the tools' own validators (pinned,
# from PyPI, in a virtualenv under target/tools):
# - .github/workflows/*.yml against the GitHub workflow schema (check-jsonschema's
#   built-in vendor.github-workflows);
# - .pre-commit-hooks.yaml with `pre-commit validate-manifest` (check-jsonschema has no
#   built-in schema for hook manifests; pre-commit's own check is the authority);
# - every YAML snippet of README.md and docs/*.md that is a whole workflow (has `jobs:`)
#   or a pre-commit configuration (has `repos:`), so the documented snippets stay valid.
#
# Usage: bash scripts/ci/check-workflows.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
check_jsonschema_version=0.39.0
pre_commit_version=4.7.0
venv=target/tools/check-jsonschema-$check_jsonschema_version-pre-commit-$pre_commit_version
if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$check_jsonschema_version" "pre-commit==$pre_commit_version" >&2
fi

snippets=$(mktemp -d)
trap 'rm -rf "$snippets"' EXIT
# One file per fenced ```yaml block, named after where it is: docs_check.md-line215.yml
for doc in README.md docs/*.md; do
  awk -v out="$snippets/${doc//\//_}-line" '
    /^```ya?ml[[:space:]]*$/ { inside = 1; start = NR; file = out NR ".yml"; next }
    inside && /^```/ { inside = 0; next }
    inside { print > file }
  ' "$doc"
done
workflows=(.github/workflows/*.yml)
configs=()
for snippet in "$snippets"/*.yml; do
  [ -e "$snippet" ] || continue
  if grep -q '^jobs:' "$snippet"; then workflows+=("$snippet"); fi
  if grep -q '^repos:' "$snippet"; then configs+=("$snippet"); fi
done

echo "== GitHub workflows: ${workflows[*]}" >&2
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
echo "== pre-commit hook manifest: .pre-commit-hooks.yaml" >&2
"$venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml
if [ "${#configs[@]}" -gt 0 ]; then
  echo "== pre-commit configurations in the docs: ${configs[*]}" >&2
  "$venv/bin/pre-commit" validate-config "${configs[@]}"
fi
# The documented hook ids must exist in the manifest.
for config in "${configs[@]}"; do
  for id in $(sed -n 's/^ *- id: *//p' "$config"); do
    grep -q "^- id: $id\$" .pre-commit-hooks.yaml ||
      { echo "check-workflows.sh: $config uses hook $id, which .pre-commit-hooks.yaml does not define" >&2; exit 1; }
  done
done
# The documented pre-commit configuration, run for real by pre-commit against a stack made from
# its own snippet: this checkout's HEAD stands in for the release tag, and the `-system` flavour
# of each hook runs target/debug/acegen (the `-release` script is tested by tests/release_hook.rs).
if [ "${#configs[@]}" -gt 0 ] && [ -x target/debug/acegen ]; then
  stack="$snippets/stack"
  mkdir -p "$stack"
  sed -e "s|repo: https://github.com/acegen/acegen|repo: $(pwd)|" \
      -e "s|rev: v[0-9.]*|rev: $(git rev-parse HEAD)|" \
      -e 's|id: \(acegen-[a-z]*\)-release|id: \1-system|' "${configs[0]}" > "$stack/.pre-commit-config.yaml"
  printf 'MIN_REPLICAS=1\n' > "$stack/.env.example"
  (
    cd "$stack"
    git init --quiet && git add -A
    "$OLDPWD/target/debug/acegen" --env-file .env.example -o docker-compose.yml
    git add -A
    export PATH="$OLDPWD/target/debug:$PATH" PRE_COMMIT_HOME="$snippets/pre-commit-home"
    echo "== pre-commit run with the documented configuration (fresh stack: passes)" >&2
    "$OLDPWD/$venv/bin/pre-commit" run --all-files >&2
    printf 'MIN_REPLICAS=2\n' > .env.example
    git add -A
    echo "== the same after a change to .env.example (stale compose file: must fail)" >&2
    if "$OLDPWD/$venv/bin/pre-commit" run --all-files > "$snippets/stale.log" 2>&1; then
      cat "$snippets/stale.log" >&2
      echo "check-workflows.sh: the documented acegen-diff hook passed on a stale compose file" >&2
      exit 1
    fi
  )
else
  echo "== skipped running the documented pre-commit configuration: build target/debug/acegen first" >&2
fi
echo "check-workflows.sh: ok (${#workflows[@]} workflows, ${#configs[@]} pre-commit configurations)" >&2
