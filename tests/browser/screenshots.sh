#!/usr/bin/env bash
# Runs the baseline scenario as shipped, renders its report and saves one PNG per section.
#   screenshots.sh BUILD_DIR OUTPUT_DIR
set -euo pipefail
build=$1 out=$2
source=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/tenure" run "$source/scenarios/baseline.yaml" --out "$work/baseline" > /dev/null
[ -f "$work/baseline/report.html" ] || "$build/tenure_render_report" "$work/baseline" > /dev/null
node "$source/tests/browser/check_report.mjs" --screenshots "$out" "$work/baseline/report.html"
