#!/bin/sh
# Wall and CPU time of a baseline run on 1 and 2 MPI ranks with 1 and 2 threads each, and
# what each rank received (docs/scaling.md's table). Run it on a quiet machine.
# Usage: bench/mpi_scaling.sh [build/tenure] [WORLDS]
set -eu
program=${1:-build/tenure}
worlds=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_hwloc_base_binding_policy=none

printf '%6s %8s %8s %8s  %s\n' ranks threads wall_s cpu_s exchanged
run() {  # run RANKS THREADS
  launcher=""
  [ "$1" -gt 1 ] && launcher="mpirun -np $1"
  /usr/bin/time -f '%e %U %S' -o "$work/time" $launcher "$program" run scenarios/baseline.yaml \
    --paths "$worlds" --threads "$2" --out "$work/out" > /dev/null 2> "$work/err"
  read -r wall user system < "$work/time"
  printf '%6s %8s %8s %8.2f  %s\n' "$1" "$2" "$wall" "$(echo "$user + $system" | bc)" \
    "$(grep 'MPI ranks' "$work/err" || echo -)"
}
run 1 1
run 1 2
run 2 1
run 2 2
