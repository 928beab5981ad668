// The relationship mechanisms (service recovery, word of mouth, referrals, the market,
// expansion, heterogeneity): each moves results in the right direction, and by the right
// amount where a closed form exists (within 4 standard errors, or exactly).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

Scenario one_tier(std::int64_t customers, double churn, int horizon) {
  Scenario s;
  s.name = "mechanism";
  s.horizon = horizon;
  s.discount_rate = 0.1;
  s.tiers.push_back({"only", customers, 100.0, 10.0, churn, {}});
  s.policies.push_back({"only", {PolicyStep{}}});
  return s;
}

RunResults run(const Scenario& s, std::int64_t paths, std::uint64_t seed = 3) {
  const Model model = build_model(s);
  RunOptions options;
  options.paths = paths;
  options.seed = seed;
  return run_simulation(model, options);
}

void expect_mean_within_4_se(std::span<const double> values, double expected) {
  const Summary s = summarize(values);
  EXPECT_LT(std::abs(s.mean - expected), 4.0 * s.se)
      << "calculated " << s.mean << ", expected " << expected << ", error " << s.mean - expected
      << ", tolerance 4 SE = " << 4.0 * s.se;
}

Service service_for(int tiers, double failure, double defection) {
  Service service;
  service.failure.assign(tiers, failure);
  service.defection.assign(tiers, defection);
  return service;
}

// No budget limit and success probability 1: every failure in an eligible tier is
// recovered, so nobody defects; an ineligible tier loses its failures at rate q.
TEST(ServiceRecovery, UnlimitedFundAndSureSuccessRecoverEveryEligibleFailure) {
  Scenario s = one_tier(0, 0.0, 12);
  s.tiers = {{"top", 2000, 100.0, 10.0, 0.0, {}}, {"bottom", 2000, 10.0, 5.0, 0.0, {}}};
  s.service = service_for(2, 0.05, 0.5);
  s.policies[0].steps[0].recovery_tiers = {true, false};
  s.service->concession = 0.0;  // free, so never limited by the fund
  s.service->recovery_success = 1.0;
  const RunResults r = run(s, 200);
  for (std::int64_t path = 0; path < r.paths(); ++path) {
    EXPECT_EQ(r.metric(0, "customers_end_top")[path], 2000.0);
    EXPECT_LT(r.metric(0, "customers_end_bottom")[path], 2000.0);
    EXPECT_EQ(r.metric(0, "defected")[path], 2000.0 - r.metric(0, "customers_end_bottom")[path]);
  }
}

// Not eligible: customers fail with f and defect with q, so the base shrinks by (1 - f q)
// a period: E[failures] = N f sum_t (1 - f q)^(t-1), E[defected] = N (1 - (1 - f q)^T).
TEST(ServiceRecovery, UnresolvedFailuresDefectAtTheClosedFormRate) {
  const double f = 0.04, q = 0.3;
  const std::int64_t n = 3000;
  Scenario s = one_tier(n, 0.0, 24);
  s.service = service_for(1, f, q);
  s.policies[0].steps[0].recovery_tiers = {false};
  const RunResults r = run(s, 2000);
  double failures = 0.0;
  for (int t = 1; t <= s.horizon; ++t) failures += n * f * std::pow(1 - f * q, t - 1);
  expect_mean_within_4_se(r.metric(0, "failures"), failures);
  expect_mean_within_4_se(r.metric(0, "defected"), n * (1 - std::pow(1 - f * q, s.horizon)));
}

