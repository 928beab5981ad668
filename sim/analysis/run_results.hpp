// The per-world figures of a run: for every policy, one value per world of each metric and
// of each series in each period. A table of numbers with names; it knows nothing of
// customers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tenure {

// Per-world outcomes of every policy, stored by world index so results never depend on the
// order in which threads finished. Worlds are appended in blocks.
class RunResults {
 public:
  RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
             std::vector<std::string> series, int horizon, std::vector<std::string> inputs = {});

  const std::vector<std::string>& policies() const { return policies_; }
  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<std::string>& series() const { return series_; }
  // The uncertain inputs, drawn once per world (the same for every policy).
  const std::vector<std::string>& inputs() const { return inputs_; }
  std::int64_t paths() const { return paths_; }
  int horizon() const { return horizon_; }
  std::uint64_t draws = 0;  // sampler calls over the whole run

  // Makes room for worlds up to `paths` (values 0 until written).
  void grow_to(std::int64_t paths);

  // One value per world.
  std::span<double> metric(std::size_t policy, std::size_t metric);
  std::span<const double> metric(std::size_t policy, std::size_t metric) const;
  // By name; throws std::out_of_range for a metric this run does not report.
  std::span<const double> metric(std::size_t policy, const std::string& name) const;
  std::size_t metric_index(const std::string& name) const;
  std::span<double> series(std::size_t policy, std::size_t series, int period);
  std::span<const double> series(std::size_t policy, std::size_t series, int period) const;
  std::span<double> input(std::size_t input) { return input_values_[input]; }
  std::span<const double> input(std::size_t input) const { return input_values_[input]; }

  // Every value of worlds [first, last), world after world, appended to `out`: what one
  // process sends another so that both hold the same results. unpack_worlds writes back
  // values packed so, for consecutive worlds from `first`.
  void pack_worlds(std::int64_t first, std::int64_t last, std::vector<double>& out) const;
  void unpack_worlds(std::int64_t first, std::int64_t last, std::span<const double> packed);

 private:
  std::vector<std::string> policies_, metrics_, series_, inputs_;
  std::int64_t paths_ = 0;
  int horizon_;
  std::vector<std::vector<double>> metric_values_;  // [policy][metric] -> per world
  std::vector<std::vector<double>> series_values_;  // [policy][series][period] -> per world
  std::vector<std::vector<double>> input_values_;   // [input] -> per world
};

}  // namespace tenure
