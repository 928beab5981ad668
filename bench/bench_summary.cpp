// The summary a run ends with (summarize_run: every metric's quantiles and every fan chart's
// bands, sorted over the worlds), after the last world, on all threads.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "sim/analysis/summary.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace {

// The shipped baseline's results for 10,000 worlds, made once.
const tenure::RunResults& baseline_results() {
  static const auto results = [] {
    const tenure::Model model = tenure::build_model(
        tenure::load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml"));
    tenure::RunOptions options;
    options.paths = 10000;
    return std::make_unique<tenure::RunResults>(tenure::run_simulation(model, options));
  }();
  return *results;
}

void BM_SummarizeBaseline10000Worlds(benchmark::State& state) {
  const tenure::RunResults& results = baseline_results();
  for (auto _ : state) {
    const tenure::RunSummary summary = tenure::summarize_run(results, std::nullopt, std::nullopt);
    benchmark::DoNotOptimize(summary.metrics.data());
  }
}
BENCHMARK(BM_SummarizeBaseline10000Worlds)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
