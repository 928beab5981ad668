// The tenure command line: parse the arguments (CLI11), then hand over to a command.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/commands.hpp"

namespace {

// A CLI11 check from one of the commands' value checks.
CLI::Validator check(std::function<std::string(const std::string&)> problem, std::string name) {
  return CLI::Validator(std::move(problem), "", std::move(name));
}

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
  return check(
      [=](const std::string& text) { return tenure::whole_number_problem(text, min, max); },
      "WHOLE NUMBER");
}

// --set NAME=VALUE, as often as there are variables to set; `what` says what a value does.
CLI::Option* add_set(CLI::App* command, std::vector<std::string>& set, const std::string& what) {
  return command->add_option("--set", set, what)->allow_extra_args(false);
}

void add_threads(CLI::App* command, int& threads) {
  command->add_option("--threads", threads, "Worker threads (default: all cores)")
      ->check(whole_number(1, 1024));
}

void add_seed(CLI::App* command, std::optional<std::uint64_t>& seed, const std::string& help) {
  command->add_option("--seed", seed, help)
      ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
}

void add_chatter(CLI::App* command, tenure::Chatter& chatter) {
  command->add_flag("--quiet,-q", chatter.quiet,
                    "Print nothing but errors (no progress, no tables)");
  command->add_flag("--json", chatter.json, "Print the summary as JSON on stdout, for scripts");
}

void add_run(CLI::App& app, tenure::RunArguments& a) {
  CLI::App* run = app.add_subcommand("run", "Simulate a scenario and write its results");
  run->add_option("file", a.file, "Scenario YAML file")->required();
  run->add_option("--paths", a.paths, "Number of simulated worlds (overrides the file's paths)")
      ->check(whole_number(1, 100'000'000));
  add_seed(run, a.seed, "Random seed (overrides the file's seed)");
  add_threads(run, a.threads);
  run->add_option("--out", a.out, "Results folder (default: results/<scenario name>)");
  run->add_flag("--worlds", a.worlds,
                "Also write worlds.csv: every world and policy, its drawn inputs and its metrics");
  run->add_option("--precision", a.precision,
                  "Run until every policy's mean NPV is known to +/- this amount (95% CI); "
                  "--paths (or the file's paths) is then the cap")
      ->check(check(tenure::positive_number_problem, "POSITIVE NUMBER"));
  add_set(run, a.set, "Set a variable of the scenario: NAME=VALUE (repeat for several)");
  run->add_option("--precision-diff", a.precision_diff,
                  "Run until every paired NPV difference against the --baseline (else the best "
                  "policy) is known to +/- this amount (95% CI); --paths is then the cap")
      ->check(check(tenure::positive_number_problem, "POSITIVE NUMBER"));
  run->add_option("--baseline", a.baseline,
                  "Compare each policy with this one (default: every two policies)");
  add_chatter(run, a.chatter);
}

void add_fit(CLI::App& app, tenure::FitArguments& a) {
  CLI::App* fit = app.add_subcommand("fit", "Fit churn (shifted-beta-geometric) to cohort data");
  fit->add_option("file", a.file, "Cohort CSV file: cohort,period,active[,tier]")->required();
  fit->add_option("--out", a.out, "Results folder (default: results/fit-<file name>)");
  fit->add_flag("--uncertain", a.uncertain,
                "Give the fitted churn and concentration in fit.yaml as distributions matching "
                "the estimates and their standard errors");
  add_chatter(fit, a.chatter);
}

void add_stress(CLI::App& app, tenure::StressArguments& a) {
  CLI::App* stress = app.add_subcommand(
      "stress", "Reverse stress test: the multiplier at which a risk figure crosses a limit");
  stress->add_option("file", a.file, "Scenario YAML file")->required();
  stress
      ->add_option("--vary", a.vary,
                   "What to multiply: budget, churn, acquisition, margin, costs (over the whole "
                   "horizon, on top of the scenario's shocks), or SHOCK.KEY of a named shock")
      ->required();
  stress
      ->add_option("--metric", a.metric,
                   "The figure: a statistic (prob_negative, p05, mean, es05, var95...) of npv, "
                   "or METRIC.STATISTIC")
      ->required();
  stress->add_option("--limit", a.limit, "The value the figure must reach")->required();
  stress->add_option("--policy", a.policy, "The policy (default: the first)");
  stress->add_option("--range", a.range, "Multipliers searched, LOW:HIGH (default 0.5:2)");
  stress->add_option("--paths", a.paths, "Worlds per multiplier (default: the file's paths)")
      ->check(whole_number(1, 100'000'000));
  add_seed(stress, a.seed, "Random seed (overrides the file's seed)");
  add_threads(stress, a.threads);
  stress->add_option("--out", a.out, "Results folder (default: results/<scenario name>-stress)");
  add_set(stress, a.set, "Set a variable of the scenario: NAME=VALUE (repeat for several)");
  add_chatter(stress, a.chatter);
}

void add_sweep(CLI::App& app, tenure::SweepArguments& a) {
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Run a scenario at every point of a grid of one or two variables, on the same worlds");
  sweep->add_option("file", a.file, "Scenario YAML file")->required();
  add_set(sweep, a.set,
          "NAME=LOW:HIGH:N: sweep the variable over N evenly spaced values (one or two "
          "variables); NAME=VALUE: hold another at a value")
      ->required();
  sweep->add_option("--paths", a.paths, "Worlds per point (default: the file's paths)")
      ->check(whole_number(1, 100'000'000));
  add_seed(sweep, a.seed, "Random seed (overrides the file's seed)");
  add_threads(sweep, a.threads);
  sweep->add_option("--out", a.out, "Results folder (default: results/<scenario name>-sweep)");
  sweep->add_flag("--quiet,-q", a.chatter.quiet,
                  "Print nothing but errors (no progress, no tables)");
}

