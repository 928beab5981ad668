// The files and terminal text of the decision studies: sweep.csv and the sweep's summary
// (later optimize.json).
#pragma once

#include <string>

#include "sim/studies/sweep.hpp"

namespace tenure {

// point,<each variable>,policy,metric,mean,se,p05,p50,p95,es05,prob_negative,diff_to_best,
// diff_to_best_se: one row per point, policy and metric (kSweepMetrics).
std::string sweep_csv(const SweepResult& result);

// For each policy the variables move: its NPV at every point against the best point, the
// best point, and the points not distinguishable from it; the policies they do not move in
// one line.
std::string sweep_text(const SweepResult& result);

}  // namespace tenure
