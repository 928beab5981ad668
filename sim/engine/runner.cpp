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
#include "sim/cluster/cluster.hpp"
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

// A cluster run goes in rounds of at least this many worlds per rank, and at most this many
// rounds: often enough for progress and for a failure on one rank to stop the others soon,
// seldom enough that waiting for the slowest rank of each round costs little.
constexpr std::int64_t kClusterRoundWorlds = 64;
constexpr std::int64_t kClusterRounds = 20;

}  // namespace

Simulation::Simulation(const Model& model, std::uint64_t seed, Workers workers)
    : model_(model),
      seed_(seed),
      cluster_(workers.cluster),
      arena_(workers.threads > 0 ? workers.threads : tbb::task_arena::automatic),
      results_(policy_names(model), names(model.layout.reported_metrics()),
               names(model.layout.reported_series()), model.horizon, input_names(model)) {}

void Simulation::run_paths(std::int64_t first, std::int64_t last, const Progress& progress) {
  if (first != results_.paths() || last < first)
    throw std::logic_error("worlds must be appended in order");
  results_.grow_to(last);
  if (cluster_ != nullptr && cluster_->size() > 1) return run_on_cluster(first, last, progress);
  std::mutex progress_mutex;
  simulate_worlds(first, last, [&](std::int64_t done) {
    if (!progress) return;
    std::unique_lock lock(progress_mutex, std::try_to_lock);
    if (lock.owns_lock()) progress(first + done, last);
  });
}

void Simulation::simulate_worlds(std::int64_t first, std::int64_t last,
                                 const std::function<void(std::int64_t done)>& done) {
  tbb::enumerable_thread_specific<std::unique_ptr<Scratch>> scratch(
      [&] { return std::make_unique<Scratch>(model_); });
  std::atomic<std::int64_t> finished{0};
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
          done(finished += static_cast<std::int64_t>(range.size()));
        },
        tbb::simple_partitioner());
  });
  for (const auto& local : scratch) results_.draws += local->workspace.draws;
}

// Rounds of worlds, each shared out over the ranks: a rank simulates its share, the ranks
// check that none failed (else all stop together), and every rank receives every world of
// the round, packed world by world, so that concatenating the shares in rank order is world
// order. The draw count is a sum of integers, the same whatever the partition.
void Simulation::run_on_cluster(std::int64_t first, std::int64_t last, const Progress& progress) {
  const Cluster& cluster = *cluster_;
  const std::int64_t ranks = cluster.size();
  const std::int64_t round = std::max<std::int64_t>(
      kClusterRoundWorlds * ranks, (last - first + kClusterRounds - 1) / kClusterRounds);
  const std::uint64_t draws_before = results_.draws;
  std::vector<double> packed;
  std::mutex progress_mutex;
  for (std::int64_t begin = first; begin < last;) {
    const std::int64_t end = std::min(last, begin + round);
    const WorldRange mine = cluster.share({begin, end});
    std::exception_ptr failure;
    try {
      // The leader's own pace stands for every rank's: they run the same code on equal shares.
      simulate_worlds(mine.first, mine.last, [&](std::int64_t done) {
        if (!progress || !cluster.leader()) return;
        std::unique_lock lock(progress_mutex, std::try_to_lock);
        if (lock.owns_lock()) progress(std::min(end, begin + done * ranks), last);
      });
      packed.clear();
      results_.pack_worlds(mine.first, mine.last, packed);
    } catch (...) {
      failure = std::current_exception();
    }
    cluster.settle(failure);
    results_.unpack_worlds(begin, end, cluster.gather(packed));
    if (progress && cluster.leader()) progress(end, last);
    begin = end;
  }
  results_.draws = draws_before + cluster.sum(results_.draws - draws_before);
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
