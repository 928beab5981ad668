// Paired comparisons of the policies on every metric, and the chance each is best: exact
// properties on identical policies, and what pairing on common random numbers buys on the
// shipped baseline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/analysis/comparisons.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/output/result_files.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure {
namespace {

Scenario baseline_scenario() {
  return load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml");
}

// The baseline with a fourth policy, a copy of the balanced one under another name.
Scenario with_a_twin() {
  Scenario s = baseline_scenario();
  Policy twin = s.policies[1];
  twin.name = "balanced-twin";
  s.policies.push_back(twin);
  return s;
}

// Two identical policies see the same worlds, so their difference is exactly 0 in every
// world, on every metric; they share every world they are best in.
TEST(Comparisons, IdenticalPoliciesDifferByExactlyZero) {
  const Scenario s = with_a_twin();
  const RunResults r = run_simulation(build_model(s), {300, 7, 2, {}});
  const RunSummary summary = summarize_run(r, std::nullopt, std::size_t{1});
  std::size_t checked = 0;
  for (const PolicyComparison& c : summary.comparisons) {
    EXPECT_EQ(c.b, 1u);
    if (c.a != 3) continue;
    ++checked;
    EXPECT_EQ(c.difference.mean_difference, 0.0) << r.metrics()[c.metric];
    EXPECT_EQ(c.difference.se, 0.0);
    EXPECT_EQ(c.difference.share_a_better, 0.0);
    EXPECT_EQ(c.difference.share_b_better, 0.0);
  }
  EXPECT_EQ(checked, r.metrics().size());
  for (std::size_t k = 0; k < summary.prob_best.size(); ++k)
    EXPECT_EQ(summary.prob_best[k][1], summary.prob_best[k][3]) << kProbBestMetrics[k];
}

// Without a baseline every two policies are compared on every metric; with one, each other
// policy against it.
TEST(Comparisons, EveryPairOrEachAgainstTheBaseline) {
  const Scenario s = baseline_scenario();
  const RunResults r = run_simulation(build_model(s), {100, 3, 2, {}});
  const std::size_t metrics = r.metrics().size();
  EXPECT_EQ(paired_comparisons(r, std::nullopt).size(), 3 * metrics);
  const auto against = paired_comparisons(r, std::size_t{2});
  EXPECT_EQ(against.size(), 2 * metrics);
  for (const PolicyComparison& c : against) {
    EXPECT_EQ(c.b, 2u);
    EXPECT_NE(c.a, 2u);
  }
  const auto best = prob_best(r);
  ASSERT_EQ(best.size(), 2u);
  for (const auto& shares : best) EXPECT_DOUBLE_EQ(shares[0] + shares[1] + shares[2], 1.0);
}

// Pairing on the same worlds must cut the variance of every difference of the baseline's
// policies more than tenfold (issue 11's target). Measured at 2,000 worlds, seed 42: npv
// 53 (acquisition-heavy vs balanced), 21 (acquisition-heavy vs retention-heavy), 29
// (balanced vs retention-heavy); npv_with_equity 45, 17, 23. The estimate's own noise at
// 2,000 worlds is a few percent, far from the limit.
TEST(Comparisons, PairingCutsTheBaselinesVarianceMoreThanTenfold) {
  const Scenario s = baseline_scenario();
  const RunResults r = run_simulation(build_model(s), {2000, 42, 2, {}});
  for (const PolicyComparison& c : paired_comparisons(r, std::nullopt)) {
    const std::string& metric = r.metrics()[c.metric];
    if (metric != "npv" && metric != "npv_with_equity") continue;
    EXPECT_GT(c.difference.variance_reduction, 10.0)
        << metric << ": " << r.policies()[c.a] << " vs " << r.policies()[c.b];
  }
}

// compare.csv is part of the run's result set, written with the other files or not at all,
// one row per comparison.
TEST(Comparisons, CompareCsvIsInTheResultSet) {
  const Scenario s = baseline_scenario();
  const RunResults r = run_simulation(build_model(s), {50, 1, 2, {}});
  const RunSummary summary = summarize_run(r);
  const ResultSet set = run_result_set("unused", s, r, summary, RunContext{"tenure run"});
  const std::string& csv = set.text("compare.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "a,b,metric,mean_difference,se,ci95_low,ci95_high,share_a_better,share_b_better,"
            "variance_reduction");
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')),
            summary.comparisons.size() + 1);
}

}  // namespace
}  // namespace tenure
