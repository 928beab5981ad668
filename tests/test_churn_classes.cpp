// Churn classes against the shifted-beta-geometric closed forms: the discretisation is held
// to a cohort's discounted lifetime within the tolerance over a grid of parameters; the
// shares of survivors are the posterior; the engine's cohorts follow the classes; and the
// fit recovers the parameters from cohorts the engine simulated.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "sim/analysis/statistics.hpp"
#include "sim/calibration/sbg_fit.hpp"
#include "sim/engine/churn_classes.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

// S(t) = B(a, b + t) / B(a, b), by log-gammas: an independent route to the closed form.
double survival(double a, double b, double t) {
  int sign = 0;
  return std::exp(::lgamma_r(b + t, &sign) - ::lgamma_r(a + b + t, &sign) - ::lgamma_r(b, &sign) +
                  ::lgamma_r(a + b, &sign));
}

TEST(ChurnClasses, ClosedFormLifetimeAgreesWithTheBetaFunctions) {
  const double a = 0.06, b = 1.94, rate = 0.008;
  for (const int survived : {0, 7, 120}) {
    double direct = 0.0;
    for (int k = 1; k <= 300; ++k)
      direct +=
          survival(a, b, survived + k - 1.0) / survival(a, b, survived) * std::pow(1.0 + rate, -k);
    EXPECT_NEAR(sbg_discounted_lifetime(a, b, rate, 300, survived), direct, 1e-10 * direct);
  }
  // A constant churn: the geometric sum.
  EXPECT_NEAR(discounted_lifetime(0.05, 0.01, 40),
              (1 - std::pow(0.95 / 1.01, 40)) / (1.01 * (1 - 0.95 / 1.01)), 1e-12);
  EXPECT_DOUBLE_EQ(discounted_lifetime(0.0, 0.0, 40), 40.0);
}

// The example: churn 3% a month, concentration 2, 10% a year, 50 years.
TEST(ChurnClasses, FiveGaussClassesUndervalueLongLifetimesLifetimeWeightedOnesDoNot) {
  const ClassCriteria criteria{std::pow(1.1, 1.0 / 12) - 1, 600, {}};
  const ChurnClasses gauss = churn_classes(0.03, 2.0, 5, criteria, 0.001, true);
  EXPECT_EQ(gauss.method, "gauss");
  EXPECT_GT(gauss.lifetime_error, 0.05);
  const ChurnClasses better = churn_classes(0.03, 2.0, 5, criteria, 0.001);
  EXPECT_EQ(better.method, "lifetime-weighted");
  EXPECT_LT(better.lifetime_error, 0.001);
  EXPECT_NEAR(std::accumulate(better.shares.begin(), better.shares.end(), 0.0), 1.0, 1e-12);
}

// classes: auto holds every criterion within the tolerance over the grid of the issue:
// churn 0.5% to 20% a period, concentration 0.3 to 20, horizon 12 to 600, three rates.
TEST(ChurnClasses, AutoMeetsTheToleranceOverTheGrid) {
  const double tolerance = 0.001;
  int most = 0;
  for (const double churn : {0.005, 0.01, 0.03, 0.1, 0.2})
    for (const double concentration : {0.3, 1.0, 3.0, 20.0})
      for (const int horizon : {12, 36, 120, 600})
        for (const double annual : {0.0, 0.1, 0.3}) {
          const ClassCriteria criteria{std::pow(1 + annual, 1.0 / 12) - 1, horizon, {0, 24}};
          const int count = classes_needed(churn, concentration, criteria, tolerance, 20);
          const ChurnClasses classes =
              churn_classes(churn, concentration, count, criteria, tolerance);
          EXPECT_LE(classes.worst_error, tolerance)
              << "churn " << churn << " concentration " << concentration << " horizon " << horizon
              << " rate " << annual << ": " << count << " classes";
          most = std::max(most, count);
        }
  RecordProperty("most classes", most);
}

// Survivors of t periods: their shares are the posterior, so with Gauss classes exact up to
// degree 2n - 1, their mean churn is a / (a + b + t) and their survival S(t + k) / S(t).
TEST(ChurnClasses, SurvivorSharesAreThePosterior) {
  const double a = 0.4, b = 3.6;
  const ClassCriteria criteria{0.0, 12, {}};
  const ChurnClasses classes = churn_classes(0.1, 4.0, 10, criteria, 1.0, true);
  for (const int t : {0, 3, 9}) {
    const auto shares = survivor_shares(classes, t, [](int) { return 1.0; });
    double mean = 0.0;
    for (std::size_t c = 0; c < shares.size(); ++c) mean += shares[c] * classes.nodes[c];
    EXPECT_NEAR(mean, a / (a + b + t), 1e-12) << t;
    for (int k = 1; k + t <= 19; ++k) {
      double kept = 0.0;
      for (std::size_t c = 0; c < shares.size(); ++c)
        kept += shares[c] * std::pow(1 - classes.nodes[c], k);
      EXPECT_NEAR(kept, survival(a, b, t + k) / survival(a, b, t), 1e-11) << t << " " << k;
    }
  }
}

