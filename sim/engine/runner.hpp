// Runs every policy over the same simulated worlds, in parallel over worlds, appending blocks
// of worlds to the results in world order.
#pragma once

#include <tbb/task_arena.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/analysis/run_results.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/world_exchange.hpp"

namespace tenure {

class Cluster;

// Who simulates: this process's threads, and the ranks of an MPI job when there is one.
struct Workers {
  Workers(int threads = 0, const Cluster* cluster = nullptr)  // NOLINT: an int is a count
      : threads(threads), cluster(cluster) {}
  int threads = 0;                   // per process; 0: all cores
  const Cluster* cluster = nullptr;  // none: this process alone
};

// Called now and then with the number of worlds finished and the number asked for; may be
// called from any thread, never concurrently with itself.
using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

// Worlds go through a run in chunks of this many, one task each; at most
// chunks_in_flight(threads) chunks are between being handed out and added to the results.
inline constexpr std::int64_t kWorldsPerChunk = 16;
constexpr std::int64_t chunks_in_flight(int threads) {
  return 4 * std::int64_t{threads > 1 ? threads : 1};
}

// Where a world's series go once it is simulated, world by world in world order for each
// policy: laid out [series][period - 1].
using SeriesSink =
    std::function<void(std::int64_t world, std::size_t policy, std::span<const double> series)>;

// A run of one model with one seed. It owns its threads (a task arena), so runs with
// different thread counts can live in one process. Bit-identical results for any thread
// count and any number of ranks: each world's randomness depends only on (seed, world), each
// world writes only its own slots, and what is summed over worlds is summed in fixed blocks
// of worlds (RunResults). With a cluster of several ranks, each rank simulates its share of
// the worlds and every rank then holds every world's results, so all ranks take the same
// decisions (precision targets, searches) from the same numbers.
class Simulation {
 public:
  // The series of the first `series_worlds` worlds are kept whole (RunResults).
  Simulation(const Model& model, std::uint64_t seed, Workers workers = {},
             std::int64_t series_worlds = kSeriesWorlds);

  // Simulates worlds [first, last) under every policy and appends them; `first` must be
  // the number of worlds simulated so far. Progress counts every rank's worlds.
  void run_paths(std::int64_t first, std::int64_t last, const Progress& progress = {});

  const RunResults& results() const { return results_; }
  RunResults take_results() { return std::move(results_); }
  const Model& model() const { return model_; }
  // Runs `work` on this simulation's threads (those of Workers), as the run's analysis
  // should, so that it keeps to the threads the user allowed.
  template <typename Work>
  auto in_arena(Work&& work) {
    return arena_.execute(std::forward<Work>(work));
  }

 private:
  // This process simulates worlds [first, last): metrics, payback and inputs into their
  // slots, series to `sink`; `done(world)` after each chunk, in world order.
  void simulate_worlds(std::int64_t first, std::int64_t last, const SeriesSink& sink,
                       const std::function<void(std::int64_t world)>& done);
  // The worlds shared out over the cluster's ranks, in rounds.
  void run_on_cluster(std::int64_t first, std::int64_t last, const Progress& progress);
  void exchange_round(const std::vector<SharePlan>& plans, const Progress& progress,
                      std::int64_t last);

  const Model& model_;
  std::uint64_t seed_;
  const Cluster* cluster_;
  tbb::task_arena arena_;
  RunResults results_;
};

struct RunOptions {
  std::int64_t paths = 1000;
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all available
  Progress progress = {};
  const Cluster* cluster = nullptr;  // none: this process alone
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
