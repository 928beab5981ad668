#!/usr/bin/env bash
# Runs every shipped scenario with 200 worlds, renders its report (unless the run wrote one)
# and checks all the reports in headless Chromium.
#   check_scenarios.sh TENURE RENDER_REPORT SOURCE_DIR
set -euo pipefail
tenure=$1 render=$2 source=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reports=()
for scenario in "$source"/scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$tenure" run "$scenario" --paths 200 --out "$work/$name" > /dev/null
  [ -f "$work/$name/report.html" ] || "$render" "$work/$name" > /dev/null
  reports+=("$work/$name/report.html")
done
node "$source/tests/browser/check_report.mjs" --timeout 90 "${reports[@]}"
