// Turns per-path outcomes into what people read: summary.json, summary.csv, periods.csv and
// a table for the terminal. Deterministic: no timestamps, fixed key order, round-trip numbers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {

std::string summary_json(const Scenario& scenario, const RunResults& results,
                         const RunSummary& summary);
std::string summary_csv(const RunResults& results, const RunSummary& summary);
std::string periods_csv(const RunResults& results, const RunSummary& summary);

// Writes the three result files into `directory` (created if needed), each atomically.
void write_results(const std::filesystem::path& directory, const Scenario& scenario,
                   const RunResults& results, const RunSummary& summary);

}  // namespace tenure