// A limited fund pays for floor(fund / concession) offers a period, best tiers first.
TEST(ServiceRecovery, FundLimitsOffersAndConcessionsArePaidPerOffer) {
  Scenario s = one_tier(0, 0.0, 12);
  s.tiers = {{"top", 500, 300.0, 10.0, 0.01, {}}, {"bottom", 5000, 10.0, 5.0, 0.02, {}}};
  s.budget.per_period = 10000.0;
  s.service = service_for(2, 0.05, 0.6);
  s.service->concession = 200.0;
  s.service->recovery_success = 0.8;
  s.policies[0].steps[0].recovery = {SpendLine::Kind::amount, 5000.0};  // 25 offers a period
  const RunResults r = run(s, 300);
  for (std::int64_t path = 0; path < r.paths(); ++path) {
    const double offered = r.metric(0, "recoveries_offered")[path];
    EXPECT_LE(offered, 25.0 * s.horizon);
    EXPECT_LE(offered, r.metric(0, "failures")[path]);
    EXPECT_EQ(r.metric(0, "concessions_paid")[path], 200.0 * offered);
  }
  // Everyone eligible against top tier only: "top 20%" leaves more defections.
  Scenario top_only = s;
  top_only.policies[0].steps[0].recovery_tiers = {true, false};
  const RunResults narrow = run(top_only, 300);
  const PairedComparison c = compare_paired(narrow.metric(0, "defected"), r.metric(0, "defected"));
  EXPECT_GT(c.mean_difference, 4.0 * c.se);
}

// Found by fuzzing (docs/hardening.md): a fund paying for 1e19 offers overflowed the count
// of offers left. Such a fund is no limit: every failure is offered a concession.
TEST(ServiceRecovery, AFundBeyondAnyCountOffersEveryFailure) {
  Scenario s = one_tier(2000, 0.0, 6);
  s.service = service_for(1, 0.05, 0.5);
  s.service->concession = 2.0;
  s.policies[0].steps[0].recovery = {SpendLine::Kind::amount, 2e19};
  const RunResults r = run(s, 50);
  for (std::int64_t path = 0; path < r.paths(); ++path)
    EXPECT_EQ(r.metric(0, "recoveries_offered")[path], r.metric(0, "failures")[path]);
}

// Expected referrals equal customers times rate: with conversion c, referred customers join
// the base, so E[N_t] = N (1 + rho c)^(t-1) and E[referred] = rho N sum_t (1 + rho c)^(t-1).
TEST(Referrals, ExpectedReferralsAreCustomersTimesRate) {
  const double rho = 0.02, conversion = 0.25;
  const std::int64_t n = 1000;
  Scenario s = one_tier(n, 0.0, 12);
  s.referrals = CustomerReferrals{{rho}, conversion, 50.0, 0.0, 1.0};
  const RunResults r = run(s, 3000);
  double referred = 0.0;
  for (int t = 1; t <= s.horizon; ++t) referred += rho * n * std::pow(1 + rho * conversion, t - 1);
  expect_mean_within_4_se(r.metric(0, "referred"), referred);
  expect_mean_within_4_se(r.metric(0, "referral_won"), conversion * referred);
  for (std::int64_t path = 0; path < r.paths(); ++path)
    EXPECT_EQ(r.metric(0, "referral_cost")[path], 50.0 * r.metric(0, "referral_won")[path]);
}

// Program spend per customer f multiplies the rate by 1 + max_uplift (1 - exp(-f / scale)).
TEST(Referrals, ProgramSpendRaisesTheRate) {
  const double rho = 0.01;
  const std::int64_t n = 2000;
  Scenario s = one_tier(n, 0.0, 6);
  s.budget.per_period = 1e6;
  s.referrals = CustomerReferrals{{rho}, 0.0, 0.0, 2.0, 5.0};
  s.policies[0].steps[0].referral = {SpendLine::Kind::per_customer, 5.0};
  const RunResults r = run(s, 2000);
  const double multiplier = 1.0 + 2.0 * (1.0 - std::exp(-1.0));
  expect_mean_within_4_se(r.metric(0, "referred"), s.horizon * n * rho * multiplier);
  // The program is paid for: 5 per customer per period, no rewards.
  EXPECT_DOUBLE_EQ(r.metric(0, "referral_cost")[0], 5.0 * n * s.horizon);
}

