#include "sim/analysis/run_results.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tenure {

SeriesBlockSums::SeriesBlockSums(std::size_t policies, std::size_t values, std::int64_t first_world,
                                 std::int64_t last_world)
    : policies_(policies),
      values_(values),
      first_world_(first_world),
      last_world_(std::max(first_world, last_world)),
      next_(policies, first_world_),
      sums_(static_cast<std::size_t>(blocks()) * policies * values),
      nonfinite_(sums_.size()) {}

SeriesBlockSums::SeriesBlockSums(std::size_t policies, std::size_t values, std::int64_t first_world,
                                 std::int64_t last_world, std::vector<double> sums,
                                 std::vector<std::int64_t> nonfinite)
    : SeriesBlockSums(policies, values, first_world, last_world) {
  if (sums.size() != sums_.size() || nonfinite.size() != nonfinite_.size())
    throw std::invalid_argument("block totals of the wrong size for their worlds");
  sums_ = std::move(sums);
  nonfinite_ = std::move(nonfinite);
  std::fill(next_.begin(), next_.end(), last_world_);
}

std::int64_t SeriesBlockSums::blocks() const {
  return (last_world_ - first_world_ + kSeriesBlock - 1) / kSeriesBlock;
}

void SeriesBlockSums::add(std::int64_t world, std::size_t policy, std::span<const double> values) {
  if (policy >= policies_ || values.size() != values_)
    throw std::logic_error("series of a shape the block totals do not have");
  if (world != next_[policy] || world >= last_world_)
    throw std::logic_error("worlds added to block totals out of order");
  const auto block = static_cast<std::size_t>((world - first_world_) / kSeriesBlock);
  const std::size_t at = (block * policies_ + policy) * values_;
  for (std::size_t i = 0; i < values_; ++i) {
    if (std::isfinite(values[i]))
      sums_[at + i] += values[i];
    else
      ++nonfinite_[at + i];
  }
  ++next_[policy];
}

bool SeriesBlockSums::any_added() const {
  return std::any_of(next_.begin(), next_.end(),
                     [&](std::int64_t next) { return next != first_world_; });
}

bool SeriesBlockSums::complete() const {
  return worlds_in() == last_world_ - first_world_;
}

std::int64_t SeriesBlockSums::worlds_in() const {
  const auto least = std::min_element(next_.begin(), next_.end());
  return (least == next_.end() ? last_world_ : *least) - first_world_;
}

SeriesBlockSums SeriesBlockSums::block(std::int64_t index) const {
  const std::int64_t first = first_world_ + index * kSeriesBlock;
  SeriesBlockSums one(policies_, values_, first, std::min(first + kSeriesBlock, last_world_));
  const std::size_t size = policies_ * values_;
  const auto at = static_cast<std::ptrdiff_t>(static_cast<std::size_t>(index) * size);
  std::copy_n(sums_.begin() + at, size, one.sums_.begin());
  std::copy_n(nonfinite_.begin() + at, size, one.nonfinite_.begin());
  for (std::size_t p = 0; p < policies_; ++p)
    one.next_[p] = std::clamp(next_[p], one.first_world_, one.last_world_);
  return one;
}

void SeriesBlockSums::extend_to(std::int64_t last_world) {
  if (last_world < last_world_ ||
      (last_world - first_world_ + kSeriesBlock - 1) / kSeriesBlock != blocks())
    throw std::logic_error("block totals extended beyond their last block");
  last_world_ = last_world;
}

RunResults::RunResults(std::vector<std::string> policies, std::vector<std::string> metrics,
                       std::vector<std::string> series, int horizon,
                       std::vector<std::string> inputs, std::int64_t series_worlds)
    : policies_(std::move(policies)),
      metrics_(std::move(metrics)),
      series_(std::move(series)),
      inputs_(std::move(inputs)),
      horizon_(horizon),
      series_limit_(std::max<std::int64_t>(series_worlds, 0)),
      metric_values_(policies_.size() * metrics_.size()),
      payback_values_(policies_.size()),
      input_values_(inputs_.size()),
      series_values_(policies_.size() * series_per_policy()),
      beyond_sums_(series_values_.size()),
      beyond_nonfinite_(series_values_.size()),
      open_block_(policies_.size(), series_per_policy(), series_limit_,
                  series_limit_ + kSeriesBlock) {}

