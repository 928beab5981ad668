// The exchange of a cluster run (sim/engine/world_exchange.hpp), played out in one process:
// worlds shared out as the ranks would share them, each share packed and taken in in rank
// order, must leave exactly the results one process computes, bit for bit, also when runs
// are appended in calls that begin in the middle of a block. The same code under real MPI
// ranks is tested end to end by tests/mpi/check_ranks.sh.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>

#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/engine/world_exchange.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

constexpr std::int64_t kKept = 100;  // kept worlds, few so that blocks come soon

Scenario one_tier() {
  Scenario s;
  s.name = "exchange";
  s.horizon = 3;
  s.discount_rate = 0.1;
  s.tiers.push_back({"only", 50, 100.0, 10.0, 0.05, {}});
  s.budget.per_period = 2000.0;
  s.acquisition = Acquisition{{ResponseShape::exponential, 40.0, 4000.0, 1.0, 1.0}, {1.0}};
  s.retention = RetentionResponse{0.5, 20.0};
  PolicyStep acquire, keep;
  acquire.acquisition = {SpendLine::Kind::share, 0.9};
  keep.retention = {SpendLine::Kind::share, 0.9};
  s.policies = {{"acquire", {acquire}}, {"keep", {keep}}};
  return s;
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Takes worlds [first, last) of `source` (which keeps every world's series) into `target` as
// `ranks` ranks would, round by round.
void exchange(const RunResults& source, RunResults& target, std::int64_t first, std::int64_t last,
              int ranks, std::size_t units_per_round) {
  target.grow_to(last);
  const std::vector<std::int64_t> bounds = unit_bounds(target, first, last);
  const std::size_t per_policy =
      source.series().size() * static_cast<std::size_t>(source.horizon());
  std::vector<double> series(per_policy);
  for (std::size_t begin = 0; begin + 1 < bounds.size(); begin += units_per_round) {
    const std::size_t end = std::min(bounds.size() - 1, begin + units_per_round);
    std::vector<double> gathered;
    std::vector<SharePlan> plans;
    for (int rank = 0; rank < ranks; ++rank) {
      const WorldRange units = rank_share({std::int64_t(begin), std::int64_t(end)}, rank, ranks);
      plans.push_back(share_plan(
          target, first, {bounds[std::size_t(units.first)], bounds[std::size_t(units.last)]}));
      ShareOutbox outbox(target, plans.back());
      for (std::int64_t world = plans.back().first; world < plans.back().last; ++world)
        for (std::size_t policy = 0; policy < source.policies().size(); ++policy) {
          source.copy_series(world, policy, series);
          outbox.take_series(world, policy, series);
        }
      const std::vector<double> packed = outbox.pack(source);
      gathered.insert(gathered.end(), packed.begin(), packed.end());
    }
    std::span<const double> rest(gathered);
    for (const SharePlan& plan : plans) rest = rest.subspan(unpack_share(target, plan, rest));
    EXPECT_TRUE(rest.empty());
  }
}

void expect_same(const RunResults& a, const RunResults& b) {
  ASSERT_EQ(a.paths(), b.paths());
  for (std::size_t p = 0; p < a.policies().size(); ++p) {
    for (std::size_t k = 0; k < a.metrics().size(); ++k)
      for (std::int64_t w = 0; w < a.paths(); ++w)
        ASSERT_TRUE(same_bits(a.metric(p, k)[w], b.metric(p, k)[w])) << a.metrics()[k] << " " << w;
    for (std::int64_t w = 0; w < a.paths(); ++w)
      ASSERT_TRUE(same_bits(a.payback(p)[w], b.payback(p)[w]));
    for (std::size_t s = 0; s < a.series().size(); ++s)
      for (int t = 1; t <= a.horizon(); ++t) {
        const auto kept_a = a.series(p, s, t), kept_b = b.series(p, s, t);
        ASSERT_TRUE(std::equal(kept_a.begin(), kept_a.end(), kept_b.begin(), same_bits));
        ASSERT_TRUE(same_bits(a.series_beyond(p, s, t).sum, b.series_beyond(p, s, t).sum))
            << a.series()[s] << " period " << t;
      }
  }
}

TEST(WorldExchange, SharedWorldsGiveOneProcessesResultsForAnyRanksAndCalls) {
  const Model model = build_model(one_tier());
  // Calls as a run to a precision makes them: a pilot, then appends that begin mid-block.
  const std::vector<std::int64_t> calls = {0, 250, 1500, 2600, 4200};
  Simulation alone(model, 7, Workers(2), kKept);
  Simulation everything(model, 7, Workers(2), calls.back());  // keeps every world's series
  for (std::size_t c = 0; c + 1 < calls.size(); ++c) {
    alone.run_paths(calls[c], calls[c + 1]);
    everything.run_paths(calls[c], calls[c + 1]);
  }
  for (const int ranks : {1, 2, 3, 5})
    for (const std::size_t units_per_round : {std::size_t{1}, std::size_t{3}, std::size_t{100}}) {
      SCOPED_TRACE(testing::Message()
                   << ranks << " ranks, " << units_per_round << " units a round");
      RunResults shared(alone.results().policies(), alone.results().metrics(),
                        alone.results().series(), model.horizon, {}, kKept);
      for (std::size_t c = 0; c + 1 < calls.size(); ++c)
        exchange(everything.results(), shared, calls[c], calls[c + 1], ranks, units_per_round);
      expect_same(alone.results(), shared);
    }
}

TEST(WorldExchange, UnitsAreKeptWorldsInSixtyFoursThenBlocks) {
  const RunResults results({"p"}, {"m"}, {"s"}, 2, {}, kKept);
  const std::vector<std::int64_t> bounds = unit_bounds(results, 30, kKept + 2 * kSeriesBlock + 5);
  const std::vector<std::int64_t> expected = {
      30, 64, kKept, kKept + kSeriesBlock, kKept + 2 * kSeriesBlock, kKept + 2 * kSeriesBlock + 5};
  EXPECT_EQ(bounds, expected);
}

}  // namespace
}  // namespace tenure
