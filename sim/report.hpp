// Turns per-path outcomes into what people read: summary.json, summary.csv, periods.csv and
// a table for the terminal. Deterministic: no timestamps, fixed key order, round-trip numbers.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/statistics.hpp"

namespace tenure {

// Fan-chart figures of one series in one period.
struct Band {
  double mean = 0.0, p05 = 0.0, p50 = 0.0, p95 = 0.0;
};

struct PolicyComparison {
  std::size_t a = 0, b = 0;     // policy indices, a < b
  std::size_t metric = 0;       // kNpv or kNpvWithEquity
  PairedComparison difference;  // a minus b
};

struct RunSummary {
  std::vector<std::vector<Summary>> metrics;           // [policy][metric]
  std::vector<std::vector<std::vector<Band>>> series;  // [policy][series][period - 1]
  std::vector<PolicyComparison> comparisons;           // every pair of policies, on NPV and on
                                                       // NPV with the equity of the base left
  std::size_t best_policy = 0;                         // highest mean NPV
  std::size_t best_with_equity = 0;                    // highest mean npv_with_equity
  // Set when the run was asked for a precision (run_to_precision).
  struct Precision {
    double target = 0.0, achieved = 0.0;
    bool reached = false;
  };
  std::optional<Precision> precision;
};

RunSummary summarize_run(const RunResults& results);

std::string summary_json(const Scenario& scenario, const RunResults& results,
                         const RunSummary& summary);
std::string summary_csv(const RunResults& results, const RunSummary& summary);
std::string periods_csv(const RunResults& results, const RunSummary& summary);
std::string text_report(const Scenario& scenario, const RunResults& results,
                        const RunSummary& summary);

// Writes the three result files into `directory` (created if needed), each atomically.
void write_results(const std::filesystem::path& directory, const Scenario& scenario,
                   const RunResults& results, const RunSummary& summary);

}  // namespace tenure
