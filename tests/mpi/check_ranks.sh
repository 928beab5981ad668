#!/bin/bash
# The same run on 1, 2 and 3 MPI ranks (oversubscribed on a small machine) with 1 and 2
# threads each: every output file byte-identical to one process's. Then failures: a bad
# scenario is reported once and every rank exits non-zero; a rank refusing to start (its own
# memory guard) or killed mid-run ends the whole job with no results written.
#
# Usage: check_ranks.sh TENURE_PROGRAM SOURCE_DIR
# Exit 77 (skipped) when the program was built without MPI or mpirun is missing.
set -u
tenure=$1
source_dir=$2
scenario=$source_dir/tests/mpi/every-mechanism.yaml
mpirun=$(command -v mpirun) || { echo "skipped: no mpirun"; exit 77; }
"$tenure" --version | grep -q "with MPI" || { echo "skipped: $tenure built without MPI"; exit 77; }
# Root in containers; several ranks on two cores; no rank pinned to one core, so that each
# can run two threads.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_hwloc_base_binding_policy=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Files of a results folder, one per line, for comparing two folders' lists.
listing() { (cd "$1" && ls -A); }

same_results() {  # REFERENCE_FOLDER FOLDER LABEL
  if [ "$(listing "$1")" != "$(listing "$2")" ]; then
    fail "$3: files differ: $(listing "$2" | tr '\n' ' ')"
    return
  fi
  for file in $(listing "$1"); do
    cmp -s "$1/$file" "$2/$file" || fail "$3: $file differs from one process's"
  done
}

# One process, no MPI at all, is the reference. Each run writes to LABEL/results, as the
# report names its folder.
run_args=(run "$scenario" --paths 300 --seed 11 --worlds --quiet)
"$tenure" "${run_args[@]}" --threads 1 --out "$work/single/results" || fail "one process failed"
for ranks in 1 2 3; do
  for threads in 1 2; do
    out=$work/run-$ranks-$threads/results
    "$mpirun" -np "$ranks" "$tenure" "${run_args[@]}" --threads "$threads" --out "$out" \
      || fail "$ranks ranks x $threads threads: exit $?"
    same_results "$work/single/results" "$out" "run on $ranks ranks x $threads threads"
  done
done

# Runs `tenure ARGS...` as one process and on 2 ranks, each from a folder of its own into
# `results` (a study's report is titled with its folder as given), and compares every file.
same_on_two_ranks() {  # LABEL ARGS...
  local label=$1
  shift
  mkdir -p "$work/$label-single" "$work/$label-2"
  (cd "$work/$label-single" && "$tenure" "$@" --out results) || fail "$label on one process failed"
  (cd "$work/$label-2" && "$mpirun" -np 2 "$tenure" "$@" --threads 1 --out results) \
    || fail "$label on 2 ranks: exit $?"
  same_results "$work/$label-single/results" "$work/$label-2/results" "$label on 2 ranks"
}

# Beyond the first 10,000 worlds only the sums of the series are kept, folded in blocks of
# 1,024 worlds: one whole block and a partial one.
same_on_two_ranks big run "$source_dir/scenarios/baseline.yaml" --paths 11300 --seed 2 --quiet
# A reverse stress test searches over multipliers; every rank must take the same steps.
same_on_two_ranks stress stress "$scenario" --vary churn --metric prob_negative --limit 0.2 \
  --paths 120 --seed 5 --quiet
# A sweep and an optimisation: every point on the same worlds, each shared over the ranks.
same_on_two_ranks sweep sweep "$source_dir/scenarios/split-sweep.yaml" --set a=0.3:0.9:4 \
  --paths 300 --seed 3 --quiet
same_on_two_ranks optimize optimize "$source_dir/scenarios/split-sweep.yaml" --over a \
  --paths 300 --seed 3 --quiet

# A bad scenario: reported once (by rank 0), every rank exits non-zero (each rank's code
# logged, with the launcher told not to end the job at the first), nothing written.
sed 's/^horizon: 20/horizon: twenty/' "$scenario" > "$work/bad.yaml"
"$mpirun" --mca orte_abort_on_non_zero_status 0 -np 2 bash -c \
  "'$tenure' run '$work/bad.yaml' --out '$work/bad'; echo \$? >> '$work/bad.codes'" \
  > "$work/bad.log" 2>&1
[ "$(sort "$work/bad.codes" | tr '\n' ' ')" = "2 2 " ] \
  || fail "bad scenario: exit codes of the ranks $(tr '\n' ' ' < "$work/bad.codes"), not 2 and 2"
[ "$(grep -c 'nothing was run' "$work/bad.log")" = 1 ] \
  || fail "bad scenario: not reported exactly once: $(cat "$work/bad.log")"
grep -q "bad.yaml:[0-9]*:[0-9]*: .*horizon" "$work/bad.log" \
  || fail "bad scenario: no FILE:LINE:COLUMN message naming horizon"
[ ! -e "$work/bad" ] || fail "bad scenario: a results folder was written"

# Rank 1's memory guard refuses 20 million worlds (9 GB of per-world figures) under an
# address-space limit of 2 GB on it alone, whatever rank 0's says: the job ends, with the
# reason, before any work.
baseline=$source_dir/scenarios/baseline.yaml
"$mpirun" -np 1 "$tenure" run "$baseline" --paths 20000000 --out "$work/memory" : \
  -np 1 bash -c "ulimit -v 2000000; exec '$tenure' run '$baseline' --paths 20000000 --out '$work/memory'" \
  > "$work/memory.log" 2>&1
[ $? -ne 0 ] || fail "memory guard on one rank: the job succeeded"
grep -q "worlds need about" "$work/memory.log" \
  || fail "memory guard on one rank: no reason given: $(head -5 "$work/memory.log")"
[ ! -e "$work/memory" ] || fail "memory guard on one rank: a results folder was written"

# A rank killed mid-run: the launcher ends the job and no results appear.
"$mpirun" -np 2 "$tenure" run "$baseline" --paths 400000 --threads 1 --quiet --out "$work/killed" \
  > "$work/killed.log" 2>&1 &
launcher=$!
victim=
for _ in $(seq 100); do
  for pid in $(pgrep -f -- "--out $work/killed"); do
    tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" \
      && victim=$pid
  done
  [ -n "$victim" ] && break
  sleep 0.1
done
sleep 1
if [ -n "$victim" ]; then kill -9 "$victim"; else fail "killed rank: rank 1 never started"; fi
wait "$launcher"
[ $? -ne 0 ] || fail "killed rank: the job succeeded"
[ ! -e "$work/killed" ] || fail "killed rank: a results folder was written"
[ -z "$(ls -A "$work" | grep -v -E '^(single|run-|big-|stress-|sweep-|optimize-|bad\.|memory\.log|killed\.log)')" ] \
  || fail "temporary files left: $(ls -A "$work")"

[ $failures -eq 0 ] && echo "ok: MPI runs identical to one process; failures end the job"
exit $((failures > 0))
