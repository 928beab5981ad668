// The engine against the closed forms of the model, each within 4 standard errors of the
// Monte Carlo mean (a correct engine fails such a check about 6 times in 100,000 runs).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/kernel.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

Scenario base_scenario(int horizon, double annual_rate) {
  Scenario s;
  s.name = "closed-form";
  s.horizon = horizon;
  s.period = PeriodUnit::month;
  s.discount_rate = annual_rate;
  s.policies.push_back({"only", {PolicyStep{}}});
  return s;
}

Summary npv_summary(const Scenario& s, std::int64_t paths, std::uint64_t seed) {
  const Model model = build_model(s);
  RunOptions options;
  options.paths = paths;
  options.seed = seed;
  const RunResults results = run_simulation(model, options);
  return summarize(results.metric(0, "npv"));
}

void expect_within_4_se(const Summary& s, double expected) {
  const double error = s.mean - expected;
  EXPECT_LT(std::abs(error), 4.0 * s.se)
      << "calculated " << s.mean << ", expected " << expected << ", error " << error
      << ", tolerance 4 SE = " << 4.0 * s.se;
  EXPECT_GT(s.se, 0.0) << "a zero standard error means nothing random was simulated";
}

// One cohort, constant retention r = 1 - h, margin m, no acquisition: expected NPV per
// customer sum_{t=1..T} (1+i)^-t r^(t-1) m = m / (1 + i - r) * (1 - (r / (1+i))^T).
TEST(ClosedForm, OneCohortConstantRetention) {
  Scenario s = base_scenario(120, 0.12);
  const double margin = 50.0, churn = 0.04;
  const std::int64_t customers = 2000;
  s.tiers.push_back({"only", customers, margin, 0.0, churn, {}});
  const double i = per_period_rate(0.12, PeriodUnit::month);
  const double r = 1.0 - churn;
  const double expected =
      customers * margin / (1.0 + i - r) * (1.0 - std::pow(r / (1.0 + i), s.horizon));
  expect_within_4_se(npv_summary(s, 4000, 11), expected);
}

// Loyalty applies to the initial customers at its floor: retention 1 - h * floor.
TEST(ClosedForm, OneCohortAtLoyaltyFloor) {
  Scenario s = base_scenario(60, 0.08);
  const double margin = 30.0, churn = 0.1, floor = 0.5;
  const std::int64_t customers = 1500;
  s.tiers.push_back({"only", customers, margin, 5.0, churn, {}});
  s.loyalty = Loyalty{floor, 6.0};
  const double i = per_period_rate(0.08, PeriodUnit::month);
  const double r = 1.0 - churn * floor;
  const double expected =
      customers * (margin - 5.0) / (1.0 + i - r) * (1.0 - std::pow(r / (1.0 + i), s.horizon));
  expect_within_4_se(npv_summary(s, 4000, 12), expected);
}