TEST(Referrals, IntermediariesBringProspectsTimesConversion) {
  Scenario s = one_tier(100, 0.0, 12);
  s.acquisition = Acquisition{{ResponseShape::exponential, 0.0, 1.0, 1.0, 1.0}, {1.0}};
  s.intermediaries = {{"estate agents", 8.0, 0.4, 300.0}, {"accountants", 3.0, 0.2, 150.0}};
  const RunResults r = run(s, 3000);
  expect_mean_within_4_se(r.metric(0, "won_estate_agents"), 12 * 8.0 * 0.4);
  expect_mean_within_4_se(r.metric(0, "won_accountants"), 12 * 3.0 * 0.2);
  for (std::int64_t path = 0; path < r.paths(); ++path) {
    EXPECT_EQ(r.metric(0, "commission_estate_agents")[path],
              300.0 * r.metric(0, "won_estate_agents")[path]);
    EXPECT_EQ(r.metric(0, "intermediary_won")[path],
              r.metric(0, "won_estate_agents")[path] + r.metric(0, "won_accountants")[path]);
  }
}

// A pool of size P is never exceeded: without churn nobody returns to it, so at most P
// customers are ever won, and the pool left is P minus those won.
TEST(Market, PoolIsNeverExceeded) {
  const double pool = 500.0;
  Scenario s = one_tier(0, 0.0, 24);
  s.budget.per_period = 1e6;
  s.prospect_pool = pool;
  s.acquisition = Acquisition{{ResponseShape::exponential, 100000.0, 1000.0, 1.0, 1.0}, {1.0}};
  s.referrals = CustomerReferrals{{0.5}, 0.9, 0.0, 0.0, 1.0};
  s.intermediaries = {{"agents", 200.0, 0.9, 0.0}};
  s.policies[0].steps[0].acquisition = {SpendLine::Kind::share, 1.0};
  const RunResults r = run(s, 200);
  for (std::int64_t path = 0; path < r.paths(); ++path) {
    EXPECT_LE(r.metric(0, "acquired")[path], pool);
    EXPECT_EQ(r.metric(0, "pool_end")[path], pool - r.metric(0, "acquired")[path]);
    for (int t = 1; t <= s.horizon; ++t)
      EXPECT_GE(r.series(0, r.series().size() - 1, t)[path], 0.0);
  }
}

// With a pool, paid acquisition is binomial from the pool: in period 1 its mean is the
// response curve itself.
TEST(Market, FirstPeriodFromThePoolFollowsTheResponse) {
  Scenario s = one_tier(0, 0.0, 1);
  s.budget.per_period = 50000.0;
  s.prospect_pool = 5000.0;
  s.acquisition = Acquisition{{ResponseShape::exponential, 800.0, 40000.0, 1.0, 1.0}, {1.0}};
  s.policies[0].steps[0].acquisition = {SpendLine::Kind::share, 1.0};
  const RunResults r = run(s, 4000);
  expect_mean_within_4_se(r.metric(0, "acquired"),
                          expected_new_customers(s.acquisition->response, 50000.0));
}

// Geometric adstock: effective spend E_t = A + lambda E_{t-1} = A (1 - lambda^t) / (1 - lambda).
TEST(Market, AdstockCarriesSpendOver) {
  const double spend = 20000.0, lambda = 0.5;
  Scenario s = one_tier(0, 0.0, 8);
  s.budget.per_period = spend;
  s.acquisition =
      Acquisition{{ResponseShape::exponential, 500.0, 60000.0, 1.0, 1.0}, {1.0}, lambda};
  s.policies[0].steps[0].acquisition = {SpendLine::Kind::share, 1.0};
  double expected = 0.0;
  for (int t = 1; t <= s.horizon; ++t)
    expected += expected_new_customers(s.acquisition->response,
                                       spend * (1 - std::pow(lambda, t)) / (1 - lambda));
  expect_mean_within_4_se(run(s, 3000).metric(0, "acquired"), expected);
}

