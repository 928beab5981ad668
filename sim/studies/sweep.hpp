// Sweep: the scenario run at every point of a grid of one or two variables, every point on
// the same worlds (one seed: common random numbers), so the difference between two points is
// measured world by world. The scenario is read once; the first point runs every policy,
// the others only the policies the variables move, so a point costs at most one run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/analysis/statistics.hpp"
#include "sim/engine/parameters.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

// The parameters with variable variables[i] set to at[i] (set_variable: every $name and
// rest line follows).
Parameters parameters_at(const Parameters& parameters, const std::vector<std::size_t>& variables,
                         const std::vector<double>& at);

// One swept variable: its index in the parameters' variables and its values.
struct SweepAxis {
  std::size_t variable = 0;
  std::vector<double> values;
};

struct SweepRequest {
  std::vector<SweepAxis> axes;  // one or two; the grid is every combination, the last fastest
  std::int64_t worlds = 1000;
  std::uint64_t seed = 1;
  Workers workers = {};
};

// The metrics a sweep reports.
inline constexpr const char* kSweepMetrics[] = {"npv", "npv_with_equity", "customers_end"};

// One point, policy and metric of a sweep.
struct SweepCell {
  Summary summary;
  // The paired difference to the best point (highest mean) of this policy and metric: its
  // mean (<= 0 up to rounding) and standard error; both 0 at the best point itself.
  double diff_to_best = 0.0, diff_to_best_se = 0.0;
};

struct SweepResult {
  std::vector<std::string> variables, policies;
  std::vector<std::vector<double>> points;  // [point][axis]: the variables' values
  // [point][policy][kSweepMetrics]
  std::vector<std::vector<std::vector<SweepCell>>> cells;
  std::vector<std::vector<std::size_t>> best;  // [policy][kSweepMetrics]: the best point
  std::int64_t worlds = 0;
};

// The grid's points, in the order they are run.
std::vector<std::vector<double>> sweep_points(const std::vector<SweepAxis>& axes);

// Bytes per world the sweep keeps on top of one run: every point's reported metrics.
// (Bounded: at most kMaxSweepPoints points and limits::kPolicies policies.)
std::uint64_t sweep_bytes_per_world(std::size_t points, std::size_t policies);

// The most points a sweep runs.
inline constexpr std::size_t kMaxSweepPoints = 10'000;

// Runs every point; `progress` counts worlds over all points.
SweepResult run_sweep(const Parameters& parameters, const SweepRequest& request,
                      const Progress& progress = {});

}  // namespace tenure