Scenario cohort_scenario(std::int64_t customers, int tenure, int horizon) {
  Scenario s;
  s.name = "cohort";
  s.horizon = horizon;
  s.discount_rate = 0.1;
  s.tiers.push_back({"only", customers, 1.0, 0.0, 0.1, {}});
  s.tiers[0].initial_tenure = tenure;
  s.heterogeneity = Heterogeneity{0, 4.0};
  s.policies.push_back({"only", {PolicyStep{}}});
  return s;
}

// An old base churns as survivors do: the engine's customers left after 12 periods match the
// classes' expectation (within 4 SE), and the classes hold the survivors' discounted lifetime
// to the closed form within the tolerance.
TEST(ChurnClasses, AnOldBaseKeepsItsLoyalCustomers) {
  const std::int64_t n = 10000;
  const int tenure = 120;
  const Scenario s = cohort_scenario(n, tenure, 12);
  const Model model = build_model(s);
  const RunResults r = run_simulation(model, {2000, 8, 0, {}});
  const auto& cohort = model.initial[0].front();
  EXPECT_EQ(cohort.tenure, tenure);
  double expected = 0.0;
  for (int c = 0; c < model.classes; ++c)
    expected += n * cohort.class_share[c] * std::pow(1 - model.segment[c].churn, 12);
  const Summary end = summarize(r.metric(0, "customers_end"));
  EXPECT_LT(std::abs(end.mean - expected), 4 * end.se)
      << "simulated " << end.mean << ", classes' expectation " << expected;
  const double a = 0.4, b = 3.6;
  double lifetime = 0.0;
  for (int c = 0; c < model.classes; ++c)
    lifetime += cohort.class_share[c] * discounted_lifetime(model.segment[c].churn, model.rate, 12);
  const double closed = sbg_discounted_lifetime(a, b, model.rate, 12, tenure);
  EXPECT_LE(std::abs(lifetime / closed - 1), 0.001) << lifetime << " against " << closed;
  // A fresh cohort with the same parameters keeps far fewer.
  EXPECT_GT(survival(a, b, tenure + 12) / survival(a, b, tenure), 1.5 * survival(a, b, 12));
}

// The example through the engine: a cohort's NPV per customer over 50 years at 10% a
// year, churn 3% a month and concentration 2, is the closed form within 4 SE with classes:
// auto; five Gauss classes (the old default) miss it by far more.
TEST(ChurnClasses, SimulatedCohortValueMatchesTheClosedForm) {
  Scenario s = cohort_scenario(200, 0, 600);
  s.tiers[0].churn = 0.03;
  s.tiers[0].margin = 1.0;
  s.heterogeneity = Heterogeneity{0, 2.0};
  const double rate = per_period_rate(0.1, PeriodUnit::month);
  const double closed = 200 * sbg_discounted_lifetime(0.06, 1.94, rate, 600);
  const Summary npv = summarize(run_simulation(build_model(s), {400, 5, 0, {}}).metric(0, "npv"));
  EXPECT_LT(std::abs(npv.mean - closed), 4 * npv.se)
      << "simulated " << npv.mean << ", closed form " << closed << ", 4 SE " << 4 * npv.se;
  s.heterogeneity->classes = 5;
  const Summary five = summarize(run_simulation(build_model(s), {400, 5, 0, {}}).metric(0, "npv"));
  EXPECT_GT(std::abs(five.mean - closed), 4 * five.se);
}

// Cohorts simulated by the engine, fitted: the estimates recover the parameters within 4 of
// their standard errors.
TEST(ChurnClasses, FitRecoversTheParametersOfSimulatedCohorts) {
  const Scenario s = cohort_scenario(2000, 0, 10);
  const Model model = build_model(s);
  const RunResults r = run_simulation(model, {30, 21, 0, {}});
  CohortTier tier;
  tier.name = "only";
  const std::size_t customers = 0;  // customers_only, the first series
  ASSERT_EQ(r.series()[customers], "customers_only");
  for (std::int64_t world = 0; world < r.paths(); ++world) {
    std::vector<std::int64_t> active = {2000};
    for (int t = 1; t <= s.horizon; ++t)
      active.push_back(static_cast<std::int64_t>(r.series(0, customers, t)[world]));
    tier.cohorts.push_back({"c" + std::to_string(world), std::move(active), 0});
  }
  const SbgEstimate fit = fit_sbg(count_survival(tier));
  EXPECT_LT(std::abs(fit.churn - 0.1), 4 * fit.churn_se) << fit.churn << " +/- " << fit.churn_se;
  EXPECT_LT(std::abs(fit.concentration - 4.0), 4 * fit.concentration_se)
      << fit.concentration << " +/- " << fit.concentration_se;
}

}  // namespace
}  // namespace tenure