void RunResults::grow_to(std::int64_t paths) {
  if (paths <= paths_) return;
  // Exactly the room asked for: a run to a precision asks block by block.
  auto grow = [](std::vector<std::vector<double>>& table, std::int64_t size) {
    for (auto& values : table) {
      values.reserve(static_cast<std::size_t>(size));
      values.resize(static_cast<std::size_t>(size));
    }
  };
  for (auto* table : {&metric_values_, &payback_values_, &input_values_}) grow(*table, paths);
  grow(series_values_, std::min(paths, series_limit_));
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

std::int64_t RunResults::series_worlds() const {
  return std::min(paths_, series_limit_);
}
std::span<const double> RunResults::series(std::size_t policy, std::size_t series,
                                           int period) const {
  return series_values_[series_index(policy, series, period)];
}
void RunResults::copy_series(std::int64_t world, std::size_t policy, std::span<double> out) const {
  if (world < 0 || world >= series_worlds() || out.size() != series_per_policy())
    throw std::logic_error("series of a world whose series are not kept");
  const std::size_t first = series_index(policy, 0, 1);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = series_values_[first + i][static_cast<std::size_t>(world)];
}

StreamedSum RunResults::series_beyond(std::size_t policy, std::size_t series, int period) const {
  const std::size_t at = series_index(policy, series, period);
  // The open block comes last, as if it were folded now (its sums are 0 until worlds come).
  return {beyond_sums_[at] + open_block_.sums()[at],
          beyond_nonfinite_[at] + open_block_.nonfinite()[at]};
}

void RunResults::add_series(std::int64_t world, std::size_t policy,
                            std::span<const double> values) {
  if (world < 0 || world >= paths_ || values.size() != series_per_policy())
    throw std::logic_error("series of a world the results have no room for");
  if (world < series_limit_) {
    const std::size_t first = series_index(policy, 0, 1);
    for (std::size_t i = 0; i < values.size(); ++i)
      series_values_[first + i][static_cast<std::size_t>(world)] = values[i];
    return;
  }
  open_block_.add(world, policy, values);
  if (!open_block_.complete()) return;
  fold_block(open_block_);
  const std::int64_t next = open_block_.last_world();
  open_block_ = SeriesBlockSums(policies_.size(), series_per_policy(), next, next + kSeriesBlock);
}

std::int64_t RunResults::series_block_start(std::int64_t block) const {
  return series_limit_ + block * kSeriesBlock;
}

SeriesBlockSums RunResults::series_blocks(std::int64_t first_block, std::int64_t last_block,
                                          std::int64_t worlds) const {
  const std::int64_t first = series_block_start(first_block);
  return SeriesBlockSums(policies_.size(), series_per_policy(), first,
                         std::min(series_block_start(last_block), std::max(worlds, first)));
}

void RunResults::fold_series_blocks(const SeriesBlockSums& totals) {
  if (!totals.complete() || totals.first_world() != series_block_start(blocks_folded_) ||
      open_block_.any_added() || totals.last_world() > paths_ ||
      totals.sums().size() !=
          static_cast<std::size_t>(totals.blocks()) * policies_.size() * series_per_policy())
    throw std::logic_error("block totals that are not the next ones of this run");
  for (std::int64_t b = 0; b < totals.blocks(); ++b) {
    SeriesBlockSums block = totals.block(b);
    if (block.last_world() - block.first_world() < kSeriesBlock) {
      // A partial last block: its later worlds may still come, so it stays open.
      block.extend_to(block.first_world() + kSeriesBlock);
      open_block_ = std::move(block);
      return;
    }
    fold_block(block);
  }
  open_block_ = SeriesBlockSums(policies_.size(), series_per_policy(), totals.last_world(),
                                totals.last_world() + kSeriesBlock);
}

void RunResults::fold_block(const SeriesBlockSums& block) {
  for (std::size_t i = 0; i < beyond_sums_.size(); ++i) {
    beyond_sums_[i] += block.sums()[i];
    beyond_nonfinite_[i] += block.nonfinite()[i];
  }
  ++blocks_folded_;
}

}  // namespace tenure
