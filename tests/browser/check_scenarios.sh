#!/usr/bin/env bash
# Runs every shipped scenario with 200 worlds, and sweeps the one with a variable, and checks
# the report.html each run and sweep wrote in headless Chromium.
#   check_scenarios.sh TENURE SOURCE_DIR
set -euo pipefail
tenure=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reports=()
for scenario in "$source"/scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$tenure" run "$scenario" --paths 200 --quiet --out "$work/$name"
  reports+=("$work/$name/report.html")
done
"$tenure" sweep "$source/scenarios/split-sweep.yaml" --set a=0:1:5 --paths 100 --quiet \
  --out "$work/split-sweep-sweep"
reports+=("$work/split-sweep-sweep/report.html")
# Two variables make a heat map: the split's platinum retention weight becomes the variable w.
sed -e 's/^  a: {value: 0.5, min: 0, max: 1}$/&\n  w: {value: 4, min: 1, max: 8}/' \
  -e '0,/retention_weights: {platinum: 4,/s//retention_weights: {platinum: $w,/' \
  "$source/scenarios/split-sweep.yaml" > "$work/two-levers.yaml"
"$tenure" sweep "$work/two-levers.yaml" --set a=0:1:4 --set w=1:8:3 --paths 50 --quiet \
  --out "$work/two-levers-sweep"
reports+=("$work/two-levers-sweep/report.html")
node "$source/tests/browser/check_report.mjs" --timeout 90 "${reports[@]}"
