#!/bin/sh
# Wall and CPU time of the program against worlds, horizon, customers and threads, on
# variants of scenarios/baseline.yaml (the README's scaling table). Each run once, one after
# another: run it on a quiet machine. Usage: bench/scaling.sh [build/tenure]
set -eu
program=${1:-build/tenure}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base=scenarios/baseline.yaml

# variant NAME SED-SCRIPT: a copy of the baseline edited by the script.
variant() {
  sed "$2" "$base" > "$work/$1.yaml"
}
variant base ''
variant horizon18 's/^horizon: 36 /horizon: 18 /'
variant horizon72 's/^horizon: 36 /horizon: 72 /'
variant customers10 's/initial_customers: \([0-9]*\)/initial_customers: \10/'

printf '%-12s %8s %8s %8s %8s\n' scenario worlds threads wall_s cpu_s
run() {  # run SCENARIO WORLDS THREADS
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$program" run "$work/$1.yaml" --paths "$2" \
    --threads "$3" --quiet --out "$work/out" > /dev/null
  read -r wall user system < "$work/time"
  printf '%-12s %8s %8s %8s %8.2f\n' "$1" "$2" "$3" "$wall" "$(echo "$user + $system" | bc)"
}
for worlds in 2500 5000 10000; do run base "$worlds" 1; done
run horizon18 5000 1
run horizon72 5000 1
run customers10 5000 1
run base 5000 2
run base 10000 2
