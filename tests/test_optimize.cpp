// The optimiser against a closed form, against a sweep on the same worlds, and its objectives.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>

#include "sim/engine/model.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "sim/studies/optimize.hpp"
#include "sim/studies/sweep.hpp"

namespace tenure {
namespace {

constexpr double kMargin = 90.0, kChurn = 0.06;

// Blattberg and Deighton's set-up (MODEL.md; Blattberg and Deighton, "Manage Marketing by the
// Customer Equity Test", Harvard Business Review, 1996): one cohort won in period 1 by an
// acquisition spend A, then retention spend R per customer per period; both are variables.
Scenario acquisition_once(double horizon_years) {
  Scenario s;
  s.name = "blattberg-deighton";
  s.horizon = static_cast<int>(12 * horizon_years);
  s.period = PeriodUnit::month;
  s.discount_rate = 0.10;
  s.paths = 2000;
  s.tiers.push_back({"only", 0, kMargin, 0.0, kChurn, {}});
  s.acquisition = Acquisition{{ResponseShape::exponential, 900.0, 40000.0, 1.0, 1.0}, {1.0}};
  s.retention = RetentionResponse{0.5, 25.0};
  PolicyStep first;
  first.acquisition = {SpendLine::Kind::amount, 100000.0};
  first.retention = {SpendLine::Kind::per_customer, 10.0};
  PolicyStep later = first;
  later.from_period = 2;
  later.acquisition = {SpendLine::Kind::share, 0.0};
  s.policies = {{"once-then-keep", {first, later}}};
  s.variables = {{"A", 100000.0, 0.0, 400000.0, false, {"policies[0].steps[0].acquisition"}},
                 {"R",
                  10.0,
                  0.0,
                  60.0,
                  false,
                  {"policies[0].steps[0].retention", "policies[0].steps[1].retention"}}};
  return s;
}

// Expected NPV: E[N1] (m - R) / (1 + i - r) (1 - (r / (1+i))^T) - A / (1 + i), r = r(R).
double closed_form(const Scenario& s, double a, double r_spend) {
  const double i = per_period_rate(s.discount_rate, s.period);
  const double won = expected_new_customers(s.acquisition->response, a);
  const double r = 1.0 - kChurn * retention_effect(*s.retention, r_spend);
  return won * (kMargin - r_spend) / (1.0 + i - r) * (1.0 - std::pow(r / (1.0 + i), s.horizon)) -
         a / (1.0 + i);
}

// The optimiser's value on fresh worlds is within 4 standard errors of the closed-form
// optimum, and the closed form at the point it found within 1 standard error of that optimum
// (the found point is as good as the best up to the noise of one estimate).
TEST(Optimize, FindsTheBlattbergDeightonOptimum) {
  const Scenario s = acquisition_once(5);
  double best = -INFINITY, best_a = 0, best_r = 0;
  for (int j = 0; j <= 800; ++j)
    for (int k = 0; k <= 600; ++k) {
      const double value = closed_form(s, 500.0 * j, 0.1 * k);
      if (value > best) std::tie(best, best_a, best_r) = std::tuple(value, 500.0 * j, 0.1 * k);
    }
  ASSERT_GT(best_a, 0.0);  // an interior optimum, so the test is not about a bound
  ASSERT_LT(best_a, 400000.0);
  ASSERT_GT(best_r, 0.0);
  ASSERT_LT(best_r, 60.0);
  OptimizeRequest request;
  request.variables = {0, 1};
  request.worlds = 2000;
  request.seed = 5;
  request.workers = Workers(2);
  const Optimum found = optimize(s, request);
  const double se = found.objective.se;
  EXPECT_LT(std::abs(found.objective.value - best), 4.0 * se)
      << "closed-form optimum " << best << " at A = " << best_a << ", R = " << best_r << "; found "
      << found.objective.value << " at A = " << found.optimum[0] << ", R = " << found.optimum[1];
  EXPECT_GT(closed_form(s, found.optimum[0], found.optimum[1]), best - se);
  std::printf(
      "closed form: %.1f at A = %.0f, R = %.1f; found %.1f (se %.1f) at A = %.0f, "
      "R = %.2f, closed form there %.1f; %d runs\n",
      best, best_a, best_r, found.objective.value, se, found.optimum[0], found.optimum[1],
      closed_form(s, found.optimum[0], found.optimum[1]), found.evaluations);
  for (std::size_t v = 0; v < 2; ++v) {
    EXPECT_LE(found.flat_range[v].first, found.optimum[v]);
    EXPECT_GE(found.flat_range[v].second, found.optimum[v]);
  }
}

// On the same worlds, the optimiser and a 21-point sweep agree: the optimum is within one
// step of the sweep's best point, which lies in the optimum's flat range.
TEST(Optimize, AgreesWithTheSweepsBestPoint) {
  Scenario s = load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/split-sweep.yaml");
  s.policies.resize(1);  // split alone: the only policy a moves
  SweepRequest sweep_request{{{0, {}}}, 500, 42, 2};
  for (int k = 0; k <= 20; ++k) sweep_request.axes[0].values.push_back(k / 20.0);
  const SweepResult sweep = run_sweep(s, sweep_request);
  const double sweep_best = sweep.points[sweep.best[0][0]][0];
  OptimizeRequest request;
  request.variables = {0};
  request.worlds = 500;
  request.seed = 42;
  request.workers = Workers(2);
  const Optimum found = optimize(s, request);
  EXPECT_LE(std::abs(found.optimum[0] - sweep_best), 0.05)
      << "sweep " << sweep_best << ", optimiser " << found.optimum[0];
  EXPECT_LE(found.flat_range[0].first, sweep_best);
  EXPECT_GE(found.flat_range[0].second, sweep_best);
}

TEST(Optimize, ObjectivesAreReadAndComputed) {
  EXPECT_EQ(objective_name(*parse_objective("mean-es:0.5", "npv")), "mean-es:0.5");
  for (const char* bad : {"median", "mean-es:", "mean-es:-1", "mean-es:x", "mean-es:1e9"})
    EXPECT_FALSE(parse_objective(bad, "npv")) << bad;
  std::vector<double> values;
  for (int k = 1; k <= 100; ++k) values.push_back(k);
  EXPECT_DOUBLE_EQ(objective_of(values, *parse_objective("mean", "npv")), 50.5);
  EXPECT_DOUBLE_EQ(objective_of(values, *parse_objective("es05", "npv")), 3.0);  // 1..5
  // mean - 0.5 (mean - es05) = 50.5 - 0.5 * 47.5
  EXPECT_DOUBLE_EQ(objective_of(values, *parse_objective("mean-es:0.5", "npv")), 26.75);
  EXPECT_DOUBLE_EQ(objective_of(values, *parse_objective("p05", "npv")), 5.95);  // type 7
}

}  // namespace
}  // namespace tenure