// Tiers with migration: with M the per-period survive-and-move matrix, the expected NPV per
// initial customer of each tier is sum_{t=1..T} (1+i)^-t M^(t-1) m, which tends to
// (1+i)^-1 (I - M/(1+i))^-1 m as T grows.
TEST(ClosedForm, TiersWithMigration) {
  Scenario s = base_scenario(48, 0.10);
  s.tiers.push_back({"gold", 0, 200.0, 20.0, 0.02, {{1, 0.05}}});
  s.tiers.push_back({"silver", 0, 80.0, 10.0, 0.04, {{0, 0.03}, {2, 0.06}}});
  s.tiers.push_back({"bronze", 0, 20.0, 25.0, 0.08, {{1, 0.02}}});
  const int tiers = 3;
  const double i = per_period_rate(s.discount_rate, s.period);

  Eigen::MatrixXd survive_and_move = Eigen::MatrixXd::Zero(tiers, tiers);
  Eigen::VectorXd net_margin(tiers);
  for (int k = 0; k < tiers; ++k) {
    double stay = 1.0;
    for (const Move& move : s.tiers[k].moves) {
      survive_and_move(k, move.to_tier) = (1.0 - s.tiers[k].churn) * move.probability;
      stay -= move.probability;
    }
    survive_and_move(k, k) = (1.0 - s.tiers[k].churn) * stay;
    net_margin(k) = s.tiers[k].margin - s.tiers[k].cost_to_serve;
  }
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(tiers);
  Eigen::VectorXd flow = net_margin;  // M^(t-1) m
  for (int t = 1; t <= s.horizon; ++t) {
    expected += std::pow(1.0 + i, -t) * flow;
    flow = survive_and_move * flow;
  }

  const std::int64_t customers = 1000;
  for (int k = 0; k < tiers; ++k) {
    Scenario one = s;
    one.tiers[k].initial_customers = customers;
    SCOPED_TRACE(one.tiers[k].name);
    expect_within_4_se(npv_summary(one, 3000, 20 + k), customers * expected(k));
  }

  // The model's customer equity uses the infinite-horizon form of the same identity.
  const Model model = build_model(s);
  const Eigen::VectorXd infinite =
      (Eigen::MatrixXd::Identity(tiers, tiers) - survive_and_move / (1.0 + i))
          .lu()
          .solve(net_margin / (1.0 + i));
  for (int k = 0; k < tiers; ++k)
    EXPECT_NEAR(model.equity_per_customer[k], infinite(k), 1e-9 * std::abs(infinite(k)));
}

// Blattberg and Deighton: N1 customers won in period 1 by spend A, then retention spend R
// per customer per period giving retention r(R). Expected NPV over T periods:
// E[N1] (m - R) / (1 + i - r) (1 - (r / (1+i))^T) - A / (1 + i).
TEST(ClosedForm, AcquisitionOnceThenRetentionPerCustomer) {
  Scenario s = base_scenario(60, 0.10);
  const double margin = 90.0, churn = 0.06, spend = 30000.0, per_customer = 15.0;
  s.tiers.push_back({"only", 0, margin, 0.0, churn, {}});
  s.acquisition = Acquisition{{ResponseShape::exponential, 900.0, 40000.0, 1.0, 1.0}, {1.0}};
  s.retention = RetentionResponse{0.5, 25.0};
  PolicyStep first;
  first.acquisition = {SpendLine::Kind::amount, spend};
  first.retention = {SpendLine::Kind::per_customer, per_customer};
  PolicyStep later = first;
  later.from_period = 2;
  later.acquisition = {SpendLine::Kind::share, 0.0};
  s.policies = {{"once-then-keep", {first, later}}};

  const double i = per_period_rate(s.discount_rate, s.period);
  const double won = expected_new_customers(s.acquisition->response, spend);
  const double r = 1.0 - churn * retention_effect(*s.retention, per_customer);
  const double expected =
      won * (margin - per_customer) / (1.0 + i - r) * (1.0 - std::pow(r / (1.0 + i), s.horizon)) -
      spend / (1.0 + i);
  expect_within_4_se(npv_summary(s, 6000, 31), expected);
}

// A closed form the acquisition response must meet exactly: the mean number won equals
// the response curve, within 4 SE, for both shapes.
TEST(ClosedForm, AcquiredCustomersFollowTheResponseCurve) {
  for (const auto shape : {ResponseShape::exponential, ResponseShape::hill}) {
    Scenario s = base_scenario(12, 0.0);
    s.tiers.push_back({"a", 0, 10.0, 0.0, 0.5, {}});
    s.tiers.push_back({"b", 0, 10.0, 0.0, 0.5, {}});
    s.budget.per_period = 50000.0;
    s.acquisition = Acquisition{{shape, 300.0, 60000.0, 70000.0, 1.4}, {0.3, 0.7}};
    s.policies[0].steps[0].acquisition = {SpendLine::Kind::share, 0.6};
    const double per_period = expected_new_customers(s.acquisition->response, 30000.0);
    const Model model = build_model(s);
    RunOptions options;
    options.paths = 2000;
    const RunResults results = run_simulation(model, options);
    const Summary acquired = summarize(results.metric(0, "acquired"));
    EXPECT_LT(std::abs(acquired.mean - 12 * per_period), 4 * acquired.se);
  }
}

}  // namespace
}  // namespace tenure
