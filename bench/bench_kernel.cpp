// The kernel on the shipped baseline: path-periods per second, sampler draws per
// path-period and time per draw, on one thread and on all threads.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "sim/engine/kernel.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace {

struct Baseline {
  tenure::Scenario scenario =
      tenure::load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml");
  tenure::Model model = tenure::build_model(scenario);
};

const Baseline& baseline() {
  static const auto instance = std::make_unique<Baseline>();
  return *instance;
}

// ns_per_draw is the time per sampler call including everything around it (state updates,
// cash flows, results), per thread: elapsed time x threads / draws.
void report(benchmark::State& state, std::int64_t path_periods, std::uint64_t draws, double seconds,
            int threads) {
  state.counters["path_periods_per_s"] = static_cast<double>(path_periods) / seconds;
  state.counters["draws_per_path_period"] =
      static_cast<double>(draws) / static_cast<double>(path_periods);
  state.counters["ns_per_draw"] = seconds * 1e9 * threads / static_cast<double>(draws);
}

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One thread, one policy at a time, a block of kBlockWorlds worlds at a time straight through
// simulate_paths, as the runner steps them.
void BM_KernelBaselineOneThread(benchmark::State& state) {
  const tenure::Model& model = baseline().model;
  std::vector<tenure::World> worlds(tenure::kBlockWorlds);
  std::vector<tenure::Workspace> workspaces(tenure::kBlockWorlds, tenure::Workspace(model));
  std::vector<const tenure::World*> block;
  std::vector<tenure::Workspace*> scratch;
  for (std::size_t l = 0; l < tenure::kBlockWorlds; ++l) {
    block.push_back(&worlds[l]);
    scratch.push_back(&workspaces[l]);
  }
  tenure::BlockCells cells(model);
  std::uint64_t path = 0;
  std::int64_t path_periods = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (tenure::World& world : worlds) tenure::build_world(model, 42, path++, world);
    for (const tenure::PolicyPlan& plan : model.policies) {
      tenure::simulate_paths(block, plan, scratch, cells);
      benchmark::DoNotOptimize(workspaces.back().result.metrics.data());
      path_periods += model.horizon * static_cast<std::int64_t>(tenure::kBlockWorlds);
    }
  }
  std::uint64_t draws = 0;
  for (const tenure::Workspace& workspace : workspaces) draws += workspace.draws;
  report(state, path_periods, draws, since(start), 1);
  state.SetLabel("lanes: " + tenure::lanes_target());
}
BENCHMARK(BM_KernelBaselineOneThread)->Unit(benchmark::kMicrosecond);

// The whole run (all policies, storage of per-path results) on all threads.
void BM_KernelBaselineAllThreads(benchmark::State& state) {
  const tenure::Model& model = baseline().model;
  tenure::RunOptions options;
  options.paths = 2000;
  std::int64_t path_periods = 0;
  std::uint64_t draws = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const tenure::RunResults results = tenure::run_simulation(model, options);
    benchmark::DoNotOptimize(results.metric(0, 0).data());
    path_periods +=
        options.paths * static_cast<std::int64_t>(model.policies.size()) * model.horizon;
    draws += results.draws;
  }
  const int threads = static_cast<int>(std::thread::hardware_concurrency());
  state.counters["threads"] = threads;
  report(state, path_periods, draws, since(start), threads);
}
BENCHMARK(BM_KernelBaselineAllThreads)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
