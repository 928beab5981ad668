// The files and terminal text of the decision studies: sweep.csv, optimize.json and what
// the terminal says of them.
#pragma once

#include <string>

#include "sim/studies/optimize.hpp"
#include "sim/studies/sweep.hpp"

namespace tenure {

// point,<each variable>,policy,metric,mean,se,p05,p50,p95,es05,prob_negative,diff_to_best,
// diff_to_best_se: one row per point, policy and metric (kSweepMetrics).
std::string sweep_csv(const SweepResult& result);
// sweep.json: the sweep's run record (run_record_json): version, reproducing command, seed
// and worlds at each point.
std::string sweep_json(const SweepRequest& request, const std::string& command);

// For each policy the variables move: its NPV at every point against the best point, the
// best point, and the points not distinguishable from it; the policies they do not move in
// one line.
std::string sweep_text(const SweepResult& result);

// What optimize.json and its text need besides the result.
struct OptimizeContext {
  std::vector<std::string> variables;  // the names of the request's variables
  std::string policy;
  std::string constraint;  // "prob_negative<=0.05", or ""
  std::string command;     // the command line that reproduces it
};

// optimize.json: optimum, objective, flat_range, start_difference, algorithm, evaluations,
// then metric, objective_kind, policy, start, search_value, constraint, feasible,
// prob_negative, worlds, seed, fresh_seed, and trace: each run of the search's worlds in
// order, {<each variable>: value, "objective": value}.
std::string optimize_json(const OptimizeRequest& request, const OptimizeContext& context,
                          const Optimum& result);
std::string optimize_text(const OptimizeRequest& request, const OptimizeContext& context,
                          const Optimum& result);

}  // namespace tenure
