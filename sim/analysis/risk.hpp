// Risk figures of a policy that need more than one metric's summary: the payback period (from
// each world's payback period, RunResults::payback) and the chance the cash trough falls
// below a floor.
#pragma once

#include <cstddef>
#include <optional>

#include "sim/analysis/run_results.hpp"

namespace tenure {

// The payback period: in a world whose cumulative cash went below zero, the first period at
// which it is back at or above zero. Quantiles over the worlds that went below (nearest rank:
// an actual period), infinite when the quantile falls among worlds that never came back
// within the horizon, NaN when no world went below.
struct Payback {
  double p50 = 0.0, p90 = 0.0;
  double share_below = 0.0;  // worlds whose cash went below zero, of all worlds
  double share_never = 0.0;  // worlds whose cash went below zero and never came back
};
Payback payback(const RunResults& results, std::size_t policy);

// The share of worlds whose cash trough (metric cash_trough) is below `floor`.
double prob_cash_below(const RunResults& results, std::size_t policy, double floor);

}  // namespace tenure
