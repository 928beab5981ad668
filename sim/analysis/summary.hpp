// The statistics of a run: every metric of every policy summarised, fan-chart bands of the
// series, paired comparisons of the policies. Computed from the per-world results in world
// order, so the figures are bit-identical for any number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/analysis/comparisons.hpp"
#include "sim/analysis/risk.hpp"
#include "sim/analysis/run_results.hpp"
#include "sim/analysis/statistics.hpp"

namespace tenure {

// Fan-chart figures of one series in one period: the mean over every world, the quantiles
// over the worlds whose series are kept (the first kSeriesWorlds, run_results.hpp).
struct Band {
  double mean = 0.0, p05 = 0.0, p50 = 0.0, p95 = 0.0;
};

// Counts of worlds in equal bins: bin i spans [low + i width, low + (i + 1) width); the last
// bin includes its upper edge. Non-finite values are not counted.
struct Histogram {
  double low = 0.0, width = 0.0;
  std::vector<std::int64_t> counts;
};

// The metrics drawn as distributions, with the same bins for every policy of a metric.
inline constexpr const char* kHistogramMetrics[] = {"npv", "npv_with_equity"};
inline constexpr int kHistogramBins = 40;

struct RunSummary {
  std::vector<std::vector<Summary>> metrics;           // [policy][metric]
  std::vector<std::vector<std::vector<Band>>> series;  // [policy][series][period - 1]
  std::vector<std::vector<Histogram>> histograms;      // [kHistogramMetrics][policy]
  std::vector<Payback> payback;                        // [policy]
  std::vector<double> prob_cash_below;                 // [policy], with a cash floor
  std::vector<PolicyComparison> comparisons;           // comparisons.hpp: every metric
  std::vector<std::vector<double>> prob_best;          // [kProbBestMetrics][policy]
  std::optional<std::size_t> baseline;                 // what comparisons are against, if set
  // The policy with the highest mean NPV, and with the highest mean npv_with_equity; none
  // when that mean is undefined for every policy.
  std::optional<std::size_t> best_policy, best_with_equity;
  // Set when the run was asked for a precision (sim/engine/precision.hpp): the 95%
  // half-widths asked for and reached, of every policy's mean NPV and of every paired NPV
  // difference against `versus` (the baseline, or the best policy).
  struct Precision {
    std::optional<double> target, achieved;
    std::optional<double> difference_target, difference_achieved;
    std::string versus;
    bool reached = false;
    std::int64_t paths_simulated = 0;  // every world simulated, pilot included
  };
  std::optional<Precision> precision;
};

// `cash_floor`: the floor prob_cash_below is measured against (none: not measured);
// `baseline`: the policy every other is compared with (none: every two are compared).
// The metrics' summaries and the series' bands are worked out in parallel, on the threads of
// the task arena it is called in (Simulation::in_arena); the result does not depend on them.
RunSummary summarize_run(const RunResults& results, std::optional<double> cash_floor = std::nullopt,
                         std::optional<std::size_t> baseline = std::nullopt);

// Histograms of one metric for several policies, over the common range of their finite
// values, in `bins` equal bins.
std::vector<Histogram> common_histograms(const std::vector<std::span<const double>>& samples,
                                         int bins);

}  // namespace tenure
