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
node "$source/tests/browser/check_report.mjs" --timeout 90 "${reports[@]}"
