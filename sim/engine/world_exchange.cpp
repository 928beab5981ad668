#include "sim/engine/world_exchange.hpp"

#include <algorithm>
#include <stdexcept>

namespace tenure {

namespace {

// The values of one world's series under one policy.
std::size_t series_per_policy(const RunResults& results) {
  return results.series().size() * static_cast<std::size_t>(results.horizon());
}

// The figures every world sends: its inputs, then per policy its metrics and payback period.
std::size_t figures_per_world(const RunResults& results) {
  return results.inputs().size() + results.policies().size() * (results.metrics().size() + 1);
}

// The first block of worlds from `world` on (a block start) and the block past `last`.
std::int64_t block_of(const RunResults& results, std::int64_t world) {
  return (world - results.series_block_start(0)) / kSeriesBlock;
}

}  // namespace

std::vector<std::int64_t> unit_bounds(const RunResults& results, std::int64_t first,
                                      std::int64_t last) {
  const std::int64_t kept = results.series_block_start(0);
  std::vector<std::int64_t> bounds{first};
  for (std::int64_t world = first; world < last;) {
    const std::int64_t next =
        world < kept ? std::min(kept, (world / kKeptWorldsPerUnit + 1) * kKeptWorldsPerUnit)
                     : results.series_block_start(block_of(results, world) + 1);
    world = std::min(next, last);
    bounds.push_back(world);
  }
  return bounds;
}

SharePlan share_plan(const RunResults& results, std::int64_t call_first, WorldRange share) {
  const std::int64_t kept = results.series_block_start(0);
  SharePlan plan{share.first, share.last, share.last};
  if (share.last <= kept || share.size() == 0) return plan;
  plan.blocks_from = std::max(share.first, kept);
  // Worlds that complete a block an earlier call began are added one by one, as that block
  // is open in the results; whole blocks start on a block boundary.
  const std::int64_t block_start = results.series_block_start(block_of(results, plan.blocks_from));
  if (block_start < plan.blocks_from && block_start < call_first)
    plan.blocks_from =
        std::min(share.last, results.series_block_start(block_of(results, plan.blocks_from) + 1));
  return plan;
}

ShareOutbox::ShareOutbox(const RunResults& results, SharePlan plan)
    : plan_(plan), series_per_world_(results.policies().size() * series_per_policy(results)) {
  series_.resize(static_cast<std::size_t>(plan.blocks_from - plan.first) * series_per_world_);
  if (plan.blocks_from < plan.last) {
    const std::int64_t first_block = block_of(results, plan.blocks_from);
    const std::int64_t past_last = block_of(results, plan.last - 1) + 1;
    blocks_.emplace(results.series_blocks(first_block, past_last, plan.last));
  }
}

void ShareOutbox::take_series(std::int64_t world, std::size_t policy,
                              std::span<const double> values) {
  if (world < plan_.first || world >= plan_.last)
    throw std::logic_error("series of a world outside this rank's share");
  if (world >= plan_.blocks_from) return blocks_->add(world, policy, values);
  const std::size_t at =
      static_cast<std::size_t>(world - plan_.first) * series_per_world_ + policy * values.size();
  std::copy(values.begin(), values.end(), series_.begin() + static_cast<std::ptrdiff_t>(at));
}

std::vector<double> ShareOutbox::pack(const RunResults& results) const {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(plan_.last - plan_.first) * figures_per_world(results) +
              series_.size() + (blocks_ ? 2 * blocks_->sums().size() : 0));
  for (std::int64_t world = plan_.first; world < plan_.last; ++world) {
    const auto w = static_cast<std::size_t>(world);
    for (std::size_t k = 0; k < results.inputs().size(); ++k) out.push_back(results.input(k)[w]);
    for (std::size_t p = 0; p < results.policies().size(); ++p) {
      for (std::size_t k = 0; k < results.metrics().size(); ++k)
        out.push_back(results.metric(p, k)[w]);
      out.push_back(results.payback(p)[w]);
    }
    if (world < plan_.blocks_from) {
      const auto at =
          series_.begin() + static_cast<std::ptrdiff_t>(
                                static_cast<std::size_t>(world - plan_.first) * series_per_world_);
      out.insert(out.end(), at, at + static_cast<std::ptrdiff_t>(series_per_world_));
    }
  }
  if (blocks_) {
    out.insert(out.end(), blocks_->sums().begin(), blocks_->sums().end());
    for (const std::int64_t count : blocks_->nonfinite()) out.push_back(static_cast<double>(count));
  }
  return out;
}

namespace {

// Reads values in order, refusing to read past the end.
class Reader {
 public:
  explicit Reader(std::span<const double> values) : values_(values) {}
  double next() { return take(1)[0]; }
  std::span<const double> take(std::size_t n) {
    if (n > values_.size() - used_) throw std::length_error("a rank sent fewer values than due");
    const auto out = values_.subspan(used_, n);
    used_ += n;
    return out;
  }
  std::size_t used() const { return used_; }

 private:
  std::span<const double> values_;
  std::size_t used_ = 0;
};

// One world's figures and, when it sends them, its series.
void unpack_world(RunResults& results, std::int64_t world, bool with_series, Reader& in) {
  const auto w = static_cast<std::size_t>(world);
  for (std::size_t k = 0; k < results.inputs().size(); ++k) results.input(k)[w] = in.next();
  for (std::size_t p = 0; p < results.policies().size(); ++p) {
    for (std::size_t k = 0; k < results.metrics().size(); ++k) results.metric(p, k)[w] = in.next();
    results.payback(p)[w] = in.next();
  }
  if (!with_series) return;
  for (std::size_t p = 0; p < results.policies().size(); ++p)
    results.add_series(world, p, in.take(series_per_policy(results)));
}

}  // namespace

std::size_t unpack_share(RunResults& results, SharePlan plan, std::span<const double> packed) {
  Reader in(packed);
  for (std::int64_t world = plan.first; world < plan.last; ++world)
    unpack_world(results, world, world < plan.blocks_from, in);
  if (plan.blocks_from < plan.last) {
    const std::int64_t first_block = block_of(results, plan.blocks_from);
    const std::int64_t past_last = block_of(results, plan.last - 1) + 1;
    const std::size_t count =
        results.series_blocks(first_block, past_last, plan.last).sums().size();
    const auto sums = in.take(count);
    const auto counts = in.take(count);
    std::vector<std::int64_t> nonfinite(counts.size());
    std::transform(counts.begin(), counts.end(), nonfinite.begin(),
                   [](double c) { return static_cast<std::int64_t>(c); });
    results.fold_series_blocks(SeriesBlockSums(
        results.policies().size(), series_per_policy(results), plan.blocks_from, plan.last,
        std::vector<double>(sums.begin(), sums.end()), std::move(nonfinite)));
  }
  return in.used();
}

}  // namespace tenure
