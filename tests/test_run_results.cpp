// The per-world table of a run: kept series, and the block fold of the series beyond them,
// which must give the same bits however the worlds were handed in.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sim/analysis/run_results.hpp"

namespace tenure {
namespace {

constexpr int kHorizon = 3;
constexpr std::int64_t kKept = 5;
const std::vector<std::string> kPolicies = {"a", "b"};
const std::vector<std::string> kSeries = {"x", "y"};
constexpr std::size_t kValues = 2 * kHorizon;  // per world and policy

RunResults empty_results(std::int64_t worlds) {
  RunResults r(kPolicies, {"m"}, kSeries, kHorizon, {}, kKept);
  r.grow_to(worlds);
  return r;
}

// Values of very different magnitudes, so that any change of summation order shows in the
// bits: world w, policy p, value i.
double value(std::int64_t world, std::size_t policy, std::size_t i) {
  const double scale = (world % 7 == 0) ? 1e12 : (world % 3 == 0 ? 1e-3 : 1.0);
  return scale * (std::sin(static_cast<double>(world * 31 + policy * 7 + i)) + 0.1);
}

std::vector<double> world_values(std::int64_t world, std::size_t policy) {
  std::vector<double> values(kValues);
  for (std::size_t i = 0; i < kValues; ++i) values[i] = value(world, policy, i);
  return values;
}

// Appends worlds [first, last) in world order, every policy of a world before the next.
void append(RunResults& r, std::int64_t first, std::int64_t last) {
  r.grow_to(last);
  for (std::int64_t w = first; w < last; ++w)
    for (std::size_t p = 0; p < kPolicies.size(); ++p) r.add_series(w, p, world_values(w, p));
}

// The fold the header promises, written out plainly: each block summed in world order from
// 0.0, the block totals added in block order.
double plain_fold(std::int64_t worlds, std::size_t policy, std::size_t i) {
  double total = 0.0;
  for (std::int64_t start = kKept; start < worlds; start += kSeriesBlock) {
    double block = 0.0;
    for (std::int64_t w = start; w < std::min(start + kSeriesBlock, worlds); ++w)
      block += value(w, policy, i);
    total += block;
  }
  return total;
}

void expect_same_sums(const RunResults& a, const RunResults& b) {
  for (std::size_t p = 0; p < kPolicies.size(); ++p)
    for (std::size_t k = 0; k < kSeries.size(); ++k)
      for (int t = 1; t <= kHorizon; ++t) {
        EXPECT_EQ(a.series_beyond(p, k, t).sum, b.series_beyond(p, k, t).sum) << p << k << t;
        EXPECT_EQ(a.series_beyond(p, k, t).nonfinite, b.series_beyond(p, k, t).nonfinite);
      }
}

const std::int64_t kWorlds = kKept + 3 * kSeriesBlock + 100;  // three blocks and a part

TEST(RunResults, BlockFoldIsThePlainFoldOfEachBlockInWorldOrder) {
  RunResults r = empty_results(0);
  append(r, 0, kWorlds);
  for (std::size_t p = 0; p < kPolicies.size(); ++p)
    for (std::size_t k = 0; k < kSeries.size(); ++k)
      for (int t = 1; t <= kHorizon; ++t) {
        const std::size_t i = k * kHorizon + (t - 1);
        EXPECT_EQ(r.series_beyond(p, k, t).sum, plain_fold(kWorlds, p, i));
        EXPECT_EQ(r.series_beyond(p, k, t).nonfinite, 0);
      }
  EXPECT_EQ(r.series_blocks_folded(), 3);
  // A single world-order sum over everything would differ in the last bits: the test can
  // tell the fold it asks for from another one.
  double flat = 0.0;
  for (std::int64_t w = kKept; w < kWorlds; ++w) flat += value(w, 0, 0);
  EXPECT_NE(flat, r.series_beyond(0, 0, 1).sum);
}

TEST(RunResults, BlockFoldIsTheSameForAnyBatchesAndPolicyInterleaving) {
  RunResults whole = empty_results(0);
  append(whole, 0, kWorlds);
  // Batches that cut blocks anywhere, as a run to a precision appends them.
  RunResults batches = empty_results(0);
  for (std::int64_t at = 0; at < kWorlds;) {
    const std::int64_t next = std::min(kWorlds, at + 1 + (at * 7919) % 1500);
    append(batches, at, next);
    at = next;
  }
  expect_same_sums(whole, batches);
  // Within a block, policies may run ahead of one another.
  RunResults interleaved = empty_results(kWorlds);
  append(interleaved, 0, kKept);
  for (std::int64_t start = kKept; start < kWorlds; start += kSeriesBlock)
    for (std::size_t p : {1, 0})
      for (std::int64_t w = start; w < std::min(start + kSeriesBlock, kWorlds); ++w)
        interleaved.add_series(w, p, world_values(w, p));
  expect_same_sums(whole, interleaved);
  // Out of order beyond the kept worlds is refused; kept worlds come in any order.
  EXPECT_THROW(interleaved.add_series(kWorlds - 1, 0, world_values(kWorlds - 1, 0)),
               std::logic_error);
  EXPECT_NO_THROW(interleaved.add_series(2, 0, world_values(2, 0)));
}

// Two "processes" each sum whole blocks of their share; one folds the totals in block order.
TEST(RunResults, BlockTotalsComputedElsewhereFoldToTheSameBits) {
  RunResults whole = empty_results(0);
  append(whole, 0, kWorlds);

  RunResults leader = empty_results(kWorlds);
  for (std::int64_t w = 0; w < kKept; ++w)  // kept worlds, as if gathered
    for (std::size_t p = 0; p < kPolicies.size(); ++p) {
      std::vector<double> series(kValues);
      whole.copy_series(w, p, series);
      leader.add_series(w, p, series);
    }
  SeriesBlockSums first = leader.series_blocks(0, 2, kWorlds);
  SeriesBlockSums second = leader.series_blocks(2, 10, kWorlds);  // clipped to the run
  EXPECT_EQ(second.last_world(), kWorlds);
  for (SeriesBlockSums* share : {&second, &first})
    for (std::int64_t w = share->first_world(); w < share->last_world(); ++w)
      for (std::size_t p = 0; p < kPolicies.size(); ++p) share->add(w, p, world_values(w, p));
  EXPECT_THROW(leader.fold_series_blocks(second), std::logic_error);  // not the next blocks
  leader.fold_series_blocks(first);
  // The second share as it arrives over the wire: flat arrays.
  const SeriesBlockSums sent(
      kPolicies.size(), kValues, second.first_world(), second.last_world(),
      std::vector<double>(second.sums().begin(), second.sums().end()),
      std::vector<std::int64_t>(second.nonfinite().begin(), second.nonfinite().end()));
  leader.fold_series_blocks(sent);
  expect_same_sums(whole, leader);
  for (std::size_t k = 0; k < kSeries.size(); ++k)
    EXPECT_TRUE(std::ranges::equal(whole.series(1, k, 2), leader.series(1, k, 2)));

  // The partial last block stays open: more worlds continue it as one process would.
  append(whole, kWorlds, kWorlds + 2000);
  append(leader, kWorlds, kWorlds + 2000);
  expect_same_sums(whole, leader);
}

// A policy ahead of the others within the open block already counts its worlds.
TEST(RunResults, SumsOfAPolicyAheadOfTheOthersCountItsWorlds) {
  RunResults r = empty_results(kKept + 10);
  double expected = 0.0;
  for (std::int64_t w = kKept; w < kKept + 10; ++w) {
    r.add_series(w, 0, world_values(w, 0));
    expected += value(w, 0, 0);
  }
  EXPECT_EQ(r.series_beyond(0, 0, 1).sum, expected);
  EXPECT_EQ(r.series_beyond(1, 0, 1).sum, 0.0);
  // Totals from elsewhere cannot be folded over a block already begun here.
  const std::size_t size = kPolicies.size() * kValues;
  const SeriesBlockSums zeros(kPolicies.size(), kValues, kKept, kKept + 10,
                              std::vector<double>(size), std::vector<std::int64_t>(size));
  EXPECT_TRUE(zeros.complete());
  EXPECT_THROW(r.fold_series_blocks(zeros), std::logic_error);
}

TEST(RunResults, NonfiniteValuesAreCountedNotSummed) {
  RunResults r = empty_results(kKept + 3);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::int64_t w = kKept; w < kKept + 3; ++w) {
    std::vector<double> values(kValues, 1.0);
    if (w == kKept + 1) values[0] = nan;
    for (std::size_t p = 0; p < kPolicies.size(); ++p) r.add_series(w, p, values);
  }
  EXPECT_EQ(r.series_beyond(0, 0, 1).sum, 2.0);
  EXPECT_EQ(r.series_beyond(0, 0, 1).nonfinite, 1);
  EXPECT_EQ(r.series_beyond(1, 1, 3).sum, 3.0);
  EXPECT_EQ(r.series_worlds(), kKept);
}

TEST(RunResults, KeepsSeriesOnlyForTheKeptWorlds) {
  RunResults r = empty_results(kKept + 50);
  EXPECT_EQ(r.series_worlds(), kKept);
  EXPECT_EQ(r.series(0, 0, 1).size(), static_cast<std::size_t>(kKept));
  EXPECT_EQ(r.metric(0, 0).size(), static_cast<std::size_t>(kKept + 50));
  std::vector<double> out(kValues);
  EXPECT_THROW(r.copy_series(kKept, 0, out), std::logic_error);
  EXPECT_THROW(SeriesBlockSums(2, kValues, 0, 10, {1.0}, {0}), std::invalid_argument);
}

}  // namespace
}  // namespace tenure
