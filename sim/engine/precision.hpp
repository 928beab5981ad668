// Running to a precision: worlds are added until every figure a decision rests on is known
// well enough, or a cap is hit. The figures: every policy's mean NPV, and every paired NPV
// difference against a reference policy (the baseline, else the best by mean NPV), each to a
// 95% half-width.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

struct PrecisionTargets {
  std::optional<double> mean;           // half-width of every policy's mean NPV
  std::optional<double> difference;     // half-width of every paired NPV difference
  std::optional<std::size_t> baseline;  // the reference of the differences; none: the best
};

// Where a run stands against its targets. A 95% half-width shrinks as 1 / sqrt(worlds), so a
// target t now at half-width h over n worlds needs about n (h / t)^2.
struct PrecisionStatus {
  std::int64_t worlds = 0;
  double mean_half_width = 0.0;  // the widest among the policies
  std::size_t reference = 0;     // the policy the differences are against
  struct Difference {
    std::size_t policy = 0;  // minus the reference
    double half_width = 0.0;
  };
  std::vector<Difference> differences;  // one per other policy
  double difference_half_width = 0.0;   // the widest of them (0 with one policy)
  bool reached = false;                 // every target asked for is met

  // The worlds a half-width `now` needs to reach `target` (at least the worlds run).
  double worlds_for(double now, double target) const;
  // The worlds every target asked for needs.
  double worlds_needed(const PrecisionTargets& targets) const;
};

PrecisionStatus precision_status(const RunResults& results, const PrecisionTargets& targets);

// A pilot of min(1000, cap) worlds, then as many more worlds as the status asks for (plus
// 10%, and at least one), until every target is met or `cap` worlds are simulated. The result
// is that of a fixed run of as many worlds.
PrecisionStatus run_to_targets(Simulation& simulation, const PrecisionTargets& targets,
                               std::int64_t cap, const Progress& progress = {});

}  // namespace tenure
