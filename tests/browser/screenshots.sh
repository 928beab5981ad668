#!/usr/bin/env bash
# Runs the baseline scenario as shipped, renders its report and saves one PNG per section; then
# the same for the report fixture with every section (synthetic figures, to show the charts of
# sweep, stress, sensitivity and fit).
#   screenshots.sh BUILD_DIR OUTPUT_DIR
set -euo pipefail
build=$1 out=$2
source=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/tenure" run "$source/scenarios/baseline.yaml" --out "$work/baseline" > /dev/null
cp -r "$source/tests/fixtures/report/full" "$work/fixture"
"$build/tenure" report "$work/fixture" > /dev/null
node "$source/tests/browser/check_report.mjs" --screenshots "$out" \
  "$work/baseline/report.html" "$work/fixture/report.html"
