// tenure run: simulate a scenario and write its result set.
#include <fmt/format.h>

#include <iostream>

#include "sim/analysis/summary.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/progress.hpp"
#include "sim/commands/results_folder.hpp"
#include "sim/engine/model.hpp"
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

// The command that reproduces a run's results: its file, seed and number of worlds.
std::string reproducing_command(const std::string& file, std::uint64_t seed, std::int64_t worlds) {
  return fmt::format("tenure run {} --seed {} --paths {}", file, seed, worlds);
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

// Simulates the worlds asked for, or until the precision asked for; returns the precision
// figures when one was asked for.
std::optional<RunSummary::Precision> simulate(Simulation& simulation, const RunArguments& a,
                                              std::int64_t worlds) {
  ProgressDisplay display(a.chatter.quiet, "worlds");
  if (!a.precision) {
    simulation.run_paths(0, worlds, display.callback());
    return std::nullopt;
  }
  const PrecisionRun run = run_to_precision(simulation, *a.precision, worlds, display.callback());
  return RunSummary::Precision{run.target, run.achieved, run.reached, simulation.results().paths()};
}

}  // namespace

int run_command(const RunArguments& a) {
  Scenario scenario = load_scenario_file(a.file);
  if (a.paths) scenario.paths = *a.paths;
  if (a.seed) scenario.seed = *a.seed;
  const Model model = build_model(scenario);
  // Everything that could stop the run is checked before it starts: memory for every
  // world's results (with a precision target, for the cap), and the results folder.
  check_memory(model, scenario.paths, a.threads);
  const std::filesystem::path out = results_folder(a.out, scenario.name);
  check_output_folder(out);

  Simulation simulation(model, scenario.seed, a.threads);
  const auto precision = simulate(simulation, a, scenario.paths);
  const RunResults& results = simulation.results();
  RunSummary summary = summarize_run(results, scenario.cash_floor);
  summary.precision = precision;
  std::optional<Sensitivity> study;
  if (!results.inputs().empty())
    study = sensitivity(model, results, summary, scenario.seed, a.threads);
  const RunContext context{reproducing_command(a.file, scenario.seed, results.paths()),
                           churn_classes(scenario, model), study ? &*study : nullptr};
  ResultSet set = run_result_set(out, scenario, results, summary, context);
  if (a.worlds)
    set.add_streamed("worlds.csv", [&](std::ostream& file) { write_worlds_csv(file, results); });
  const auto previous_source = results_source(out);
  set.commit();

  if (a.chatter.json) std::cout << set.text("summary.json");
  if (a.chatter.quiet || a.chatter.json) return kSuccess;
  std::cout << text_report(scenario, results, summary) << model_notes(scenario, context);
  if (study) std::cout << sensitivity_text(*study);
  std::cout << fmt::format("\nresults written to {}/ (open report.html in a browser)\n",
                           out.string());
  std::cout << replaced_note(previous_source, scenario.source_file, out);
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
