#include "sim/engine/runner.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/world.hpp"

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

// Per thread: the world being simulated and the kernel's scratch memory.
struct Scratch {
  explicit Scratch(const Model& model) : workspace(model) {}
  World world;
  Workspace workspace;
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

// Simulates the worlds of a chunk under every policy.
void simulate_chunk(const Model& model, std::uint64_t seed, Scratch& local, Chunk& chunk,
                    RunResults& results) {
  const std::size_t per_policy = results.series().size() * static_cast<std::size_t>(model.horizon);
  const std::size_t policies = model.policies.size();
  chunk.series.resize(static_cast<std::size_t>(chunk.last - chunk.first) * policies * per_policy);
  for (std::int64_t path = chunk.first; path != chunk.last; ++path) {
    World& world = local.world;
    build_world(model, seed, static_cast<std::uint64_t>(path), world);
    if (world.model != &model) local.workspace.fit(*world.model);
    for (std::size_t k = 0; k < world.inputs.size(); ++k) results.input(k)[path] = world.inputs[k];
    for (std::size_t policy = 0; policy < policies; ++policy) {
      simulate_path(*world.model, world, model.policies[policy], local.workspace);
      const std::size_t at = static_cast<std::size_t>(path - chunk.first) * policies + policy;
      store(model, local.workspace, policy, path, results,
            std::span(chunk.series).subspan(at * per_policy, per_policy));
    }
  }
}

}  // namespace

Simulation::Simulation(const Model& model, std::uint64_t seed, int threads,
                       std::int64_t series_worlds)
    : model_(model),
      seed_(seed),
      arena_(threads > 0 ? threads : tbb::task_arena::automatic),
      results_(policy_names(model), names(model.layout.reported_metrics()),
               names(model.layout.reported_series()), model.horizon, input_names(model),
               series_worlds) {}

// Worlds flow through a pipeline: chunks handed out in world order, simulated in parallel,
// and their series added to the results in world order, a bounded number in flight, so
// memory does not grow with the number of worlds beyond the kept ones.
void Simulation::run_paths(std::int64_t first, std::int64_t last, const Progress& progress) {
  if (first != results_.paths() || last < first)
    throw std::logic_error("worlds must be appended in order");
  results_.grow_to(last);
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
        results_.add_series(path, policy, series.first(per_policy));
        series = series.subspan(per_policy);
      }
    if (progress) progress(chunk->last, last);
    pool.give(chunk);
  };
  arena_.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(chunks_in_flight(arena_.max_concurrency())),
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order, hand_out) &
            tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel, simulate) &
            tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, add));
  });
  for (const auto& local : scratch) results_.draws += local->workspace.draws;
}

RunResults run_simulation(const Model& model, const RunOptions& options) {
  Simulation simulation(model, options.seed, options.threads);
  simulation.run_paths(0, options.paths, options.progress);
  return simulation.take_results();
}

namespace {

// Widest 95% half-width of the mean NPV over the policies.
double widest_npv_half_width(const RunResults& results) {
  double widest = 0.0;
  for (std::size_t p = 0; p < results.policies().size(); ++p)
    widest = std::max(widest, kZ95 * summarize(results.metric(p, "npv")).se);
  return widest;
}

}  // namespace

PrecisionRun run_to_precision(Simulation& simulation, double half_width, std::int64_t cap,
                              const Progress& progress) {
  simulation.run_paths(0, std::min<std::int64_t>(1000, cap), progress);
  double achieved = widest_npv_half_width(simulation.results());
  // The half-width shrinks as 1 / sqrt(n): ask for n (achieved / target)^2, plus 10%, and
  // add more in the rare case the estimate falls short, until reached or capped.
  while (achieved > half_width && simulation.results().paths() < cap) {
    const std::int64_t n = simulation.results().paths();
    const double ratio = achieved / half_width;
    const double wanted = std::ceil(1.1 * static_cast<double>(n) * ratio * ratio);
    const std::int64_t next =
        wanted >= static_cast<double>(cap)
            ? cap
            : std::max<std::int64_t>(n + 1, static_cast<std::int64_t>(wanted));
    simulation.run_paths(n, next, progress);
    achieved = widest_npv_half_width(simulation.results());
  }
  return {half_width, achieved, achieved <= half_width};
}

}  // namespace tenure
