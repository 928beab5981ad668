#include "sim/engine/precision.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/analysis/statistics.hpp"

namespace tenure {

double PrecisionStatus::worlds_for(double now, double target) const {
  const double n = static_cast<double>(worlds);
  if (!(now > target)) return n;
  return n * (now / target) * (now / target);
}

double PrecisionStatus::worlds_needed(const PrecisionTargets& targets) const {
  double needed = static_cast<double>(worlds);
  if (targets.mean) needed = std::max(needed, worlds_for(mean_half_width, *targets.mean));
  if (targets.difference)
    needed = std::max(needed, worlds_for(difference_half_width, *targets.difference));
  return needed;
}

namespace {

// A 95% half-width from a standard error; undefined (one world, a figure not finite) counts
// as not known at all.
double half_width_of(double se) {
  return std::isfinite(se) ? kZ95 * se : std::numeric_limits<double>::infinity();
}

}  // namespace

PrecisionStatus precision_status(const RunResults& r, const PrecisionTargets& targets) {
  PrecisionStatus status;
  status.worlds = r.paths();
  const std::size_t npv = r.metric_index("npv");
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t p = 0; p < r.policies().size(); ++p) {
    const Summary s = summarize(r.metric(p, npv));
    status.mean_half_width = std::max(status.mean_half_width, half_width_of(s.se));
    if (s.mean > best) {
      best = s.mean;
      status.reference = p;
    }
  }
  if (targets.baseline) status.reference = *targets.baseline;
  for (std::size_t p = 0; p < r.policies().size(); ++p) {
    if (p == status.reference) continue;
    const PairedComparison c = compare_paired(r.metric(p, npv), r.metric(status.reference, npv));
    const double half_width = half_width_of(c.se);
    status.differences.push_back({p, half_width});
    status.difference_half_width = std::max(status.difference_half_width, half_width);
  }
  status.reached = (!targets.mean || status.mean_half_width <= *targets.mean) &&
                   (!targets.difference || status.difference_half_width <= *targets.difference);
  return status;
}

PrecisionStatus run_to_targets(Simulation& simulation, const PrecisionTargets& targets,
                               std::int64_t cap, const Progress& progress) {
  simulation.run_paths(0, std::min<std::int64_t>(1000, cap), progress);
  PrecisionStatus status = precision_status(simulation.results(), targets);
  while (!status.reached && status.worlds < cap) {
    const double wanted = std::ceil(1.1 * status.worlds_needed(targets));
    const std::int64_t next =
        wanted >= static_cast<double>(cap)
            ? cap
            : std::max<std::int64_t>(status.worlds + 1, static_cast<std::int64_t>(wanted));
    simulation.run_paths(status.worlds, next, progress);
    status = precision_status(simulation.results(), targets);
  }
  return status;
}

}  // namespace tenure
