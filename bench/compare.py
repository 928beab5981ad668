#!/usr/bin/python3
"""Runs the program and its NumPy reference (bench/numpy_reference.py) alternately on the same
scenario, worlds, periods and policies; checks that their means agree and compares their
wall and CPU times. Used by `make bench-compare`.

Each round r runs both sides with seed `seed + r`, so every round is an independent check.
For every policy and metric the two means must agree within 4 combined standard errors,
sqrt(se_program^2 + se_reference^2), in each round and pooled over the rounds; otherwise
the script exits with status 1. CPU time is the user plus system time of the child process
(os.wait4), so it counts the work of every thread the program runs.
"""

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
METRICS = ("npv", "customers_end", "profit", "equity_end")
TOLERANCE_SE = 4.0


def run_timed(command, log_path):
    """Runs `command` with its output in `log_path`; returns (wall s, CPU s, exit status)."""
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return wall, usage.ru_utime + usage.ru_stime, child.returncode


def means_by_policy(summary):
    """{policy: {metric: (mean, se)}} from summary.json or the reference's output."""
    return {p["name"]: {m: (p["metrics"][m]["mean"], p["metrics"][m]["se"]) for m in METRICS}
            for p in summary["policies"]}


def run_program(args, seed, out_dir):
    command = [args.program, "run", args.scenario, "--paths", str(args.paths), "--seed", str(seed),
               "--out", out_dir]
    if args.threads:
        command += ["--threads", str(args.threads)]
    wall, cpu, status = run_timed(command, os.path.join(out_dir + ".log"))
    if status != 0:
        sys.exit(f"the program failed (status {status}); see {out_dir}.log")
    with open(os.path.join(out_dir, "summary.json"), encoding="utf-8") as f:
        return wall, cpu, means_by_policy(json.load(f))


def run_reference(args, seed, out_path):
    command = [sys.executable, os.path.join(HERE, "numpy_reference.py"), args.scenario,
               "--paths", str(args.paths), "--seed", str(seed)]
    wall, cpu, status = run_timed(command, out_path)
    with open(out_path, encoding="utf-8") as f:
        text = f.read()
    if status != 0:
        sys.exit(f"the NumPy reference failed (status {status}):\n{text}")
    return wall, cpu, means_by_policy(json.loads(text))


def z_scores(program, reference):
    """{(policy, metric): (program mean, reference mean, difference / combined SE)}."""
    if program.keys() != reference.keys():
        sys.exit(f"the two sides ran different policies: {sorted(program)} and {sorted(reference)}")
    scores = {}
    for policy in program:
        for metric in METRICS:
            (m1, se1), (m2, se2) = program[policy][metric], reference[policy][metric]
            combined = math.hypot(se1, se2)
            scores[(policy, metric)] = (m1, m2, (m1 - m2) / combined if combined > 0 else
                                        (0.0 if m1 == m2 else math.inf))
    return scores


def pooled(rounds):
    """Means over rounds of independent runs of equal size: mean of means, SE sqrt(sum se^2) / R."""
    first = rounds[0]
    return {policy: {metric: (statistics.fmean(r[policy][metric][0] for r in rounds),
                              math.sqrt(sum(r[policy][metric][1]**2 for r in rounds)) / len(rounds))
                     for metric in METRICS} for policy in first}


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), platform.processor() or "unknown")
    return (f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"NumPy {numpy.__version__}")


def print_agreement(title, scores):
    print(f"\n{title}")
    print(f"  {'policy':<20} {'metric':<14} {'program':>16} {'NumPy':>16} {'z':>7}")
    for (policy, metric), (m1, m2, z) in scores.items():
        print(f"  {policy:<20} {metric:<14} {m1:>16,.1f} {m2:>16,.1f} {z:>7.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds of both sides (default 5)")
    parser.add_argument("--program", default="build/tenure")
    parser.add_argument("--scenario", default=os.path.join(HERE, "compare.yaml"))
    parser.add_argument("--paths", type=int, default=10000, help="worlds per run (default 10000)")
    parser.add_argument("--seed", type=int, default=42, help="seed of round 0 (default 42)")
    parser.add_argument("--threads", type=int, help="the program's threads (default: all cores)")
    args = parser.parse_args()
    if args.runs < 1 or args.paths < 2:
        sys.exit("--runs must be at least 1 and --paths at least 2")

    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    print(f"{args.scenario}: {args.paths} worlds per run, {args.runs} rounds, program then NumPy")
    print(f"\n  {'round':>5} {'seed':>6} {'program wall':>13} {'CPU':>8} {'NumPy wall':>11} "
          f"{'CPU':>8} {'worst |z|':>10}")
    timings, rounds_program, rounds_reference, disagreements = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        for r in range(args.runs):
            seed = args.seed + r
            p_wall, p_cpu, program = run_program(args, seed, os.path.join(tmp, f"program-{r}"))
            n_wall, n_cpu, reference = run_reference(args, seed, os.path.join(tmp, f"numpy-{r}"))
            scores = z_scores(program, reference)
            worst = max(abs(z) for _, _, z in scores.values())
            timings.append((p_wall, p_cpu, n_wall, n_cpu))
            rounds_program.append(program)
            rounds_reference.append(reference)
            print(f"  {r:>5} {seed:>6} {p_wall:>12.2f}s {p_cpu:>7.2f}s {n_wall:>10.2f}s "
                  f"{n_cpu:>7.2f}s {worst:>10.2f}", flush=True)
            if worst > TOLERANCE_SE:
                disagreements.append((r, scores))

    p_wall, p_cpu, n_wall, n_cpu = zip(*timings)
    print(f"  {'median':>12} {statistics.median(p_wall):>12.2f}s {statistics.median(p_cpu):>7.2f}s "
          f"{statistics.median(n_wall):>10.2f}s {statistics.median(n_cpu):>7.2f}s")
    for r, scores in disagreements:
        print_agreement(f"round {r} disagrees:", scores)
    pooled_scores = z_scores(pooled(rounds_program), pooled(rounds_reference))
    failed = bool(disagreements) or any(abs(z) > TOLERANCE_SE for _, _, z in pooled_scores.values())
    print_agreement(f"means pooled over {args.runs} rounds (z: difference / combined SE, must be "
                    f"within +-{TOLERANCE_SE:g}):", pooled_scores)
    wall_ratio = statistics.median(n / p for p, n in zip(p_wall, n_wall))
    cpu_ratio = statistics.median(n / p for p, n in zip(p_cpu, n_cpu))
    print(f"\nmedian ratio NumPy / program: wall time {wall_ratio:.1f}, CPU time {cpu_ratio:.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if failed:
        print("\nFAILED: the means disagree by more than 4 combined standard errors")
        return 1
    print("the means agree within 4 combined standard errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
