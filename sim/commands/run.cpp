// tenure run: simulate a scenario and write its result set.
#include <fmt/format.h>

#include <iostream>
#include <stdexcept>

#include "sim/analysis/summary.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/progress.hpp"
#include "sim/commands/results_folder.hpp"
#include "sim/commands/settings.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/precision.hpp"
#include "sim/engine/resources.hpp"
#include "sim/engine/runner.hpp"
#include "sim/output/result_files.hpp"
#include "sim/output/study_files.hpp"
#include "sim/output/terminal.hpp"
#include "sim/output/worlds_file.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "sim/studies/sensitivity.hpp"

namespace tenure {

namespace {

// The command that reproduces a run's results: its file, variables, seed and number of
// worlds.
std::string reproducing_command(const RunArguments& a, std::uint64_t seed, std::int64_t worlds) {
  return fmt::format("tenure run {}{} --seed {} --paths {}", a.file, settings_arguments(a.set),
                     seed, worlds);
}

// How the model represented the scenario's churn heterogeneity, tier by tier.
std::vector<TierClasses> churn_classes(const Scenario& scenario, const Model& model) {
  std::vector<TierClasses> out;
  if (!scenario.heterogeneity) return out;
  for (int tier = 0; tier < model.tiers; ++tier) {
    const ChurnClasses& classes = model.churn_classes[tier];
    const Tier& t = scenario.tiers[tier];
    out.push_back({t.name,
                   t.concentration.value_or(scenario.heterogeneity->concentration.value_or(0)),
                   model.classes, classes.method, classes.lifetime_error, classes.worst_error});
  }
  return out;
}

// What a run to precision asked for and reached, for the summary.
RunSummary::Precision precision_figures(const RunResults& results, const PrecisionTargets& targets,
                                        const PrecisionStatus& status) {
  RunSummary::Precision p;
  p.target = targets.mean;
  if (targets.mean) p.achieved = status.mean_half_width;
  p.difference_target = targets.difference;
  if (targets.difference) {
    p.difference_achieved = status.difference_half_width;
    p.versus = results.policies()[status.reference];
  }
  p.reached = status.reached;
  p.paths_simulated = results.paths();
  return p;
}

// Simulates the worlds asked for, or until the precision asked for; returns the precision
// figures when one was asked for.
std::optional<RunSummary::Precision> simulate(Simulation& simulation, const RunArguments& a,
                                              std::int64_t worlds,
                                              std::optional<std::size_t> baseline) {
  ProgressDisplay display(a.chatter.quiet, "worlds");
  if (!a.precision && !a.precision_diff) {
    simulation.run_paths(0, worlds, display.callback());
    return std::nullopt;
  }
  const PrecisionTargets targets{a.precision, a.precision_diff, baseline};
  const PrecisionStatus status = run_to_targets(simulation, targets, worlds, display.callback());
  return precision_figures(simulation.results(), targets, status);
}

// Writes the run's result set and tells the user about it.
void write_and_tell(const RunArguments& a, const std::filesystem::path& out,
                    const Scenario& scenario, const RunResults& results, const RunSummary& summary,
                    const RunContext& context) {
  ResultSet set = run_result_set(out, scenario, results, summary, context);
  if (a.worlds)
    set.add_streamed("worlds.csv", [&](std::ostream& file) { write_worlds_csv(file, results); });
  const auto previous_source = results_source(out);
  set.commit();

  if (a.chatter.json) std::cout << set.text("summary.json");
  if (a.chatter.quiet || a.chatter.json) return;
  std::cout << text_report(scenario, results, summary) << model_notes(scenario, context);
  if (context.sensitivity) std::cout << sensitivity_text(*context.sensitivity);
  std::cout << fmt::format("\nresults written to {}/ (open report.html in a browser)\n",
                           out.string());
  std::cout << replaced_note(previous_source, scenario.source_file, out);
}

}  // namespace

int run_command(const RunArguments& a, const Cluster& cluster) {
  Scenario scenario = load_scenario_file(a.file);
  apply_settings(scenario, read_settings(a.set, scenario, false));
  if (a.paths) scenario.paths = *a.paths;
  if (a.seed) scenario.seed = *a.seed;
  const Model model = build_model(scenario);
  // Everything that could stop the run is checked before it starts: memory for every
  // world's results (with a precision target, for the cap) on every rank, as each holds
  // them all, and the results folder.
  cluster.on_every_rank([&] { check_memory(model, scenario.paths, a.threads); });
  const std::filesystem::path out = results_folder(a.out, scenario.name);
  cluster.on_leader([&] { check_output_folder(out); });

  const Workers workers(a.threads, &cluster);
  Simulation simulation(model, scenario.seed, workers);
  const std::optional<std::size_t> baseline = baseline_policy(scenario, a.baseline);
  const auto precision = simulate(simulation, a, scenario.paths, baseline);
  const RunResults& results = simulation.results();
  RunSummary summary =
      simulation.in_arena([&] { return summarize_run(results, scenario.cash_floor, baseline); });
  summary.precision = precision;
  std::optional<Sensitivity> study;
  if (!results.inputs().empty())
    study = sensitivity(model, results, summary, scenario.seed, workers);
  const RunContext context{reproducing_command(a, scenario.seed, results.paths()),
                           churn_classes(scenario, model), study ? &*study : nullptr};
  // Every rank holds the same results; the leader alone writes and speaks.
  cluster.on_leader([&] { write_and_tell(a, out, scenario, results, summary, context); });
  return kSuccess;
}

int validate_command(const std::string& file) {
  const Scenario scenario = load_scenario_file(file);
  auto count = [](std::size_t n, const std::string& one, const std::string& many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  const std::string period = to_string(scenario.period);
  std::cout << fmt::format("{}: ok ({}, {}, {})\n", file,
                           count(scenario.tiers.size(), "tier", "tiers"),
                           count(scenario.policies.size(), "policy", "policies"),
                           count(static_cast<std::size_t>(scenario.horizon), period, period + "s"));
  return kSuccess;
}

}  // namespace tenure