void add_plan(CLI::App& app, tenure::PlanArguments& a) {
  CLI::App* plan = app.add_subcommand(
      "plan", "Run a pilot and say how many worlds, and how long, each precision target takes");
  plan->add_option("file", a.file, "Scenario YAML file")->required();
  plan->add_option("--precision", a.precision, "Target: every policy's mean NPV to +/- this (95%)")
      ->check(check(tenure::positive_number_problem, "POSITIVE NUMBER"));
  plan->add_option("--precision-diff", a.precision_diff,
                   "Target: every paired NPV difference against the baseline (else the best "
                   "policy) to +/- this (95%)")
      ->check(check(tenure::positive_number_problem, "POSITIVE NUMBER"));
  plan->add_option("--baseline", a.baseline, "The policy the differences are against");
  add_set(plan, a.set, "Set a variable of the scenario: NAME=VALUE (repeat for several)");
  plan->add_option("--pilot", a.pilot, "Worlds of the pilot (default 1000)")
      ->check(whole_number(2, 100'000'000));
  add_seed(plan, a.seed, "Random seed (overrides the file's seed)");
  add_threads(plan, a.threads);
  plan->add_flag("--quiet,-q", a.quiet, "No progress");
}

void add_optimize(CLI::App& app, tenure::OptimizeArguments& a) {
  CLI::App* o = app.add_subcommand(
      "optimize", "Find the variables' values that maximise an objective of one policy (NLopt)");
  o->add_option("file", a.file, "Scenario YAML file")->required();
  o->add_option("--over", a.over, "The variables searched, within their min and max: a[,b...]")
      ->required();
  o->add_option("--objective", a.objective,
                "mean (default), p05, es05, or mean-es:LAMBDA = mean - LAMBDA (mean - es05)");
  o->add_option("--metric", a.metric, "npv (default) or npv_with_equity");
  o->add_option("--constraint", a.constraint, "prob_negative<=X: the chance of a loss at most X");
  o->add_option("--policy", a.policy, "The policy (default: the first the variables move)");
  add_set(o, a.set, "Start from this value of a variable: NAME=VALUE (default: its value)");
  o->add_option("--paths", a.paths, "Worlds per evaluation (default: the file's paths)")
      ->check(whole_number(1, 100'000'000));
  o->add_option("--seed", a.seed, "Random seed of the search's worlds (the fresh ones: seed + 1)")
      ->check(whole_number(0, std::numeric_limits<std::uint64_t>::max() - 1));
  add_threads(o, a.threads);
  o->add_option("--out", a.out, "Results folder (default: results/<scenario name>-optimize)");
  o->add_flag("--quiet,-q", a.quiet, "Print nothing but errors");
}

}  // namespace

int main(int argc, char** argv) {
  // First, as MPI may take its own arguments out of argv. In an MPI job every rank runs the
  // whole program; only the leader's output is seen, errors included (a failure on another
  // rank reaches the leader as a message).
  std::optional<tenure::Cluster> joined;
  try {
    joined.emplace(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return tenure::kUsage;
  }
  const tenure::Cluster& cluster = *joined;
  if (!cluster.leader()) {
    (void)std::freopen("/dev/null", "w", stdout);
    (void)std::freopen("/dev/null", "w", stderr);
  }
  CLI::App app{"tenure: Monte Carlo simulation of acquisition versus retention spending"};
  app.set_version_flag("--version", std::string("tenure ") + TENURE_VERSION +
                                        (tenure::Cluster::built_with_mpi() ? " (with MPI)" : ""));
  app.require_subcommand(1);
  tenure::RunArguments run;
  add_run(app, run);
  std::string validate_file, report_folder;
  app.add_subcommand("validate", "Check a scenario file without running it")
      ->add_option("file", validate_file, "Scenario YAML file")
      ->required();
  tenure::FitArguments fit;
  add_fit(app, fit);
  tenure::StressArguments stress;
  add_stress(app, stress);
  tenure::SweepArguments sweep;
  add_sweep(app, sweep);
  tenure::PlanArguments plan;
  add_plan(app, plan);
  tenure::OptimizeArguments optimize;
  add_optimize(app, optimize);
  app.add_subcommand("report", "Rebuild report.html from a results folder")
      ->add_option("folder", report_folder, "Results folder")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help, the version or the problem
    return code == 0 ? tenure::kSuccess : tenure::kUsage;
  }
  const std::string command = app.get_subcommands().front()->get_name();
  const bool quiet = run.chatter.quiet || stress.chatter.quiet || sweep.chatter.quiet ||
                     plan.quiet || optimize.quiet;
  const int code = tenure::with_error_reporting([&] {
    if (command == "run") return tenure::run_command(run, cluster);
    if (command == "stress") return tenure::stress_command(stress, cluster);
    if (command == "sweep") return tenure::sweep_command(sweep, cluster);
    if (command == "plan") return tenure::plan_command(plan, cluster);
    if (command == "optimize") return tenure::optimize_command(optimize, cluster);
    int code = tenure::kSuccess;  // the commands that do not simulate: the leader alone
    cluster.on_leader([&] {
      if (command == "validate") code = tenure::validate_command(validate_file);
      if (command == "fit") code = tenure::fit_command(fit);
      if (command == "report") code = tenure::report_command(report_folder);
    });
    return code;
  });
  if (cluster.size() > 1 && !quiet && code == tenure::kSuccess)
    std::fprintf(stderr, "%d MPI ranks; each received %.1f MB in %llu exchanges\n", cluster.size(),
                 static_cast<double>(cluster.gathered_bytes()) / 1e6,
                 static_cast<unsigned long long>(cluster.gathers()));
  return code;
}
