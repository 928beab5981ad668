#include "sim/engine/runner.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/precision.hpp"
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

// Copies the reported slots of one world under one policy into the results.
void store(const Model& model, const Workspace& w, std::size_t policy, std::int64_t path,
           RunResults& results) {
  const std::vector<ReportedSlot>& metrics = model.layout.reported_metrics();
  const std::vector<ReportedSlot>& series = model.layout.reported_series();
  for (std::size_t k = 0; k < metrics.size(); ++k)
    results.metric(policy, k)[path] = w.result.metrics[metrics[k].slot];
  for (std::size_t k = 0; k < series.size(); ++k)
    for (int t = 1; t <= model.horizon; ++t)
      results.series(policy, k, t)[path] = w.result.series[series[k].slot * model.horizon + t - 1];
}

}  // namespace

Simulation::Simulation(const Model& model, std::uint64_t seed, int threads)
    : model_(model),
      seed_(seed),
      arena_(threads > 0 ? threads : tbb::task_arena::automatic),
      results_(policy_names(model), names(model.layout.reported_metrics()),
               names(model.layout.reported_series()), model.horizon, input_names(model)) {}

void Simulation::run_paths(std::int64_t first, std::int64_t last, const Progress& progress) {
  if (first != results_.paths() || last < first)
    throw std::logic_error("worlds must be appended in order");
  results_.grow_to(last);
  tbb::enumerable_thread_specific<std::unique_ptr<Scratch>> scratch(
      [&] { return std::make_unique<Scratch>(model_); });
  std::atomic<std::int64_t> done{0};
  std::mutex progress_mutex;
  constexpr std::int64_t kWorldsPerTask = 16;
  arena_.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::int64_t>(first, last, kWorldsPerTask),
        [&](const tbb::blocked_range<std::int64_t>& range) {
          Scratch& local = *scratch.local();
          for (std::int64_t path = range.begin(); path != range.end(); ++path) {
            World& world = local.world;
            build_world(model_, seed_, static_cast<std::uint64_t>(path), world);
            if (world.model != &model_) local.workspace.fit(*world.model);
            for (std::size_t k = 0; k < world.inputs.size(); ++k)
              results_.input(k)[path] = world.inputs[k];
            for (std::size_t policy = 0; policy < model_.policies.size(); ++policy) {
              simulate_path(*world.model, world, model_.policies[policy], local.workspace);
              store(model_, local.workspace, policy, path, results_);
            }
          }
          const std::int64_t finished = done += static_cast<std::int64_t>(range.size());
          if (!progress) return;
          std::unique_lock lock(progress_mutex, std::try_to_lock);
          if (lock.owns_lock()) progress(first + finished, last);
        },
        tbb::simple_partitioner());
  });
  for (const auto& local : scratch) results_.draws += local->workspace.draws;
}

RunResults run_simulation(const Model& model, const RunOptions& options) {
  Simulation simulation(model, options.seed, options.threads);
  simulation.run_paths(0, options.paths, options.progress);
  return simulation.take_results();
}

PrecisionRun run_to_precision(Simulation& simulation, double half_width, std::int64_t cap,
                              const Progress& progress) {
  const PrecisionStatus status = run_to_targets(simulation, {half_width, {}, {}}, cap, progress);
  return {half_width, status.mean_half_width, status.reached};
}

}  // namespace tenure
