#include "sim/analysis/run_results.hpp"

#include <algorithm>
#include <stdexcept>

namespace tenure {

RunResults::RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
                       std::vector<std::string> series, int horizon,
                       std::vector<std::string> inputs)
    : policies_(std::move(policies)),
      metrics_(std::move(metrics)),
      series_(std::move(series)),
      inputs_(std::move(inputs)),
      horizon_(horizon),
      metric_values_(policies_.size() * metrics_.size()),
      series_values_(policies_.size() * series_.size() * horizon),
      input_values_(inputs_.size()) {}

void RunResults::grow_to(std::int64_t paths) {
  if (paths <= paths_) return;
  const auto size = static_cast<std::size_t>(paths);
  // Exactly the room asked for: a run to a precision asks block by block.
  for (auto* table : {&metric_values_, &series_values_, &input_values_})
    for (auto& values : *table) {
      values.reserve(size);
      values.resize(size);
    }
  paths_ = paths;
}

std::span<double> RunResults::metric(std::size_t policy, std::size_t metric) {
  return metric_values_[policy * metrics_.size() + metric];
}
std::span<const double> RunResults::metric(std::size_t policy, std::size_t metric) const {
  return metric_values_[policy * metrics_.size() + metric];
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
  return series_values_[(policy * series_.size() + series) * horizon_ + (period - 1)];
}
std::span<const double> RunResults::series(std::size_t policy, std::size_t series,
                                           int period) const {
  return series_values_[(policy * series_.size() + series) * horizon_ + (period - 1)];
}

void RunResults::pack_worlds(std::int64_t first, std::int64_t last,
                             std::vector<double>& out) const {
  if (first < 0 || last > paths_ || last < first) throw std::out_of_range("worlds not in the run");
  for (auto path = static_cast<std::size_t>(first); path < static_cast<std::size_t>(last); ++path)
    for (const auto* table : {&metric_values_, &series_values_, &input_values_})
      for (const auto& values : *table) out.push_back(values[path]);
}

void RunResults::unpack_worlds(std::int64_t first, std::int64_t last,
                               std::span<const double> packed) {
  const std::size_t per_world =
      metric_values_.size() + series_values_.size() + input_values_.size();
  if (first < 0 || last > paths_ || last < first ||
      packed.size() != per_world * static_cast<std::size_t>(last - first))
    throw std::length_error("packed worlds do not match the run's layout");
  auto value = packed.begin();
  for (auto path = static_cast<std::size_t>(first); path < static_cast<std::size_t>(last); ++path)
    for (auto* table : {&metric_values_, &series_values_, &input_values_})
      for (auto& values : *table) values[path] = *value++;
}

}  // namespace tenure
