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
//   - segments (tiers x churn classes): the model solves a dense segments x segments system
//     and the reader has no cap on the number of tiers yet (a known issue being fixed), so
//     a long tier list would only measure that.
//   - work per world: policies x horizon x (segments x tenure cells + sources + moves), the
//     kernel's loop sizes; a horizon of 10,000 with margin growth makes 10^8 cells per world.
//   - customer counts: the kernel keeps counts in 64-bit integers and the reader does not
//     bound them yet, so a huge initial_customers, max_customers or intermediary prospects,
//     or referrals that multiply the base every period, overflow them (known and reported
//     issues; see docs/hardening.md). Remove this guard once the reader bounds them.
inline constexpr std::int64_t kMaxFuzzSegments = 64;
inline constexpr std::int64_t kMaxFuzzWorkPerWorld = 2'000'000;
inline constexpr double kMaxFuzzCount = 1e9;
inline constexpr double kMaxFuzzReferralGrowth = 1e3;  // over the horizon

inline bool counts_cannot_overflow(const Scenario& s) {
  for (const Tier& tier : s.tiers)
    if (static_cast<double>(tier.initial_customers) > kMaxFuzzCount) return false;
  if (s.acquisition && s.acquisition->response.max_customers > kMaxFuzzCount) return false;
  for (const Intermediary& source : s.intermediaries)
    if (source.prospects > kMaxFuzzCount) return false;
  if (!s.referrals) return true;
  // Each customer brings at most rate x conversion x (1 + max_uplift) new ones a period.
  double rate = 0.0;
  for (double r : s.referrals->rate) rate = std::max(rate, r);
  const double growth =
      std::log1p(rate * s.referrals->conversion * (1.0 + s.referrals->max_uplift));
  return growth * s.horizon <= std::log(kMaxFuzzReferralGrowth);
}

inline bool small_enough_to_build(const Scenario& s) {
  const std::int64_t classes = s.heterogeneity ? s.heterogeneity->classes : 1;
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
  if (!small_enough_to_simulate(model) || !counts_cannot_overflow(scenario)) return;
  RunOptions options;
  options.paths = 2;
  options.seed = 1;
  options.threads = 1;
  const RunResults results = run_simulation(model, options);
  const RunSummary summary = summarize_run(results);
  ReportInputs inputs;
  inputs.folder = "fuzz";
  inputs.summary_json = summary_json(scenario, results, summary);
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
  try {
    parse_report_data(inputs);
  } catch (const ReportInputError& error) {
    // A reported finding (docs/hardening.md): fit.json names each tier under "name", the
    // report reads "tier". Let the fuzzer past it, and only it, until the two agree.
    for (const Diagnostic& problem : error.problems())
      if (!problem.message.ends_with("missing key 'tier'")) throw;
  }
}

}  // namespace tenure::fuzz