// Unhappy defectors damage the reputation and so cost future acquisitions.
TEST(WordOfMouth, DefectorsCostFutureAcquisitions) {
  Scenario s = one_tier(5000, 0.01, 24);
  s.budget.per_period = 50000.0;
  s.prospect_pool = 20000.0;
  s.acquisition = Acquisition{{ResponseShape::exponential, 400.0, 50000.0, 1.0, 1.0}, {1.0}};
  s.policies[0].steps[0].acquisition = {SpendLine::Kind::share, 1.0};
  s.service = service_for(1, 0.05, 0.5);
  s.policies[0].steps[0].recovery_tiers = {false};
  Scenario talking = s;
  talking.word_of_mouth = WordOfMouth{20.0, 0.9, 0.2};
  const RunResults quiet = run(s, 300), loud = run(talking, 300);
  const PairedComparison c =
      compare_paired(quiet.metric(0, "acquired"), loud.metric(0, "acquired"));
  EXPECT_GT(c.mean_difference, 4.0 * c.se);
  const std::size_t reputation = loud.series().size() - 2;
  ASSERT_EQ(loud.series()[reputation], "reputation_damage");
  for (std::int64_t path = 0; path < loud.paths(); ++path) {
    const double damage = loud.series(0, reputation, s.horizon)[path];
    EXPECT_GT(damage, 0.0);
    EXPECT_LE(damage, 0.9);  // at most the trusting share once it settles
  }
}

// Margin growing with tenure: without churn the NPV is a growing annuity, exactly.
TEST(Expansion, MarginGrowsWithTenure) {
  Scenario s = one_tier(100, 0.0, 36);
  s.tiers[0].margin_growth = 0.10;
  const RunResults r = run(s, 2);
  const double i = per_period_rate(s.discount_rate, s.period);
  double expected = 0.0;
  for (int t = 1; t <= s.horizon; ++t)
    expected += 100 * (100.0 * std::pow(1.1, (t - 1) / 12.0) - 10.0) * std::pow(1 + i, -t);
  EXPECT_NEAR(r.metric(0, "npv")[0], expected, 1e-9 * expected);
}

// Retention spend raises upgrades: more customers end in the top tier, on the same worlds.
TEST(Expansion, RetentionSpendRaisesUpgrades) {
  Scenario s = one_tier(0, 0.0, 24);
  s.tiers = {{"top", 100, 300.0, 10.0, 0.01, {{1, 0.01}}},
             {"bottom", 3000, 30.0, 5.0, 0.02, {{0, 0.01}}}};
  s.budget.per_period = 60000.0;
  s.retention = RetentionResponse{0.0, 20.0};  // no effect on churn: only the upgrades move
  s.policies[0].steps[0].retention = {SpendLine::Kind::share, 1.0};
  Scenario expanding = s;
  expanding.upgrade = UpgradeResponse{1.5, 20.0};
  const RunResults flat = run(s, 300), up = run(expanding, 300);
  const PairedComparison c =
      compare_paired(up.metric(0, "customers_end_top"), flat.metric(0, "customers_end_top"));
  EXPECT_GT(c.mean_difference, 4.0 * c.se);
}

// Gauss quadrature of the Beta reproduces its moments E[p^j] = prod_{i<j} (a+i)/(a+b+i)
// up to degree 2 classes - 1.
TEST(Heterogeneity, QuadratureMatchesBetaMoments) {
  for (const auto& [a, b] : {std::pair{0.5, 4.5}, {2.0, 8.0}, {0.3, 0.7}, {1.0, 1.0}}) {
    const Quadrature q = beta_quadrature(a, b, 5);
    double weight_sum = 0.0;
    for (double w : q.weights) weight_sum += w;
    EXPECT_NEAR(weight_sum, 1.0, 1e-12);
    double moment = 1.0;
    for (int j = 0; j <= 9; ++j) {
      double sum = 0.0;
      for (int c = 0; c < 5; ++c) sum += q.weights[c] * std::pow(q.nodes[c], j);
      EXPECT_NEAR(sum, moment, 1e-11) << "a " << a << " b " << b << " degree " << j;
      moment *= (a + j) / (a + b + j);
    }
  }
}

