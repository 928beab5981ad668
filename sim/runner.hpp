// Runs every policy over the same simulated worlds, in parallel over paths.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/model.hpp"

namespace tenure {

struct RunOptions {
  std::int64_t paths = 1000;
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all available
  // Called now and then with the number of paths finished; may be called from any thread,
  // never concurrently with itself.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// Per-path outcomes of every policy, stored by path index so results never depend on the
// order in which threads finished.
class RunResults {
 public:
  RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
             std::vector<std::string> series, std::int64_t paths, int horizon);

  const std::vector<std::string>& policies() const { return policies_; }
  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<std::string>& series() const { return series_; }
  std::int64_t paths() const { return paths_; }
  int horizon() const { return horizon_; }
  std::uint64_t draws = 0;  // sampler calls over the whole run

  // One value per path.
  std::span<double> metric(std::size_t policy, std::size_t metric);
  std::span<const double> metric(std::size_t policy, std::size_t metric) const;
  // By name; throws std::out_of_range for a metric this run does not report.
  std::span<const double> metric(std::size_t policy, const std::string& name) const;
  std::size_t metric_index(const std::string& name) const;
  std::span<double> series(std::size_t policy, std::size_t series, int period);
  std::span<const double> series(std::size_t policy, std::size_t series, int period) const;

 private:
  std::size_t metric_offset(std::size_t policy, std::size_t metric) const;
  std::size_t series_offset(std::size_t policy, std::size_t series, int period) const;

  std::vector<std::string> policies_, metrics_, series_;
  std::int64_t paths_;
  int horizon_;
  std::vector<double> metric_values_;  // [policy][metric][path]
  std::vector<double> series_values_;  // [policy][series][period][path]
};

// Runs until the 95% confidence interval of every policy's mean NPV is no wider than
// +/- `half_width`, or until `options.paths` (the cap) worlds, whichever comes first.
// A pilot of min(1000, cap) worlds estimates the spread; the run is then repeated with the
// number of worlds the estimate asks for, until reached or capped (worlds are keyed by
// index, so the first ones come out identical and the result is as deterministic as a
// fixed-size run).
struct PrecisionRun {
  RunResults results;
  double target = 0.0;    // the half-width asked for
  double achieved = 0.0;  // the widest half-width among the policies
  bool reached = false;   // false: the cap won
};
PrecisionRun run_to_precision(const Model& model, const RunOptions& options, double half_width);

// Bytes the per-path results of a run of `paths` worlds take (they are kept for quantiles).
std::size_t result_bytes(const Model& model, std::int64_t paths);

// Simulates options.paths worlds under every policy of the model. Bit-identical results
// for any thread count: each path's randomness depends only on (seed, path), and each
// path writes only its own slots.
RunResults run_simulation(const Model& model, const RunOptions& options);

}  // namespace tenure
