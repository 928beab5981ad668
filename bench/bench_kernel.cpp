// The kernel on the shipped baseline: path-periods per second, sampler draws per
// path-period and time per draw, on one thread and on all threads.
#include <benchmark/benchmark.h>

#include <memory>
#include <thread>

#include "sim/kernel.hpp"
#include "sim/model.hpp"
#include "sim/runner.hpp"
#include "sim/scenario_yaml.hpp"

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

void report(benchmark::State& state, std::int64_t path_periods, std::uint64_t draws) {
  state.counters["path_periods_per_s"] =
      benchmark::Counter(static_cast<double>(path_periods), benchmark::Counter::kIsRate);
  state.counters["draws_per_path_period"] =
      static_cast<double>(draws) / static_cast<double>(path_periods);
  state.counters["ns_per_draw"] = benchmark::Counter(
      static_cast<double>(draws) * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// One thread, one policy at a time, straight through simulate_path.
void BM_KernelBaselineOneThread(benchmark::State& state) {
  const tenure::Model& model = baseline().model;
  tenure::Workspace workspace(model);
  std::uint64_t path = 0;
  std::int64_t path_periods = 0;
  for (auto _ : state) {
    for (std::size_t policy = 0; policy < model.policies.size(); ++policy) {
      tenure::simulate_path(model, policy, 42, path, workspace);
      benchmark::DoNotOptimize(workspace.result.metrics.data());
      path_periods += model.horizon;
    }
    ++path;
  }
  report(state, path_periods, workspace.draws);
}
BENCHMARK(BM_KernelBaselineOneThread)->Unit(benchmark::kMicrosecond);

// The whole run (all policies, storage of per-path results) on all threads.
void BM_KernelBaselineAllThreads(benchmark::State& state) {
  const tenure::Model& model = baseline().model;
  tenure::RunOptions options;
  options.paths = 2000;
  std::int64_t path_periods = 0;
  std::uint64_t draws = 0;
  for (auto _ : state) {
    const tenure::RunResults results = tenure::run_simulation(model, options);
    benchmark::DoNotOptimize(results.metric(0, 0).data());
    path_periods += options.paths * static_cast<std::int64_t>(model.policies.size()) * model.horizon;
    draws += results.draws;
  }
  state.counters["threads"] = std::thread::hardware_concurrency();
  report(state, path_periods, draws);
}
BENCHMARK(BM_KernelBaselineAllThreads)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
