// What the fuzzers do with one input, shared by the libFuzzer entry points (fuzz_*.cpp, built
// with clang by TENURE_FUZZ) and by the replay of the corpora in the ordinary test suite
// (tests/test_fuzz_corpus.cpp), so every saved input is checked by every build.
//
// An input may be rejected only with the reader's own error (ScenarioError, CohortDataError),
// which lists the problems for the user. Anything else that escapes (another exception, a
// crash, a sanitizer report, a leak) is a finding.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/analysis/summary.hpp"
#include "sim/calibration/cohort_csv.hpp"
#include "sim/calibration/fit_report.hpp"
#include "sim/calibration/sbg_fit.hpp"
#include "sim/engine/limits.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/output/report_data.hpp"
#include "sim/output/result_files.hpp"
#include "sim/output/terminal.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure::fuzz {

// Limits of what the scenario harness simulates, so that one input takes milliseconds and
// the fuzzer spends its time on new inputs rather than on big valid models. Inputs beyond
// them are still read and checked; only the model building or the simulation is skipped.
//   - segments (tiers x churn classes, 20 with classes: auto): building the model solves a
//     system per class over the tiers and chooses the classes, which only measures speed;
//   - work per world: policies x horizon x (segments x tenure cells + sources + moves), the
//     kernel's loop sizes; a horizon of 10,000 with margin growth makes 10^8 cells per world.
// Counts need no guard: the reader bounds every count a scenario gives, and a world that
// outgrows exact counting stops with CountLimitError, which the user sees as a message.
inline constexpr std::int64_t kMaxFuzzSegments = 64;
inline constexpr std::int64_t kMaxFuzzWorkPerWorld = 2'000'000;

inline bool small_enough_to_build(const Scenario& s) {
  const std::int64_t classes = !s.heterogeneity               ? 1
                               : s.heterogeneity->classes > 0 ? s.heterogeneity->classes
                                                              : limits::kChurnClasses;
  return static_cast<std::int64_t>(s.tiers.size()) * classes <= kMaxFuzzSegments;
}

inline bool small_enough_to_simulate(const Model& m) {
  std::int64_t moves = 0;
  for (const auto& to : m.move_to) moves += static_cast<std::int64_t>(to.size());
  const std::int64_t per_period = std::int64_t{m.segments} * m.tenure_cells +
                                  static_cast<std::int64_t>(m.source_id.size()) + moves;
  return static_cast<std::int64_t>(m.policies.size()) * m.horizon * per_period <=
         kMaxFuzzWorkPerWorld;
}

// Reads a scenario and, when it is valid and small, simulates two worlds and turns them into
// every result text, reading summary.json and periods.csv back as the report does.
inline void scenario_input(std::string_view text) {
  Scenario scenario;
  try {
    scenario = parse_scenario(text, "fuzz.yaml");
  } catch (const ScenarioError&) {
    return;  // the expected way to refuse an input
  }
  if (!small_enough_to_build(scenario)) return;
  const Model model = build_model(scenario);
  if (!small_enough_to_simulate(model)) return;
  RunOptions options;
  options.paths = 2;
  options.seed = 1;
  options.threads = 1;
  RunResults results = [&] {
    try {
      return run_simulation(model, options);
    } catch (const CountLimitError&) {
      return RunResults({}, {}, {}, 0);  // a world outgrowing exact counts: said to the user
    }
  }();
  if (results.policies().empty()) return;
  const RunSummary summary = summarize_run(results, scenario.cash_floor);
  ReportInputs inputs;
  inputs.folder = "fuzz";
  inputs.summary_json =
      summary_json(scenario, results, summary, RunContext{"tenure run fuzz.yaml"});
  inputs.periods_csv = periods_csv(results, summary);
  summary_csv(results, summary);
  text_report(scenario, results, summary);
  parse_report_data(inputs);  // our own files must read back without a problem
}

// Reads a cohort table and, when it is valid, fits every tier and writes every fit text,
// reading fit.json back as the report does.
inline void cohort_csv_input(std::string_view text) {
  CohortFit fit;
  try {
    fit = fit_cohorts(parse_cohort_csv(text, "fuzz.csv"));
  } catch (const CohortDataError&) {
    return;  // a problem in the file, or a tier that cannot be fitted: reported to the user
  }
  ReportInputs inputs;
  inputs.folder = "fuzz";
  inputs.fit_json = fit_json(fit);
  fit_yaml(fit, true);
  fit_yaml(fit, false);
  fit_text(fit);
  parse_report_data(inputs);
}

}  // namespace tenure::fuzz
