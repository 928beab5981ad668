#!/usr/bin/env bash
# Runs every shipped scenario with 200 worlds and checks the report.html each run wrote in
# headless Chromium.
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
node "$source/tests/browser/check_report.mjs" --timeout 90 "${reports[@]}"
