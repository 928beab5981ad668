#include "sim/runner.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "sim/kernel.hpp"
#include "sim/statistics.hpp"
#include "sim/world.hpp"

namespace tenure {

RunResults::RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
                       std::vector<std::string> series, std::int64_t paths, int horizon)
    : policies_(std::move(policies)),
      metrics_(std::move(metrics)),
      series_(std::move(series)),
      paths_(paths),
      horizon_(horizon),
      metric_values_(policies_.size() * metrics_.size() * paths),
      series_values_(policies_.size() * series_.size() * horizon * paths) {}

std::size_t RunResults::metric_offset(std::size_t policy, std::size_t metric) const {
  return (policy * metrics_.size() + metric) * paths_;
}

std::size_t RunResults::series_offset(std::size_t policy, std::size_t series, int period) const {
  return ((policy * series_.size() + series) * horizon_ + (period - 1)) * paths_;
}

std::span<double> RunResults::metric(std::size_t policy, std::size_t metric) {
  return {metric_values_.data() + metric_offset(policy, metric), static_cast<std::size_t>(paths_)};
}
std::span<const double> RunResults::metric(std::size_t policy, std::size_t metric) const {
  return {metric_values_.data() + metric_offset(policy, metric), static_cast<std::size_t>(paths_)};
}
std::size_t RunResults::metric_index(const std::string& name) const {
  const auto found = std::find(metrics_.begin(), metrics_.end(), name);
  if (found == metrics_.end()) throw std::out_of_range("no metric named " + name);
  return static_cast<std::size_t>(found - metrics_.begin());
}
std::span<const double> RunResults::metric(std::size_t policy, const std::string& name) const {
  return metric(policy, metric_index(name));
}
std::span<double> RunResults::series(std::size_t policy, std::size_t series, int period) {
  return {series_values_.data() + series_offset(policy, series, period),
          static_cast<std::size_t>(paths_)};
}
std::span<const double> RunResults::series(std::size_t policy, std::size_t series,
                                           int period) const {
  return {series_values_.data() + series_offset(policy, series, period),
          static_cast<std::size_t>(paths_)};
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

PrecisionRun run_to_precision(const Model& model, const RunOptions& options, double half_width) {
  RunOptions pilot = options;
  pilot.paths = std::min<std::int64_t>(1000, options.paths);
  RunResults results = run_simulation(model, pilot);
  double achieved = widest_npv_half_width(results);
  // The half-width shrinks as 1 / sqrt(n): ask for n (achieved / target)^2, plus 10%, and
  // repeat in the rare case the estimate falls short, until reached or capped.
  while (achieved > half_width && results.paths() < options.paths) {
    const double ratio = achieved / half_width;
    const double wanted = 1.1 * static_cast<double>(results.paths()) * ratio * ratio;
    RunOptions next = options;
    next.paths = std::min<std::int64_t>(
        options.paths,
        std::max<std::int64_t>(results.paths() + 1, static_cast<std::int64_t>(std::ceil(wanted))));
    results = run_simulation(model, next);
    achieved = widest_npv_half_width(results);
  }
  return {std::move(results), half_width, achieved, achieved <= half_width};
}

std::size_t result_bytes(const Model& model, std::int64_t paths) {
  const std::size_t per_path =
      model.policies.size() * (model.layout.reported_metrics().size() +
                               model.layout.reported_series().size() * model.horizon);
  return per_path * static_cast<std::size_t>(paths) * sizeof(double);
}

RunResults run_simulation(const Model& model, const RunOptions& options) {
  auto names = [](const std::vector<ReportedSlot>& reported) {
    std::vector<std::string> out;
    for (const ReportedSlot& figure : reported) out.push_back(figure.name);
    return out;
  };
  const std::vector<ReportedSlot>& metrics = model.layout.reported_metrics();
  const std::vector<ReportedSlot>& series = model.layout.reported_series();
  std::vector<std::string> policies;
  for (const PolicyPlan& plan : model.policies) policies.push_back(plan.name);
  RunResults results(std::move(policies), names(metrics), names(series), options.paths,
                     model.horizon);

  std::optional<tbb::global_control> thread_limit;
  if (options.threads > 0)
    thread_limit.emplace(tbb::global_control::max_allowed_parallelism, options.threads);

  // Per thread: the world being simulated and the kernel's scratch memory.
  struct Scratch {
    explicit Scratch(const Model& model) : workspace(model) {}
    World world;
    Workspace workspace;
  };
  tbb::enumerable_thread_specific<std::unique_ptr<Scratch>> scratch(
      [&] { return std::make_unique<Scratch>(model); });
  std::atomic<std::int64_t> done{0};
  std::mutex progress_mutex;

  constexpr std::int64_t kPathsPerTask = 16;
  tbb::parallel_for(
      tbb::blocked_range<std::int64_t>(0, options.paths, kPathsPerTask),
      [&](const tbb::blocked_range<std::int64_t>& range) {
        Scratch& local = *scratch.local();
        Workspace& w = local.workspace;
        for (std::int64_t path = range.begin(); path != range.end(); ++path) {
          build_world(model, options.seed, static_cast<std::uint64_t>(path), local.world);
          for (std::size_t policy = 0; policy < model.policies.size(); ++policy) {
            simulate_path(model, local.world, model.policies[policy], w);
            for (std::size_t k = 0; k < metrics.size(); ++k)
              results.metric(policy, k)[path] = w.result.metrics[metrics[k].slot];
            for (std::size_t k = 0; k < series.size(); ++k)
              for (int t = 1; t <= model.horizon; ++t)
                results.series(policy, k, t)[path] =
                    w.result.series[series[k].slot * model.horizon + t - 1];
          }
        }
        const std::int64_t finished = done += static_cast<std::int64_t>(range.size());
        if (options.progress) {
          std::unique_lock lock(progress_mutex, std::try_to_lock);
          if (lock.owns_lock()) options.progress(finished, options.paths);
        }
      },
      tbb::simple_partitioner());

  for (const auto& local : scratch) results.draws += local->workspace.draws;
  return results;
}

}  // namespace tenure
