#include "sim/studies/sweep.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include "sim/engine/model.hpp"
#include "sim/engine/resources.hpp"
#include "sim/engine/variables.hpp"

namespace tenure {

Parameters parameters_at(const Parameters& parameters, const std::vector<std::size_t>& variables,
                         const std::vector<double>& at) {
  Parameters p = parameters;
  for (std::size_t i = 0; i < variables.size(); ++i) set_variable(p, variables[i], at[i]);
  return p;
}

std::vector<std::vector<double>> sweep_points(const std::vector<SweepAxis>& axes) {
  std::vector<std::vector<double>> points = {{}};
  for (const SweepAxis& axis : axes) {
    std::vector<std::vector<double>> longer;
    for (const auto& point : points)
      for (const double value : axis.values) {
        longer.push_back(point);
        longer.back().push_back(value);
      }
    points = std::move(longer);
  }
  return points;
}

std::uint64_t sweep_bytes_per_world(std::size_t points, std::size_t policies) {
  return points * policies * std::size(kSweepMetrics) * sizeof(double);
}

namespace {

using Samples = std::vector<std::vector<std::vector<double>>>;  // [policy][metric][world]

// The reported metrics at one point, world by world, of the policies in `run` (the others'
// are left empty): the worlds do not depend on which policies run.
Samples run_point(const Parameters& parameters, const SweepRequest& request,
                  const std::vector<double>& at, const std::vector<std::size_t>& run,
                  const Progress& progress) {
  std::vector<std::size_t> variables;
  for (const SweepAxis& axis : request.axes) variables.push_back(axis.variable);
  Parameters p = parameters_at(parameters, variables, at);
  std::vector<Policy> chosen;
  for (const std::size_t k : run) chosen.push_back(p.policies[k]);
  p.policies = std::move(chosen);
  const Model model = build_model(p);
  Simulation simulation(model, request.seed, request.workers);
  simulation.run_paths(0, request.worlds, progress);
  const RunResults& r = simulation.results();
  Samples out(parameters.policies.size());
  for (std::size_t k = 0; k < run.size(); ++k)
    for (const char* metric : kSweepMetrics) {
      const auto values = r.metric(k, metric);
      out[run[k]].emplace_back(values.begin(), values.end());
    }
  return out;
}

// The point with the highest finite mean of (policy, metric); the first point when none is.
std::size_t best_point(const SweepResult& result, std::size_t policy, std::size_t metric) {
  std::size_t best = 0;
  double highest = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < result.points.size(); ++i) {
    const double mean = result.cells[i][policy][metric].summary.mean;
    if (std::isfinite(mean) && mean > highest) {
      highest = mean;
      best = i;
    }
  }
  return best;
}

}  // namespace

SweepResult run_sweep(const Parameters& parameters, const SweepRequest& request,
                      const Progress& progress) {
  SweepResult result;
  for (const SweepAxis& axis : request.axes)
    result.variables.push_back(parameters.variables.at(axis.variable).name);
  for (const Policy& policy : parameters.policies) result.policies.push_back(policy.name);
  result.points = sweep_points(request.axes);
  result.worlds = request.worlds;
  const std::int64_t total = request.worlds * static_cast<std::int64_t>(result.points.size());
  // The first point runs every policy; the others only those the variables move, since
  // the rest are the same at every point.
  std::vector<std::size_t> every(parameters.policies.size());
  std::iota(every.begin(), every.end(), std::size_t{0});
  const std::vector<std::size_t> moved = policies_moved_by(parameters, result.variables);
  std::vector<Samples> samples;
  for (std::size_t i = 0; i < result.points.size(); ++i) {
    const std::int64_t before = request.worlds * static_cast<std::int64_t>(i);
    const Progress point_progress = [&](std::int64_t done, std::int64_t) {
      if (progress) progress(before + done, total);
    };
    samples.push_back(
        run_point(parameters, request, result.points[i], i == 0 ? every : moved, point_progress));
    for (std::size_t p = 0; p < every.size(); ++p)
      if (samples.back()[p].empty()) samples.back()[p] = samples.front()[p];
    std::vector<std::vector<SweepCell>> cells(samples.back().size());
    for (std::size_t p = 0; p < cells.size(); ++p)
      for (const auto& values : samples.back()[p]) cells[p].push_back({summarize(values)});
    result.cells.push_back(std::move(cells));
  }
  result.best.assign(result.policies.size(), {});
  for (std::size_t p = 0; p < result.policies.size(); ++p)
    for (std::size_t k = 0; k < std::size(kSweepMetrics); ++k) {
      const std::size_t best = best_point(result, p, k);
      result.best[p].push_back(best);
      for (std::size_t i = 0; i < result.points.size(); ++i) {
        const PairedComparison d = compare_paired(samples[i][p][k], samples[best][p][k]);
        SweepCell& cell = result.cells[i][p][k];
        cell.diff_to_best = i == best ? 0.0 : d.mean_difference;
        cell.diff_to_best_se = i == best ? 0.0 : d.se;
      }
    }
  return result;
}

}  // namespace tenure
