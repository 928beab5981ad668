#!/usr/bin/env bash
# Regenerates the golden results: every shipped scenario at a fixed seed and a small number
# of worlds. Run it (`make golden`) only in a commit that means to change the numbers, and
# say in that commit why they changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-build/tenure}
for scenario in scenarios/*.yaml; do
  stem=$(basename "$scenario" .yaml)
  out=$(mktemp -d)
  "$binary" run "$scenario" --paths 200 --seed 2026 --threads 2 --out "$out" --quiet
  mkdir -p "tests/golden/$stem"
  cp "$out/summary.json" "$out/periods.csv" "tests/golden/$stem/"
  rm -rf "$out"
done

# The statistical reference: the same scenarios at 2,000 worlds. Regenerate it only when the
# model's meaning changes; a change to how draws are made (stream keys, samplers) must
# instead agree with it within 4 standard errors (test Golden.AgreesWithTheStatisticalReference).
if [ "${2:-}" = "--reference" ]; then
  for scenario in scenarios/*.yaml; do
    stem=$(basename "$scenario" .yaml)
    out=$(mktemp -d)
    "$binary" run "$scenario" --paths 2000 --seed 2026 --threads 2 --out "$out" --quiet
    mkdir -p tests/golden/reference
    cp "$out/summary.json" "tests/golden/reference/$stem.json"
    rm -rf "$out"
  done
fi
