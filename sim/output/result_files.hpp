// Turns per-world outcomes into the files people read: summary.json, summary.csv,
// periods.csv, and report.html drawn from them. Deterministic: no timestamps, fixed key order,
// round-trip numbers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/output/result_set.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {

// How a run was made, for reproducing it.
struct RunProvenance {
  std::string command;  // the command line that reproduces the results
};

std::string summary_json(const Scenario& scenario, const RunResults& results,
                         const RunSummary& summary, const RunProvenance& record);
std::string summary_csv(const RunResults& results, const RunSummary& summary);
std::string periods_csv(const RunResults& results, const RunSummary& summary);

// The result set of a run, rendered in memory: summary.json, summary.csv, periods.csv and
// report.html. Nothing is written until the set is committed.
ResultSet run_result_set(const std::filesystem::path& folder, const Scenario& scenario,
                         const RunResults& results, const RunSummary& summary,
                         const RunProvenance& record);

}  // namespace tenure
