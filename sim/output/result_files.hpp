// Turns per-world outcomes into the files people read: summary.json, summary.csv,
// periods.csv, and report.html drawn from them. Deterministic: no timestamps, fixed key order,
// round-trip numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/output/result_set.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/studies/sensitivity.hpp"

namespace tenure {

// How one tier's churn heterogeneity was represented (classes, and the error that left).
struct TierClasses {
  std::string tier;
  double concentration = 0.0;
  int classes = 1;
  std::string method;           // "gauss", "lifetime-weighted" or "none"
  double lifetime_error = 0.0;  // relative error of a new cohort's discounted lifetime
  double worst_error = 0.0;     // the largest over every criterion
};

// What the result files say besides the statistics: how the run was made, and how the model
// represented the scenario.
struct RunContext {
  std::string command;                          // the command line that reproduces the results
  std::vector<TierClasses> churn_classes = {};  // with heterogeneity, per tier
  const Sensitivity* sensitivity = nullptr;     // with uncertain inputs
};

// The "run" object of summary.json and of the studies' files: the program's version, the
// command that reproduces the results, their seed and number of worlds.
nlohmann::ordered_json run_record_json(const std::string& command, std::uint64_t seed,
                                       std::int64_t worlds);

std::string summary_json(const Scenario& scenario, const RunResults& results,
                         const RunSummary& summary, const RunContext& record);
std::string summary_csv(const RunResults& results, const RunSummary& summary);
std::string periods_csv(const RunResults& results, const RunSummary& summary);
// a,b,metric,mean_difference,se,ci95_low,ci95_high,share_a_better,share_b_better,
// variance_reduction: the summary's paired comparisons, a minus b.
std::string compare_csv(const RunResults& results, const RunSummary& summary);

// The result set of a run, rendered in memory: summary.json, summary.csv, periods.csv,
// compare.csv and report.html. Nothing is written until the set is committed.
ResultSet run_result_set(const std::filesystem::path& folder, const Scenario& scenario,
                         const RunResults& results, const RunSummary& summary,
                         const RunContext& record);

}  // namespace tenure
