// Which uncertain input drives NPV, and which decides between policies: rank correlations
// over the run's worlds, and a one-at-a-time swing on the same worlds (a tornado).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/summary.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"

namespace tenure {

struct InputSensitivity {
  std::string input, policy;
  double rank_corr_npv = 0.0;  // with the policy's NPV
  // With the paired NPV difference best minus this policy (none for the best itself).
  std::optional<double> rank_corr_difference;
  std::string versus;  // the best policy
  // Mean NPV with the input held at its 10th and 90th percentile, the other inputs drawn as
  // in the run, on the same first `swing_worlds` worlds.
  double npv_low = 0.0, npv_high = 0.0;
  double input_low = 0.0, input_high = 0.0;  // the 10th and 90th percentiles
};

struct Sensitivity {
  std::int64_t swing_worlds = 0;
  std::vector<InputSensitivity> rows;  // by input, then by policy
};

// At most this many worlds are simulated again for each swing.
inline constexpr std::int64_t kSwingWorlds = 2000;

// Needs a run with inputs (results.inputs() not empty) and its summary's best policy.
Sensitivity sensitivity(const Model& model, const RunResults& results, const RunSummary& summary,
                        std::uint64_t seed, Workers workers);

}  // namespace tenure
