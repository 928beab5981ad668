// The statistics of a run: every metric of every policy summarised, fan-chart bands of the
// series, paired comparisons of the policies. Computed from the per-world results in world
// order, so the figures are bit-identical for any number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/statistics.hpp"

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
    std::int64_t paths_simulated = 0;  // every world simulated, pilot included
  };
  std::optional<Precision> precision;
};

RunSummary summarize_run(const RunResults& results);

}  // namespace tenure
