// Uncertain inputs, correlations, regimes and the risk figures against closed forms, each in
// standard errors: the draws follow their distributions, the copula gives the rank
// correlation asked for, the regime chain settles to its stationary distribution, and risk
// figures of an NPV that is a known function of one input match their closed forms.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "scenario_text.hpp"
#include "sim/analysis/rank_correlation.hpp"
#include "sim/analysis/summary.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/places.hpp"
#include "sim/engine/runner.hpp"
#include "sim/engine/uncertainty.hpp"
#include "sim/studies/stress.hpp"

namespace tenure {
namespace {

using ::testing::HasSubstr;

// Draws `worlds` values of each input of the scenario, by the input's name.
std::map<std::string, std::vector<double>> draws(const Scenario& s, int worlds) {
  const PreparedInputs prepared = prepare_inputs(s);
  std::map<std::string, std::vector<double>> out;
  std::vector<double> values;
  for (int w = 0; w < worlds; ++w) {
    draw_inputs(prepared, 7, static_cast<std::uint64_t>(w), values);
    for (std::size_t k = 0; k < values.size(); ++k)
      out[prepared.inputs[k].name].push_back(values[k]);
  }
  return out;
}

Scenario with_inputs(const std::string& inputs_yaml) {
  return parse_scenario("name: u\nhorizon: 12\ntiers:\n  - name: gold\n" + inputs_yaml +
                            "budget: {per_period: 100}\npolicies:\n  - {name: p}\n",
                        "u.yaml");
}

// Mean and variance of the draws within 4 standard errors of the distribution's: the mean's
// SE is sd / sqrt(n), the variance's sqrt((m4 - s^4) / n) with m4 the sample fourth moment.
void expect_moments(const std::vector<double>& x, double mean, double variance,
                    const std::string& what) {
  const double n = static_cast<double>(x.size());
  const Summary s = summarize(x);
  double m4 = 0.0;
  for (double v : x) m4 += std::pow(v - s.mean, 4) / n;
  const double var = s.sd * s.sd;
  EXPECT_LT(std::abs(s.mean - mean), 4 * s.se) << what << " mean " << s.mean << " vs " << mean;
  EXPECT_LT(std::abs(var - variance), 4 * std::sqrt((m4 - var * var) / n))
      << what << " variance " << var << " vs " << variance;
}

TEST(Uncertainty, DrawsFollowTheirDistributions) {
  const Scenario s = with_inputs(
      "    margin: {dist: lognormal, mean: 50, sd: 10}\n"
      "    churn: {dist: beta, mean: 0.03, sd: 0.01}\n"
      "    cost_to_serve: {dist: gamma, mean: 8, sd: 3}\n"
      "    margin_growth: {dist: uniform, low: 0, high: 0.1}\n"
      "    initial_customers: 10\n"
      "fixed_costs: {dist: triangular, low: 100, mode: 200, high: 600}\n"
      "discount_rate: {dist: pert, low: 0.02, mode: 0.05, high: 0.14}\n"
      "acquisition:\n  response: {shape: exponential, max_customers: {dist: discrete, values: "
      "[100, 300, 200], weights: [1, 1, 2]}, scale: {dist: normal, mean: 1000, sd: 100}}\n"
      "  new_customer_mix: {gold: 1}\n");
  ASSERT_EQ(s.inputs.size(), 8u);
  auto x = draws(s, 20000);
  expect_moments(x["tiers.gold.margin"], 50, 100, "lognormal");
  expect_moments(x["tiers.gold.churn"], 0.03, 1e-4, "beta");
  expect_moments(x["tiers.gold.cost_to_serve"], 8, 9, "gamma");
  expect_moments(x["tiers.gold.margin_growth"], 0.05, 0.01 / 12, "uniform");
  // Triangular: mean (a + c + b) / 3, variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
  expect_moments(x["fixed_costs"], 300, (1e4 + 36e4 + 4e4 - 6e4 - 2e4 - 12e4) / 18, "triangular");
  // PERT: mean (a + 4c + b) / 6, variance (mean - a)(b - mean) / 7.
  expect_moments(x["discount_rate"], 0.06, (0.06 - 0.02) * (0.14 - 0.06) / 7, "pert");
  // Discrete {100: 1/4, 200: 1/2, 300: 1/4}.
  expect_moments(x["acquisition.response.max_customers"], 200, 5000, "discrete");
  expect_moments(x["acquisition.response.scale"], 1000, 1e4, "normal");
}

TEST(Uncertainty, TheCopulaGivesTheRankCorrelationAskedFor) {
  for (const double rank : {0.6, -0.4}) {
    const Scenario s = with_inputs(
        "    margin: {dist: lognormal, mean: 50, sd: 20}\n"
        "    churn: {dist: uniform, low: 0.01, high: 0.05, name: churn}\n"
        "correlations:\n  - {between: [tiers.gold.margin, churn], rank: " +
        std::to_string(rank) + "}\n");
    auto x = draws(s, 20000);
    // The standard error of Spearman's correlation: about 1.06 (1 - r^2) / sqrt(n - 3).
    const double se = 1.06 * (1 - rank * rank) / std::sqrt(20000.0 - 3);
    EXPECT_LT(std::abs(rank_correlation(x["tiers.gold.margin"], x["churn"]) - rank), 4 * se)
        << rank;
  }
}

TEST(Uncertainty, RegimesSettleToTheStationaryDistribution) {
  // Two states, p(normal -> recession) = 0.05, p(recession -> normal) = 0.2: in the long run
  // a world is in recession with probability 0.05 / (0.05 + 0.2) = 0.2.
  Regimes regimes{{{"normal", {}}, {"recession", {}}}, 0, {{0, 0.05}, {0.2, 0}}};
  const int worlds = 20000;
  double in_recession = 0.0;
  std::vector<int> path;
  for (int w = 0; w < worlds; ++w) {
    draw_regimes(regimes, 200, 3, static_cast<std::uint64_t>(w), path);
    in_recession += path.back() == 1;
  }
  const double share = in_recession / worlds;
  EXPECT_LT(std::abs(share - 0.2), 4 * std::sqrt(0.2 * 0.8 / worlds)) << share;
}

// One tier that never churns, uniform margins, fixed costs: the NPV of a world is
// A (N m - F), a straight function of its margin m ~ U(low, high), A the annuity factor.
struct KnownNpv {
  double n = 100, low = 4, high = 12, fixed = 800;
  int horizon = 12;
  Scenario scenario() const {
    return parse_scenario(
        fmt::format("name: known\nhorizon: {}\ndiscount_rate: 0.1268250301319697\n"
                    "tiers:\n  - {{name: only, initial_customers: {}, churn: 0, "
                    "margin: {{dist: uniform, low: {}, high: {}}}}}\n"
                    "budget: {{per_period: 0}}\nfixed_costs: {}\n"
                    "policies:\n  - {{name: p}}\n",
                    horizon, n, low, high, fixed),
        "known.yaml");
  }
  double annuity() const {
    const double i = per_period_rate(0.1268250301319697, PeriodUnit::month);  // about 1%
    return (1 - std::pow(1 + i, -horizon)) / i;
  }
  double npv_at(double margin) const { return annuity() * (n * margin - fixed); }
};

TEST(Uncertainty, RiskFiguresOfAKnownFunctionOfOneInputMatchTheirClosedForms) {
  const KnownNpv k;
  const int worlds = 20000;
  const RunResults r = run_simulation(build_model(k.scenario()), {worlds, 4, 0, {}});
  const Summary npv = summarize(r.metric(0, "npv"));
  const double width = k.high - k.low;
  // P(loss) = P(N m < F) = (F / N - low) / (high - low), a binomial share.
  const double loss = (k.fixed / k.n - k.low) / width;
  EXPECT_LT(std::abs(npv.prob_negative - loss), 4 * std::sqrt(loss * (1 - loss) / worlds));
  // p05 at margin low + 0.05 width; its SE, an order statistic's, is
  // A N width sqrt(q (1 - q) / n) for a uniform.
  const double quantile_se = k.annuity() * k.n * width * std::sqrt(0.05 * 0.95 / worlds);
  EXPECT_LT(std::abs(npv.quantiles[1] - k.npv_at(k.low + 0.05 * width)), 4 * quantile_se);
  EXPECT_DOUBLE_EQ(npv.var95(), -npv.quantiles[1]);
  // ES05: the mean over the worst 5%, margins uniform on [low, low + 0.05 width], whose mean
  // is at low + 0.025 width, with sd 0.05 width / sqrt(12) over 5% of the worlds.
  const double es_se = k.annuity() * k.n * 0.05 * width / std::sqrt(12.0 * 0.05 * worlds);
  EXPECT_LT(std::abs(npv.es05 - k.npv_at(k.low + 0.025 * width)), 4 * es_se + quantile_se);
  // ES01 likewise at low + 0.005 width.
  EXPECT_LT(std::abs(npv.es01 - k.npv_at(k.low + 0.005 * width)),
            4 * k.annuity() * k.n * 0.01 * width / std::sqrt(12.0 * 0.01 * worlds) +
                k.annuity() * k.n * width * std::sqrt(0.01 * 0.99 / worlds));
}

// The reverse stress test finds the cost multiplier x at which P(loss) = 1/2: N m < F x with
// m ~ U(low, high) has probability (F x / N - low) / (high - low), so x = N (low + (high -
// low) / 2) / F.
TEST(Uncertainty, ReverseStressRecoversTheClosedFormThreshold) {
  const KnownNpv k;
  StressRequest request{"costs", {"npv", "prob_negative", 0}, 0.5};
  request.low = 0.5;
  request.high = 2.0;
  request.worlds = 4000;
  request.seed = 9;
  const StressResult result = reverse_stress(k.scenario(), request);
  ASSERT_TRUE(result.found);
  const double expected = k.n * (k.low + (k.high - k.low) / 2) / k.fixed;
  // The 95% interval is 1.96 standard errors wide each side: 4 SE is twice that.
  const double se = (result.ci95_high - result.ci95_low) / (2 * 1.959964);
  EXPECT_LT(std::abs(result.threshold - expected), 4 * se)
      << result.threshold << " [" << result.ci95_low << ", " << result.ci95_high << "] vs "
      << expected;
  EXPECT_GT(se, 0.0);
}

// Payback on a world with no randomness: costs five times higher in periods 1-3 make each
// lose 1,500 (4,500 in all), then 500 a period brings cash back to 0 at period 12.
TEST(Uncertainty, PaybackIsThePeriodCashComesBack) {
  const Scenario s = parse_scenario(
      "name: payback\nhorizon: 24\ntiers:\n  - {name: only, initial_customers: 100, churn: 0, "
      "margin: 10}\nbudget: {per_period: 0}\nfixed_costs: 500\n"
      "shocks:\n  - {name: bad start, from: 1, periods: 3, costs: 5}\n"
      "policies:\n  - {name: p}\n",
      "payback.yaml");
  const RunResults r = run_simulation(build_model(s), {5, 1, 0, {}});
  const Payback p = payback(r, 0);
  EXPECT_EQ(p.p50, 12.0);
  EXPECT_EQ(p.p90, 12.0);
  EXPECT_EQ(p.share_below, 1.0);
  EXPECT_EQ(p.share_never, 0.0);
}

// Every place the reader gives a distribution is bound to exactly the number it names: each
// input set to a distinct value shows up at its place, and nowhere else.
TEST(Uncertainty, EveryUncertainPlaceSetsItsOwnNumber) {
  const std::string yaml =
      "name: all\nhorizon: 12\n"
      "tiers:\n"
      "  - {name: gold, initial_customers: 10, margin: {dist: uniform, low: 1, high: 2}, "
      "cost_to_serve: {dist: uniform, low: 1, high: 2}, churn: {dist: uniform, low: 0.01, high: "
      "0.02}, moves: {iron: {dist: uniform, low: 0, high: 0.01}}}\n"
      "  - {name: iron, margin: 5, churn: 0.1}\n"
      "loyalty: {floor: {dist: uniform, low: 0.5, high: 0.6}, half_life: 6}\n"
      "budget: {per_period: {dist: uniform, low: 10, high: 20}}\n"
      "acquisition:\n  response: {shape: exponential, max_customers: {dist: uniform, low: 1, "
      "high: 2}, scale: 100}\n  new_customer_mix: {gold: 0.5, iron: 0.5}\n"
      "retention: {response: {max_reduction: {dist: uniform, low: 0.1, high: 0.2}, scale: 10}}\n"
      "market: {prospects: {dist: uniform, low: 1000, high: 2000}}\n"
      "service: {failure: {dist: uniform, low: 0.01, high: 0.02}, defection: {gold: 0.1}}\n"
      "referrals: {rate: {iron: {dist: uniform, low: 0.01, high: 0.02}}, conversion: 0.1}\n"
      "intermediaries:\n  - {name: agents, prospects: {dist: uniform, low: 1, high: 2}, "
      "conversion: 0.1}\n"
      "shocks:\n  - {name: dip, from: 2, churn: {dist: uniform, low: 1, high: 2}}\n"
      "regimes: {start: calm, states: {calm: {}, storm: {churn: {dist: uniform, low: 1, high: "
      "2}}}, transitions: {calm: {storm: 0.1}}}\n"
      "policies:\n  - {name: p}\n";
  ASSERT_THAT(test::diagnostics_of(yaml, "all.yaml"), ::testing::IsEmpty());
  const Scenario s = parse_scenario(yaml, "all.yaml");
  const std::vector<std::string> places = {"tiers.gold.margin",
                                           "tiers.gold.cost_to_serve",
                                           "tiers.gold.churn",
                                           "tiers.gold.moves.iron",
                                           "loyalty.floor",
                                           "budget.per_period",
                                           "acquisition.response.max_customers",
                                           "retention.response.max_reduction",
                                           "market.prospects",
                                           "service.failure",
                                           "referrals.rate.iron",
                                           "intermediaries.agents.prospects",
                                           "shocks.dip.churn",
                                           "regimes.states.storm.churn"};
  ASSERT_EQ(s.inputs.size(), places.size());
  PreparedInputs prepared = prepare_inputs(s);
  std::vector<double> values;
  for (std::size_t k = 0; k < places.size(); ++k) {
    EXPECT_EQ(s.inputs[k].place, places[k]);
    values.push_back(1000.0 + k);
  }
  Parameters applied = s;
  apply_inputs(prepared, values, applied);
  std::map<std::string, double> set;
  for_each_quantity(applied, [&](const std::string& place, double& value) { set[place] = value; });
  for (std::size_t k = 0; k < places.size(); ++k)
    for (const auto& [place, value] : set)
      EXPECT_EQ(value == 1000.0 + k, sets_place(places[k], place)) << place;
}

std::string first_problem(const std::string& inputs_yaml) {
  const auto all =
      test::diagnostics_of("name: u\nhorizon: 12\ntiers:\n  - name: gold\n" + inputs_yaml +
                               "budget: {per_period: 100}\npolicies:\n  - {name: p}\n",
                           "u.yaml");
  return all.empty() ? "" : all.front();
}

TEST(Uncertainty, BadDistributionsAreReportedAtTheirPosition) {
  EXPECT_THAT(first_problem("    margin: 1\n    churn: {dist: normal, mean: 0.05, sd: 0.03}\n"),
              HasSubstr("u.yaml:6:12: tiers[0].churn must be a probability between 0 and 1, but "
                        "this normal falls outside with probability 0.048; use a distribution "
                        "whose values stay within it: beta (for probabilities)"));
  EXPECT_THAT(first_problem("    margin: 1\n    churn: {dist: beta, mean: 0.5, sd: 0.6}\n"),
              HasSubstr("this beta sd must be below sqrt(mean (1 - mean)) = 0.5"));
  EXPECT_THAT(first_problem("    margin: {dist: lognrmal, mean: 1, sd: 1}\n    churn: 0.1\n"),
              HasSubstr("did you mean 'lognormal'?"));
  EXPECT_THAT(first_problem("    margin: {dist: uniform, low: 1, high: 2, mode: 1.5}\n"
                            "    churn: 0.1\n"),
              HasSubstr("a uniform takes low, high, not mode"));
  EXPECT_THAT(first_problem("    margin: 1\n    churn: 0.1\n"
                            "correlations:\n  - {between: [tiers.gold.margin, x], rank: 0.5}\n"),
              HasSubstr("'tiers.gold.margin' is not an uncertain input"));
}

TEST(Uncertainty, AnInvalidCorrelationMatrixNamesItsSmallestEigenvalue) {
  const std::string problem = first_problem(
      "    margin: {dist: uniform, low: 1, high: 2, name: a}\n"
      "    cost_to_serve: {dist: uniform, low: 0, high: 1, name: b}\n"
      "    churn: {dist: uniform, low: 0.01, high: 0.02, name: c}\n"
      "correlations:\n  - {between: [a, b], rank: 0.9}\n  - {between: [b, c], rank: 0.9}\n"
      "  - {between: [a, c], rank: -0.9}\n");
  EXPECT_THAT(problem, HasSubstr("correlations: the correlations are not a valid correlation "
                                 "matrix (its smallest eigenvalue is -0."));
  EXPECT_THAT(problem, HasSubstr("the correlations among a, b, c contradict each other"));
}

TEST(Uncertainty, PoliciesAreDecisionsNotUncertainInputs) {
  EXPECT_THAT(test::diagnostics_of("name: u\nhorizon: 12\ntiers:\n  - {name: g, margin: 1, "
                                   "churn: 0.1}\nbudget: {per_period: 1}\npolicies:\n  - {name: "
                                   "p, retention: {dist: uniform, low: 0, high: 1}}\n",
                                   "u.yaml"),
              ::testing::ElementsAre(HasSubstr("policies[0].retention is a policy's decision")));
}

}  // namespace
}  // namespace tenure
