#include "sim/engine/runner.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "sim/analysis/statistics.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/precision.hpp"
#include "sim/engine/world.hpp"
#include "sim/engine/world_exchange.hpp"

namespace tenure {

namespace {

std::vector<std::string> names(const std::vector<ReportedSlot>& reported) {
  std::vector<std::string> out;
  for (const ReportedSlot& figure : reported) out.push_back(figure.name);
  return out;
}

std::vector<std::string> policy_names(const Model& model) {
  std::vector<std::string> out;
  for (const PolicyPlan& plan : model.policies) out.push_back(plan.name);
  return out;
}

std::vector<std::string> input_names(const Model& model) {
  std::vector<std::string> out;
  for (const UncertainInput& input : model.inputs.inputs) out.push_back(input.name);
  return out;
}

// Per thread: a block of worlds being simulated, and the kernel's scratch memory for each.
struct Scratch {
  explicit Scratch(const Model& model) : cells(model) {
    for (std::size_t l = 0; l < kBlockWorlds; ++l) workspaces.emplace_back(model);
  }
  std::array<World, kBlockWorlds> worlds;
  std::vector<Workspace> workspaces;
  BlockCells cells;
};

// Worlds simulated by one task. Their metrics go straight to their own slots of the results;
// their series wait here until the chunks before them are in, so that the results add them
// in world order.
struct Chunk {
  std::int64_t first = 0, last = 0;
  std::vector<double> series;  // [world - first][policy][reported series][period - 1]
};

// Chunks to reuse: as many exist as the pipeline ever had in flight at once.
class ChunkPool {
 public:
  Chunk* take() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return owned_.emplace_back(std::make_unique<Chunk>()).get();
    Chunk* chunk = free_.back();
    free_.pop_back();
    return chunk;
  }
  void give(Chunk* chunk) {
    std::lock_guard lock(mutex_);
    free_.push_back(chunk);
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Chunk>> owned_;
  std::vector<Chunk*> free_;
};

// Copies one world's reported metrics and payback under one policy into the results, and
// its reported series into `series` ([series][period - 1]).
void store(const Model& model, const Workspace& w, std::size_t policy, std::int64_t path,
           RunResults& results, std::span<double> series) {
  const std::vector<ReportedSlot>& metrics = model.layout.reported_metrics();
  for (std::size_t k = 0; k < metrics.size(); ++k)
    results.metric(policy, k)[path] = w.result.metrics[metrics[k].slot];
  results.payback(policy)[path] = w.result.payback;
  const std::vector<ReportedSlot>& reported = model.layout.reported_series();
  const auto horizon = static_cast<std::size_t>(model.horizon);
  for (std::size_t k = 0; k < reported.size(); ++k)
    std::copy_n(w.result.series.begin() + static_cast<std::ptrdiff_t>(reported[k].slot * horizon),
                horizon, series.begin() + static_cast<std::ptrdiff_t>(k * horizon));
}

// Simulates a block of worlds, first .. first + count - 1, under every policy.
void simulate_block(const Model& model, Scratch& local, std::int64_t first, std::size_t count,
                    Chunk& chunk, RunResults& results) {
  const std::size_t per_policy = results.series().size() * static_cast<std::size_t>(model.horizon);
  const std::size_t policies = model.policies.size();
  std::array<const World*, kBlockWorlds> worlds;
  std::array<Workspace*, kBlockWorlds> workspaces;
  local.cells.fit(*local.worlds[0].model);
  for (std::size_t l = 0; l < count; ++l) {
    worlds[l] = &local.worlds[l];
    workspaces[l] = &local.workspaces[l];
  }
  for (std::size_t policy = 0; policy < policies; ++policy) {
    simulate_paths({worlds.data(), count}, model.policies[policy], {workspaces.data(), count},
                   local.cells);
    for (std::size_t l = 0; l < count; ++l) {
      const std::int64_t path = first + static_cast<std::int64_t>(l);
      const std::size_t at = static_cast<std::size_t>(path - chunk.first) * policies + policy;
      store(model, local.workspaces[l], policy, path, results,
            std::span(chunk.series).subspan(at * per_policy, per_policy));
    }
  }
}

// Simulates the worlds of a chunk under every policy, in blocks of consecutive worlds whose
// cells line up (a world's results do not depend on its block).
void simulate_chunk(const Model& model, std::uint64_t seed, Scratch& local, Chunk& chunk,
                    RunResults& results) {
  const std::size_t per_policy = results.series().size() * static_cast<std::size_t>(model.horizon);
  chunk.series.resize(static_cast<std::size_t>(chunk.last - chunk.first) * model.policies.size() *
                      per_policy);
  std::int64_t first = chunk.first;
  std::size_t count = 0;
  for (std::int64_t path = chunk.first; path != chunk.last; ++path) {
    build_world(model, seed, static_cast<std::uint64_t>(path), local.worlds[count]);
    if (count > 0 && !same_cells(*local.worlds[0].model, *local.worlds[count].model)) {
      simulate_block(model, local, first, count, chunk, results);
      // Built again where the next block starts (a world's model may point into the world).
      build_world(model, seed, static_cast<std::uint64_t>(path), local.worlds[0]);
      first = path;
      count = 0;
    }
    const World& built = local.worlds[count];
    if (built.model != &model) local.workspaces[count].fit(*built.model);
    for (std::size_t k = 0; k < built.inputs.size(); ++k) results.input(k)[path] = built.inputs[k];
    if (++count == kBlockWorlds || path + 1 == chunk.last) {
      simulate_block(model, local, first, count, chunk, results);
      first = path + 1;
      count = 0;
    }
  }
}

// A cluster run goes in rounds of at least a unit of worlds per rank (world_exchange.hpp),
// and at most this many rounds: often enough for progress and for a failure on one rank to
// stop the others soon, seldom enough that waiting for the slowest rank of each round costs
// little.
constexpr std::int64_t kClusterRounds = 20;

}  // namespace

Simulation::Simulation(const Model& model, std::uint64_t seed, Workers workers,
                       std::int64_t series_worlds)
    : model_(model),
      seed_(seed),
      cluster_(workers.cluster),
      arena_(workers.threads > 0 ? workers.threads : tbb::task_arena::automatic),
      results_(policy_names(model), names(model.layout.reported_metrics()),
               names(model.layout.reported_series()), model.horizon, input_names(model),
               series_worlds) {}

void Simulation::run_paths(std::int64_t first, std::int64_t last, const Progress& progress) {
  if (first != results_.paths() || last < first)
    throw std::logic_error("worlds must be appended in order");
  results_.grow_to(last);
  if (cluster_ != nullptr && cluster_->size() > 1) return run_on_cluster(first, last, progress);
  const SeriesSink add = [&](std::int64_t world, std::size_t policy,
                             std::span<const double> series) {
    results_.add_series(world, policy, series);
  };
  simulate_worlds(first, last, add, [&](std::int64_t world) {
    if (progress) progress(world, last);
  });
}

// Worlds flow through a pipeline: chunks handed out in world order, simulated in parallel,
// and their series handed to `sink` in world order, a bounded number in flight, so memory
// does not grow with the number of worlds beyond the kept ones.
void Simulation::simulate_worlds(std::int64_t first, std::int64_t last, const SeriesSink& sink,
                                 const std::function<void(std::int64_t world)>& done) {
  tbb::enumerable_thread_specific<std::unique_ptr<Scratch>> scratch(
      [&] { return std::make_unique<Scratch>(model_); });
  const std::size_t per_policy =
      results_.series().size() * static_cast<std::size_t>(model_.horizon);
  ChunkPool pool;
  std::int64_t next = first;
  auto hand_out = [&](tbb::flow_control& control) -> Chunk* {
    if (next == last) {
      control.stop();
      return nullptr;
    }
    Chunk* chunk = pool.take();
    chunk->first = next;
    chunk->last = next = std::min(next + kWorldsPerChunk, last);
    return chunk;
  };
  auto simulate = [&](Chunk* chunk) {
    simulate_chunk(model_, seed_, *scratch.local(), *chunk, results_);
    return chunk;
  };
  auto add = [&](Chunk* chunk) {
    std::span<const double> series(chunk->series);
    for (std::int64_t path = chunk->first; path != chunk->last; ++path)
      for (std::size_t policy = 0; policy < model_.policies.size(); ++policy) {
        sink(path, policy, series.first(per_policy));
        series = series.subspan(per_policy);
      }
    done(chunk->last);
    pool.give(chunk);
  };
  arena_.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(chunks_in_flight(arena_.max_concurrency())),
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order, hand_out) &
            tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel, simulate) &
            tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, add));
  });
  for (const auto& local : scratch)
    for (const Workspace& workspace : local->workspaces) results_.draws += workspace.draws;
}

