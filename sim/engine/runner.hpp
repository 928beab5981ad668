// Runs every policy over the same simulated worlds, in parallel over worlds, appending blocks
// of worlds to the results in world order.
#pragma once

#include <tbb/task_arena.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/engine/model.hpp"

namespace tenure {

// Called now and then with the number of worlds finished and the number asked for; may be
// called from any thread, never concurrently with itself.
using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

// Worlds go through a run in chunks of this many, one task each; at most
// chunks_in_flight(threads) chunks are between being handed out and added to the results.
inline constexpr std::int64_t kWorldsPerChunk = 16;
constexpr std::int64_t chunks_in_flight(int threads) {
  return 4 * std::int64_t{threads > 1 ? threads : 1};
}

// A run of one model with one seed. It owns its threads (a task arena), so runs with
// different thread counts can live in one process. Bit-identical results for any thread
// count: each world's randomness depends only on (seed, world), each world writes only its
// own slots, and what is summed over worlds is summed in fixed blocks of worlds (RunResults).
class Simulation {
 public:
  // threads 0: all cores. The series of the first `series_worlds` worlds are kept whole
  // (RunResults).
  Simulation(const Model& model, std::uint64_t seed, int threads = 0,
             std::int64_t series_worlds = kSeriesWorlds);

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
  Progress progress = {};
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
