// Random streams are keyed by what a draw is about (mechanism, tier, tenure, churn class,
// source), so changing one part of a scenario leaves the draws of every other part alone:
// common random numbers between the points of a sweep, not only between policies.
#include <gtest/gtest.h>

#include <functional>

#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

// Two tiers with no migration between them; new customers from paid acquisition, split
// over churn classes; service failures recovered for `steady` only.
Scenario two_separate_tiers() {
  Scenario s;
  s.name = "separate";
  s.horizon = 24;
  s.discount_rate = 0.1;
  s.tiers.push_back({"volatile", 800, 50.0, 10.0, 0.03, {}});
  s.tiers.push_back({"steady", 1500, 30.0, 8.0, 0.02, {}});
  s.budget.per_period = 20000.0;
  s.acquisition = Acquisition{{ResponseShape::exponential, 300.0, 20000.0, 1.0, 1.0}, {0.4, 0.6}};
  s.heterogeneity = Heterogeneity{3, 6.0};
  s.service = Service{{0.02, 0.03}, 100.0, 0.8, {0.3, 0.3}};
  PolicyStep step;
  step.acquisition = {SpendLine::Kind::share, 0.7};
  step.recovery = {SpendLine::Kind::share, 0.3};
  step.recovery_tiers = {false, true};
  s.policies = {{"only", {step}}};
  return s;
}

RunResults run(const Scenario& s, std::int64_t worlds = 200) {
  RunOptions options;
  options.paths = worlds;
  options.seed = 17;
  return run_simulation(build_model(s), options);
}

// Whether a per-world figure is identical in every world of two runs.
bool identical(std::span<const double> a, std::span<const double> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

TEST(StreamKeys, ChangingOneTierLeavesAnotherTiersDrawsAlone) {
  const Scenario before = two_separate_tiers();
  Scenario after = before;
  after.tiers[0].churn = 0.05;  // another churn, margin and cost for the first tier
  after.tiers[0].margin = 70.0;
  after.tiers[0].cost_to_serve = 12.0;
  const RunResults a = run(before), b = run(after);
  EXPECT_TRUE(identical(a.metric(0, "customers_end_steady"), b.metric(0, "customers_end_steady")));
  EXPECT_TRUE(identical(a.metric(0, "npv_steady"), b.metric(0, "npv_steady")));
  const std::size_t steady = a.series().size() - 4;  // customers_volatile, customers_steady, ...
  ASSERT_EQ(a.series()[steady + 1], "customers_steady");
  for (int t = 1; t <= before.horizon; ++t)
    EXPECT_TRUE(identical(a.series(0, steady + 1, t), b.series(0, steady + 1, t))) << t;
  // The changed tier did change.
  EXPECT_FALSE(
      identical(a.metric(0, "customers_end_volatile"), b.metric(0, "customers_end_volatile")));
}

TEST(StreamKeys, ChangingTheHorizonLeavesTheEarlierPeriodsAlone) {
  Scenario shorter = two_separate_tiers();
  shorter.tiers[1].margin_growth = 0.05;  // a cell per tenure: their number follows the horizon
  shorter.horizon = 12;
  Scenario longer = shorter;
  longer.horizon = 30;
  const RunResults a = run(shorter), b = run(longer);
  ASSERT_EQ(a.series(), b.series());
  for (std::size_t k = 0; k < a.series().size(); ++k)
    for (int t = 1; t <= shorter.horizon; ++t)
      EXPECT_TRUE(identical(a.series(0, k, t), b.series(0, k, t))) << a.series()[k] << " " << t;
}

TEST(StreamKeys, ChangingAHalfLifeLeavesTheTenuresBelowThePooledCellAlone) {
  // With a loyalty floor of 1 the half-life changes no churn probability, only which tenures
  // share the pooled last cell: from 8 half-lives on (8 or 16 periods here).
  // The initial customers' tenure is given, so it does not follow the half-life.
  Scenario quick = two_separate_tiers();
  quick.loyalty = Loyalty{1.0, 1.0};
  for (Tier& tier : quick.tiers) tier.initial_tenure = 20;
  Scenario slow = quick;
  slow.loyalty->half_life = 2.0;
  const RunResults a = run(quick), b = run(slow);
  for (std::size_t k = 0; k < a.series().size(); ++k)
    for (int t = 1; t <= 8; ++t)
      EXPECT_TRUE(identical(a.series(0, k, t), b.series(0, k, t))) << a.series()[k] << " " << t;
}

TEST(StreamKeys, ReorderingTiersChangesNoTiersDraws) {
  // Without a new-customer mix (which splits in tier order) and without a recovery fund
  // (spent best tier first), where a tier is listed does not matter to its draws.
  Scenario listed = two_separate_tiers();
  listed.acquisition.reset();
  listed.service->concession = 0.0;
  for (Policy& policy : listed.policies) {
    policy.steps[0].acquisition = {};
    policy.steps[0].recovery_tiers.clear();
  }
  Scenario reordered = listed;
  std::swap(reordered.tiers[0], reordered.tiers[1]);
  std::swap(reordered.service->failure[0], reordered.service->failure[1]);
  std::swap(reordered.service->defection[0], reordered.service->defection[1]);
  const RunResults a = run(listed), b = run(reordered);
  for (const char* tier : {"volatile", "steady"}) {
    const std::string name = std::string("customers_end_") + tier;
    EXPECT_TRUE(identical(a.metric(0, name), b.metric(0, name))) << tier;
  }
}

}  // namespace
}  // namespace tenure