// Rounds of whole units of worlds, each shared out over the ranks: a rank simulates its
// share, the ranks settle (a failure anywhere stops them all), and every rank takes in every
// share in rank order, which is world order (world_exchange.hpp). The draw count is a sum
// of integers, the same whatever the partition.
void Simulation::run_on_cluster(std::int64_t first, std::int64_t last, const Progress& progress) {
  const Cluster& cluster = *cluster_;
  const std::vector<std::int64_t> bounds = unit_bounds(results_, first, last);
  const std::int64_t per_round = (last - first + kClusterRounds - 1) / kClusterRounds;
  const std::uint64_t draws_before = results_.draws;
  for (std::size_t begin = 0; begin + 1 < bounds.size();) {
    // Enough units for every rank to have one, and enough worlds for at most kClusterRounds.
    std::size_t end = std::min(bounds.size() - 1, begin + static_cast<std::size_t>(cluster.size()));
    while (end + 1 < bounds.size() && bounds[end] - bounds[begin] < per_round) ++end;
    std::vector<SharePlan> plans;
    for (int rank = 0; rank < cluster.size(); ++rank) {
      const WorldRange units = rank_share(
          {static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end)}, rank, cluster.size());
      plans.push_back(share_plan(results_, first,
                                 {bounds[static_cast<std::size_t>(units.first)],
                                  bounds[static_cast<std::size_t>(units.last)]}));
    }
    exchange_round(plans, progress, last);
    begin = end;
  }
  results_.draws = draws_before + cluster.sum(results_.draws - draws_before);
}

