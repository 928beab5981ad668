#!/usr/bin/env bash
# The clang fuzz build and its runs (docs/hardening.md).
#   fuzz.sh test SECONDS   build the fuzzers, run each SECONDS from the seed corpus (ctest
#                          fuzz_short); exits 77 when clang or libFuzzer is missing
#   fuzz.sh run SECONDS    build, run each SECONDS on the working corpus (make fuzz)
#   fuzz.sh replay         build, run every shipped scenario through the clang-sanitized
#                          tenure and every corpus input through its fuzzer (make sanitize)
# FUZZ_DIR (default build-fuzz) is the build folder, FUZZ_WORK (default tests/fuzz/work, not
# in git) keeps the inputs a long run found and the crashes it saved.
set -euo pipefail
source=$(cd "$(dirname "$0")/../.." && pwd)
fuzz_dir=${FUZZ_DIR:-$source/build-fuzz}
work=${FUZZ_WORK:-$source/tests/fuzz/work}
harnesses=(scenario cohort_csv)
mode=${1:?usage: fuzz.sh test|run SECONDS, or fuzz.sh replay}

# Stops with 77 (ctest's skip) and the reason when clang cannot build a fuzzer here.
require_libfuzzer() {
  if ! command -v clang++ > /dev/null; then
    echo "SKIPPED: clang++ is not installed (make test installs clang and libclang-rt-14-dev)"
    exit 77
  fi
  local probe
  probe=$(mktemp -d)
  if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
    clang++ -x c++ -fsanitize=fuzzer - -o "$probe/probe" 2> "$probe/log"; then
    echo "SKIPPED: clang++ cannot link libFuzzer (install libclang-rt-14-dev):"
    cat "$probe/log"
    rm -rf "$probe"
    exit 77
  fi
  rm -rf "$probe"
}

# Configures (the first time) and builds the given targets, one build at a time.
build() {
  mkdir -p "$fuzz_dir"
  exec 9> "$fuzz_dir/.build-lock"
  flock 9
  if [ ! -f "$fuzz_dir/CMakeCache.txt" ]; then
    cmake -S "$source" -B "$fuzz_dir" -DCMAKE_CXX_COMPILER=clang++ -DTENURE_FUZZ=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$fuzz_dir/configure.log" ||
      { cat "$fuzz_dir/configure.log"; exit 1; }
  fi
  cmake --build "$fuzz_dir" -j "$(nproc)" --target "$@" > "$fuzz_dir/build.log" ||
    { tail -n 60 "$fuzz_dir/build.log"; exit 1; }
  flock -u 9
}

# libFuzzer's flags for one harness: one input at most 10 s and 2 GiB, at most 16 KiB long,
# its YAML or CSV dictionary. Error exit codes are 1: 77 would read as a skip to ctest.
fuzz_flags() {
  local dict=$source/tests/fuzz/$1.dict
  echo -rss_limit_mb=2048 -timeout=10 -max_len=16384 -error_exitcode=1 -timeout_exitcode=1 \
    -print_final_stats=1 "-dict=$dict"
}

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Runs one fuzzer for $2 seconds, new inputs into $3, crashes into $4; prints the count of
# executions and, on a finding, the log's tail and the saved input.
fuzz_one() {
  local harness=$1 seconds=$2 corpus=$3 artifacts=$4 log
  mkdir -p "$corpus" "$artifacts"
  log=$artifacts/$harness.log
  local status=0
  # shellcheck disable=SC2046
  "$fuzz_dir/fuzz_$harness" $(fuzz_flags "$harness") -max_total_time="$seconds" \
    -artifact_prefix="$artifacts/$harness-" "$corpus" "$source/tests/fuzz/corpus/$harness" \
    > "$log" 2>&1 || status=$?
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "fuzz_$harness: ${runs:-?} executions in ${seconds} s; $corpus holds $(find "$corpus" -type f | wc -l) inputs"
  if [ "$status" -ne 0 ]; then
    echo "fuzz_$harness FOUND A PROBLEM (exit $status); log $log:"
    grep -v '^#[0-9]' "$log" | tail -n 80
    for input in "$artifacts/$harness"-*; do
      [ -f "$input" ] || continue
      echo "input saved as $input; base64:"
      base64 "$input"
    done
    return 1
  fi
}

case $mode in
  test | run)
    seconds=${2:?usage: fuzz.sh $mode SECONDS}
    require_libfuzzer
    build "${harnesses[@]/#/fuzz_}"
    failed=0
    if [ "$mode" = test ]; then
      scratch=$(mktemp -d)
      trap 'rm -rf "$scratch"' EXIT
      for h in "${harnesses[@]}"; do
        rm -f "$fuzz_dir/artifacts/$h"-*  # only this run's findings are shown
        fuzz_one "$h" "$seconds" "$scratch/corpus-$h" "$fuzz_dir/artifacts" || failed=1
      done
    else
      for h in "${harnesses[@]}"; do
        fuzz_one "$h" "$seconds" "$work/corpus-$h" "$work/artifacts" || failed=1
      done
    fi
    exit "$failed"
    ;;
  replay)
    require_libfuzzer
    build tenure "${harnesses[@]/#/fuzz_}"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    for scenario in "$source"/scenarios/*.yaml; do
      name=$(basename "$scenario" .yaml)
      "$fuzz_dir/tenure" validate "$scenario"
      "$fuzz_dir/tenure" run "$scenario" --paths 300 --threads 2 --out "$scratch/$name" > /dev/null
      echo "$name: ran 300 worlds under clang's sanitizers"
    done
    for h in "${harnesses[@]}"; do
      # shellcheck disable=SC2046
      "$fuzz_dir/fuzz_$h" $(fuzz_flags "$h") "$source/tests/fuzz/corpus/$h"/* \
        > "$scratch/$h.log" 2>&1 || { tail -n 80 "$scratch/$h.log"; exit 1; }
      echo "fuzz_$h: replayed $(find "$source/tests/fuzz/corpus/$h" -type f | wc -l) corpus inputs"
    done
    ;;
  *)
    echo "usage: fuzz.sh test|run SECONDS, or fuzz.sh replay" >&2
    exit 2
    ;;
esac