// The class mixture reproduces the beta-geometric survival curve
// S(t) = B(a, b + t) / B(a, b): the share of a cohort still there after t periods.
TEST(Heterogeneity, CohortFollowsBetaGeometricSurvival) {
  const double churn = 0.1, concentration = 4.0;
  const double a = churn * concentration, b = (1 - churn) * concentration;
  const std::int64_t n = 1000;
  Scenario s = one_tier(n, churn, 24);
  s.heterogeneity = Heterogeneity{8, concentration};
  const RunResults r = run(s, 3000);
  const std::size_t customers = r.series().size() - 2;
  ASSERT_EQ(r.series()[customers], "customers");
  const Model model = build_model(s);
  double previous_retention = 0.0;
  for (int t = 1; t <= s.horizon; ++t) {
    const double survival =
        std::exp(std::lgamma(b + t) - std::lgamma(a + b + t) - std::lgamma(b) + std::lgamma(a + b));
    SCOPED_TRACE(t);
    expect_mean_within_4_se(r.series(0, customers, t), n * survival);
    // The model's classes: retention of the survivors, S(t) / S(t-1) with
    // S(t) = sum_c w_c (1 - p_c)^t, rises with age as the flighty leave first.
    double classes_now = 0.0, classes_before = 0.0;
    for (int c = 0; c < model.classes; ++c) {
      const double keep = 1.0 - model.segment[c].churn;
      classes_now += model.class_share[0][c] * std::pow(keep, t);
      classes_before += model.class_share[0][c] * std::pow(keep, t - 1);
    }
    const double retention = classes_now / classes_before;
    EXPECT_GT(retention, previous_retention);
    previous_retention = retention;
  }
}

// A mechanism that is present but does nothing draws from its own streams only, so every
// other number of the run stays bit-identical.
TEST(Mechanisms, NeutralMechanismsLeaveOtherResultsBitIdentical) {
  Scenario plain = one_tier(0, 0.0, 18);
  plain.tiers = {{"top", 300, 200.0, 20.0, 0.02, {{1, 0.02}}},
                 {"low", 2000, 30.0, 8.0, 0.05, {{0, 0.01}}}};
  plain.budget.per_period = 40000.0;
  plain.acquisition =
      Acquisition{{ResponseShape::exponential, 300.0, 30000.0, 1.0, 1.0}, {0.2, 0.8}};
  plain.retention = RetentionResponse{0.5, 10.0};
  plain.policies[0].steps[0].acquisition = {SpendLine::Kind::share, 0.6};
  plain.policies[0].steps[0].retention = {SpendLine::Kind::share, 0.4};
  Scenario neutral = plain;
  neutral.service = service_for(2, 0.0, 0.5);                              // nobody fails
  neutral.referrals = CustomerReferrals{{0.0, 0.0}, 0.5, 10.0, 0.0, 1.0};  // nobody refers
  neutral.upgrade = UpgradeResponse{0.0, 10.0};                            // no uplift
  const RunResults a = run(plain, 200), b = run(neutral, 200);
  for (std::size_t k = 0; k < a.metrics().size(); ++k) {
    const auto x = a.metric(0, k), y = b.metric(0, b.metric_index(a.metrics()[k]));
    for (std::int64_t path = 0; path < a.paths(); ++path)
      ASSERT_EQ(x[path], y[path]) << a.metrics()[k] << " path " << path;
  }
}

}  // namespace
}  // namespace tenure