// One round: this rank's share simulated, then every rank's taken in, in rank order.
void Simulation::exchange_round(const std::vector<SharePlan>& plans, const Progress& progress,
                                std::int64_t last) {
  const Cluster& cluster = *cluster_;
  const SharePlan& mine = plans[static_cast<std::size_t>(cluster.rank())];
  const std::int64_t round_first = plans.front().first, round_last = plans.back().last;
  std::vector<double> packed;
  std::exception_ptr failure;
  try {
    ShareOutbox outbox(results_, mine);
    const SeriesSink take = [&](std::int64_t world, std::size_t policy,
                                std::span<const double> series) {
      outbox.take_series(world, policy, series);
    };
    // The leader's pace stands for every rank's: they run the same code on equal shares.
    const auto ranks = static_cast<std::int64_t>(plans.size());
    simulate_worlds(mine.first, mine.last, take, [&](std::int64_t world) {
      if (progress && cluster.leader())
        progress(std::min(round_last, round_first + (world - mine.first) * ranks), last);
    });
    packed = outbox.pack(results_);
  } catch (...) {
    failure = std::current_exception();
  }
  cluster.settle(failure);
  const std::vector<double> all = cluster.gather(packed);
  std::span<const double> rest(all);
  for (const SharePlan& plan : plans) rest = rest.subspan(unpack_share(results_, plan, rest));
  if (!rest.empty()) throw std::length_error("ranks sent more values than due");
  if (progress && cluster.leader()) progress(round_last, last);
}

RunResults run_simulation(const Model& model, const RunOptions& options) {
  Simulation simulation(model, options.seed, Workers(options.threads, options.cluster));
  simulation.run_paths(0, options.paths, options.progress);
  return simulation.take_results();
}

PrecisionRun run_to_precision(Simulation& simulation, double half_width, std::int64_t cap,
                              const Progress& progress) {
  const PrecisionStatus status = run_to_targets(simulation, {half_width, {}, {}}, cap, progress);
  return {half_width, status.mean_half_width, status.reached};
}

}  // namespace tenure
