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
  "$binary" run "$scenario" --paths 200 --seed 2026 --threads 2 --out "$out" > /dev/null
  mkdir -p "tests/golden/$stem"
  cp "$out/summary.json" "$out/periods.csv" "tests/golden/$stem/"
  rm -rf "$out"
done
