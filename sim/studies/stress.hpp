// Reverse stress test: the size of a shock at which a risk figure crosses a limit, found on
// common random numbers (every multiplier tried sees the same worlds), with a 95% interval.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/parameters.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

// A figure of a run: a statistic of one metric of one policy.
struct RunFigure {
  std::string metric = "npv";
  std::string statistic = "prob_negative";  // mean, sd, p01..p99, es05, es01, var95, var99,
                                            // prob_negative
  std::size_t policy = 0;
};

// The statistics a figure may be.
const std::vector<std::string>& figure_statistics();

// The figure's value over worlds, and its standard error by batch means (20 batches of
// consecutive worlds: the spread of the statistic over the batches / sqrt(20)).
struct FigureValue {
  double value = 0.0, se = 0.0;
};
FigureValue figure_value(const RunResults& results, const RunFigure& figure);

struct StressRequest {
  std::string vary;  // budget, churn, acquisition, margin, costs; or SHOCK.KEY of a named shock
  RunFigure figure;
  double limit = 0.0;
  double low = 0.5, high = 2.0;  // the multipliers searched
  std::int64_t worlds = 1000;
  std::uint64_t seed = 1;
  Workers workers = {};
};

struct StressPoint {
  double multiplier = 0.0, value = 0.0, se = 0.0;
};

struct StressResult {
  bool found = false;      // the figure crosses the limit within the range
  double threshold = 0.0;  // the multiplier where it does
  double ci95_low = 0.0, ci95_high = 0.0;
  std::vector<StressPoint> curve;  // every multiplier tried, in increasing order
};

// The keys `vary` can name for these parameters ("" when `vary` is one), for messages.
std::string vary_problem(const Parameters& parameters, const std::string& vary);

// The parameters with the multiplier applied: a shock over the whole horizon on top of the
// scenario's own, or the named shock's key set to it.
Parameters stressed(const Parameters& parameters, const std::string& vary, double multiplier);

// Evaluates the figure at 9 multipliers across the range, then bisects the first interval
// where it crosses the limit (12 halvings). The interval: the figure's standard error at the
// threshold over the slope across the crossing interval of the grid (the delta method).
StressResult reverse_stress(const Parameters& parameters, const StressRequest& request,
                            const Progress& progress = {});

}  // namespace tenure
