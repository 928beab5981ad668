#!/usr/bin/env bash
# Rebuilds (tenure report) the report of each results folder under tests/fixtures/report/ (the result files of
# sweep, optimize, stress, sensitivity and fit, and the newer summary.json fields; optimize-1d/ and
# optimize-2d/ are real optimize.json files with their trace) in a scratch copy, and checks the
# reports in headless Chromium.
#   check_fixtures.sh TENURE SOURCE_DIR
set -euo pipefail
tenure=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reports=()
for fixture in "$source"/tests/fixtures/report/*/; do
  name=$(basename "$fixture")
  cp -r "$fixture" "$work/$name"
  "$tenure" report "$work/$name" > /dev/null
  reports+=("$work/$name/report.html")
done
node "$source/tests/browser/check_report.mjs" --timeout 90 "${reports[@]}"
