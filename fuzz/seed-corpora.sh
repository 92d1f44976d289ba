#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs for `cargo fuzz run`
# from the examples, the reference inputs and the starters (docs/development/fuzzing.md).
# The corpora grow while fuzzing and are not committed; the regression
# corpus (fuzz/corpus/regressions/) is.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/env_reader corpus/custom_variant_reader corpus/pipeline
envs=(../examples/*/.env ../tests/fixtures/reference/orchestrator.env.example ../templates/starter.env)
jsons=(../examples/*/custom_engine_variant.json ../tests/fixtures/reference/orchestrator.custom_engine_variant.json
       ../templates/starter.custom_engine_variant.json)
n=0
for env in "${envs[@]}"; do
  n=$((n + 1))
  cp "$env" "corpus/env_reader/seed-$n"
  cp "$env" "corpus/pipeline/seed-$n"
  for json in "${jsons[@]}"; do
    n=$((n + 1))
    { cat "$env"; printf '\0'; cat "$json"; } > "corpus/pipeline/seed-$n"
  done
done
for json in "${jsons[@]}"; do
  n=$((n + 1))
  cp "$json" "corpus/custom_variant_reader/seed-$n"
done
for case in corpus/regressions/*/; do
  # Open findings (fixed on another branch) would stop libFuzzer at once.
  grep -q '^status: open' "$case/finding.txt" && continue
  [ -f "$case/.env" ] && cp "$case/.env" "corpus/env_reader/regression-$(basename "$case")"
  [ -f "$case/custom_engine_variant.json" ] &&
    cp "$case/custom_engine_variant.json" "corpus/custom_variant_reader/regression-$(basename "$case")"
done
echo "seeded fuzz/corpus/{env_reader,custom_variant_reader,pipeline}"
