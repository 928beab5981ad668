// The decision figures of a run: paired comparisons of the policies on every metric, and the
// chance each policy is the best. Every policy is simulated on the same worlds (common random
// numbers), so a comparison is the statistics of the per-world differences.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/statistics.hpp"

namespace tenure {

struct PolicyComparison {
  std::size_t a = 0, b = 0;     // policy indices
  std::size_t metric = 0;       // the results' metric index
  PairedComparison difference;  // a minus b
};

// Every metric (in the results' order), for every two policies a < b, or, with a baseline,
// for each other policy a against it (b = the baseline).
std::vector<PolicyComparison> paired_comparisons(const RunResults& results,
                                                 std::optional<std::size_t> baseline);

// The metrics whose chance of being best is reported.
inline constexpr const char* kProbBestMetrics[] = {"npv", "npv_with_equity"};

// [kProbBestMetrics][policy]: the share of worlds in which the policy has the highest value of
// the metric (ties share the world equally; share_highest in statistics.hpp).
std::vector<std::vector<double>> prob_best(const RunResults& results);

}  // namespace tenure
