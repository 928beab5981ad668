// Runs every policy over the same simulated worlds, in parallel over worlds, appending blocks
// of worlds to the results in world order.
#pragma once

#include <tbb/task_arena.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/model.hpp"

namespace tenure {

// Per-world outcomes of every policy, stored by world index so results never depend on the
// order in which threads finished. Worlds are appended in blocks.
class RunResults {
 public:
  RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
             std::vector<std::string> series, int horizon);

  const std::vector<std::string>& policies() const { return policies_; }
  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<std::string>& series() const { return series_; }
  std::int64_t paths() const { return paths_; }
  int horizon() const { return horizon_; }
  std::uint64_t draws = 0;  // sampler calls over the whole run

  // Makes room for worlds up to `paths` (values 0 until written).
  void grow_to(std::int64_t paths);

  // One value per world.
  std::span<double> metric(std::size_t policy, std::size_t metric);
  std::span<const double> metric(std::size_t policy, std::size_t metric) const;
  // By name; throws std::out_of_range for a metric this run does not report.
  std::span<const double> metric(std::size_t policy, const std::string& name) const;
  std::size_t metric_index(const std::string& name) const;
  std::span<double> series(std::size_t policy, std::size_t series, int period);
  std::span<const double> series(std::size_t policy, std::size_t series, int period) const;

 private:
  std::vector<std::string> policies_, metrics_, series_;
  std::int64_t paths_ = 0;
  int horizon_;
  std::vector<std::vector<double>> metric_values_;  // [policy][metric] -> per world
  std::vector<std::vector<double>> series_values_;  // [policy][series][period] -> per world
};

// Called now and then with the number of worlds finished and the number asked for; may be
// called from any thread, never concurrently with itself.
using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

// A run of one model with one seed. It owns its threads (a task arena), so runs with
// different thread counts can live in one process. Bit-identical results for any thread
// count: each world's randomness depends only on (seed, world), and each world writes only
// its own slots.
class Simulation {
 public:
  Simulation(const Model& model, std::uint64_t seed, int threads = 0);  // 0: all cores

  // Simulates worlds [first, last) under every policy and appends them; `first` must be
  // the number of worlds simulated so far.
  void run_paths(std::int64_t first, std::int64_t last, const Progress& progress = {});

  const RunResults& results() const { return results_; }
  RunResults take_results() { return std::move(results_); }
  const Model& model() const { return model_; }

 private:
  const Model& model_;
  std::uint64_t seed_;
  tbb::task_arena arena_;
  RunResults results_;
};

struct RunOptions {
  std::int64_t paths = 1000;
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all available
  Progress progress;
};

// Simulates options.paths worlds under every policy of the model.
RunResults run_simulation(const Model& model, const RunOptions& options);

// Runs until the 95% confidence interval of every policy's mean NPV is no wider than
// +/- `half_width`, or until `cap` worlds, whichever comes first. A pilot of min(1000, cap)
// worlds estimates the spread; worlds are then appended, as many as the estimate asks for,
// until reached or capped. The result is the same as a fixed run of that many worlds.
struct PrecisionRun {
  double target = 0.0;    // the half-width asked for
  double achieved = 0.0;  // the widest half-width among the policies
  bool reached = false;   // false: the cap won
};
PrecisionRun run_to_precision(Simulation& simulation, double half_width, std::int64_t cap,
                              const Progress& progress = {});

}  // namespace tenure
