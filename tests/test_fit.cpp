// The shifted-beta-geometric fit: published estimates from published data, recovery of known
// parameters from simulated cohorts with honest standard errors, the likelihood and its
// derivatives, degenerate data, and the fit.json / fit.yaml / text outputs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/calibration/cohort_csv.hpp"
#include "sim/calibration/fit_report.hpp"
#include "sim/calibration/sbg_fit.hpp"

namespace tenure {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Fader and Hardie, "How to Project Customer Retention", Journal of Interactive Marketing
// 21(1), 2007, Table 1: customers of 1,000 still active at the end of years 0-7 (the
// calibration period of the paper; the source is Berry and Linoff 2004).
const std::vector<std::int64_t> kRegular = {1000, 631, 468, 382, 326, 289, 262, 241};
const std::vector<std::int64_t> kHighEnd = {1000, 869, 743, 653, 593, 551, 517, 491};

CohortTier one_cohort_tier(const std::string& name, std::vector<std::int64_t> active) {
  return CohortTier{name, {Cohort{"1", std::move(active), 2}}};
}

SbgEstimate fit_one(std::vector<std::int64_t> active) {
  return fit_sbg(count_survival(one_cohort_tier("t", std::move(active))));
}

// The same paper reports the maximum-likelihood estimates from years 1-7: alpha = 0.704,
// beta = 1.182 (regular) and alpha = 0.668, beta = 3.806 (high end; the body text prints
// 0.688 once, Appendix B's worked example 0.668), with LL = -1611.2 for the high-end
// example of Appendix B. Asserted to the published rounding.
TEST(SbgFit, RecoversTheEstimatesPublishedByFaderAndHardie) {
  const SbgEstimate regular = fit_one(kRegular);
  EXPECT_NEAR(regular.alpha, 0.704, 0.0005);
  EXPECT_NEAR(regular.beta, 1.182, 0.0005);
  const SbgEstimate high_end = fit_one(kHighEnd);
  EXPECT_NEAR(high_end.alpha, 0.668, 0.0005);
  EXPECT_NEAR(high_end.beta, 3.806, 0.0005);
  EXPECT_NEAR(high_end.log_likelihood, -1611.2, 0.05);
  // Fader and Hardie quote the implied mean churn: 0.37 (regular) and 0.15 (high end).
  EXPECT_NEAR(regular.churn, 0.37, 0.005);
  EXPECT_NEAR(high_end.churn, 0.15, 0.005);
}

// Appendix B also gives the log-likelihood at two starting points of the optimiser:
// -2115.5 at alpha = beta = 1 and -2741.7 at alpha = beta = 0.01 (high-end data).
TEST(SbgFit, LogLikelihoodMatchesThePublishedStartingValues) {
  const SurvivalCounts counts = count_survival(one_cohort_tier("t", kHighEnd));
  EXPECT_NEAR(sbg_log_likelihood(counts, {1.0, 1.0}), -2115.5, 0.05);
  EXPECT_NEAR(sbg_log_likelihood(counts, {0.01, 0.01}), -2741.7, 0.05);
}

TEST(SbgFit, ShippedSampleFileGivesThePublishedEstimates) {
  const CohortFit fit = fit_cohorts(
      load_cohort_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/data/cohorts-sample.csv"));
  ASSERT_EQ(fit.tiers.size(), 2u);
  EXPECT_EQ(fit.tiers[0].name, "regular");
  EXPECT_NEAR(fit.tiers[0].estimate.alpha, 0.704, 0.0005);
  EXPECT_NEAR(fit.tiers[0].estimate.beta, 1.182, 0.0005);
  EXPECT_EQ(fit.tiers[1].name, "high-end");
  EXPECT_NEAR(fit.tiers[1].estimate.alpha, 0.668, 0.0005);
  EXPECT_NEAR(fit.tiers[1].estimate.beta, 3.806, 0.0005);
}

// One cohort 10 -> 6 -> 4 with alpha = 1, beta = 2: P(T=1) = 1/3, P(T=2) = 1/3 * 2/4 = 1/6,
// S(2) = 1 - 1/3 - 1/6 = 1/2, so LL = 4 log(1/3) + 2 log(1/6) + 4 log(1/2).
TEST(SbgLikelihood, EqualsTheHandComputedValue) {
  const SurvivalCounts counts = count_survival(one_cohort_tier("t", {10, 6, 4}));
  const double expected = 4 * std::log(1.0 / 3) + 2 * std::log(1.0 / 6) + 4 * std::log(0.5);
  EXPECT_NEAR(sbg_log_likelihood(counts, {1.0, 2.0}), expected, 1e-12);
  EXPECT_NEAR(sbg_survival({1.0, 2.0}, 2), 0.5, 1e-15);
}

// Cohorts of different ages against the definition: churners of period t weigh
// log P(T = t) = log B(a + 1, b + t - 1) - log B(a, b), survivors log S(t_last) =
// log B(a, b + t_last) - log B(a, b).
TEST(SbgLikelihood, EqualsTheBetaFunctionDefinitionForCohortsOfDifferentAges) {
  const CohortTier tier{
      "t",
      {Cohort{"a", {50, 30, 22, 19}, 2}, Cohort{"b", {40, 25}, 6}, Cohort{"c", {70, 41, 30}, 8}}};
  const SbgParameters p{0.8, 2.5};
  // log B(x, y) = log Gamma(x) + log Gamma(y) - log Gamma(x + y); lgamma_r, unlike
  // std::lgamma, writes no global.
  const auto log_b = [](double x, double y) {
    int sign = 0;
    return lgamma_r(x, &sign) + lgamma_r(y, &sign) - lgamma_r(x + y, &sign);
  };
  double expected = 0;
  for (const Cohort& c : tier.cohorts) {
    for (std::size_t t = 1; t < c.active.size(); ++t)
      expected += (c.active[t - 1] - c.active[t]) *
                  (log_b(p.alpha + 1, p.beta + t - 1) - log_b(p.alpha, p.beta));
    const double last = static_cast<double>(c.active.size() - 1);
    expected += c.active.back() * (log_b(p.alpha, p.beta + last) - log_b(p.alpha, p.beta));
  }
  EXPECT_NEAR(sbg_log_likelihood(count_survival(tier), p), expected, 1e-9 * std::abs(expected));
}

// Central differences err by at most h^2 |f'''| / 6 (truncation) plus about 4 eps |f| / h
// (rounding). Every term of LL is a count times log(x + c) with x >= min(alpha, beta), whose
// third derivative is at most 2 count / min(alpha, beta)^3: that bounds |f'''|.
double central_difference_tolerance(const SurvivalCounts& counts, const SbgParameters& p, double h,
                                    double f) {
  double customers = 0;
  for (double r : counts.at_risk) customers += 3 * r;
  const double third = 2 * customers / std::pow(std::min(p.alpha, p.beta), 3);
  return h * h * third / 6 + 4 * std::numeric_limits<double>::epsilon() * std::abs(f) / h;
}

TEST(SbgLikelihood, GradientAndHessianMatchFiniteDifferences) {
  const SurvivalCounts counts = count_survival(one_cohort_tier("t", kRegular));
  for (const SbgParameters p :
       {SbgParameters{0.704, 1.182}, SbgParameters{0.3, 5.0}, SbgParameters{4.0, 0.9}}) {
    const double h = 1e-5;
    const Eigen::Vector2d g = sbg_gradient(counts, p);
    const Eigen::Matrix2d hessian = sbg_hessian(counts, p);
    const SbgParameters da_plus{p.alpha + h, p.beta}, da_minus{p.alpha - h, p.beta};
    const SbgParameters db_plus{p.alpha, p.beta + h}, db_minus{p.alpha, p.beta - h};
    const double ll = sbg_log_likelihood(counts, p);
    const double tolerance = central_difference_tolerance(counts, p, h, ll);
    EXPECT_NEAR(
        g(0),
        (sbg_log_likelihood(counts, da_plus) - sbg_log_likelihood(counts, da_minus)) / (2 * h),
        tolerance);
    EXPECT_NEAR(
        g(1),
        (sbg_log_likelihood(counts, db_plus) - sbg_log_likelihood(counts, db_minus)) / (2 * h),
        tolerance);
    // The Hessian against differences of the analytic gradient (same bound, one order up).
    const Eigen::Vector2d dg_a =
        (sbg_gradient(counts, da_plus) - sbg_gradient(counts, da_minus)) / (2 * h);
    const Eigen::Vector2d dg_b =
        (sbg_gradient(counts, db_plus) - sbg_gradient(counts, db_minus)) / (2 * h);
    const double tolerance2 = 3 * tolerance / std::min(p.alpha, p.beta);
    EXPECT_NEAR(hessian(0, 0), dg_a(0), tolerance2);
    EXPECT_NEAR(hessian(1, 0), dg_a(1), tolerance2);
    EXPECT_NEAR(hessian(0, 1), dg_b(0), tolerance2);
    EXPECT_NEAR(hessian(1, 1), dg_b(1), tolerance2);
  }
}

// ---------------------------------------------------------------------------------------
// Simulated cohorts.

// Cohorts simulated customer by customer: a customer's churn p ~ Beta(alpha, beta), then
// their lifetime T >= 1 with P(T > t) = (1 - p)^t, drawn by inversion as
// T = 1 + floor(log U / log(1 - p)). Cohort c (0-based) is observed for `first_age + c`
// periods, so the tier mixes cohorts of different ages.
CohortTier simulate_tier(const SbgParameters& truth, int cohorts, int size, int first_age,
                         boost::random::mt19937& engine) {
  boost::random::beta_distribution<double> churn(truth.alpha, truth.beta);
  boost::random::uniform_01<double> uniform;
  CohortTier tier{"sim", {}};
  for (int c = 0; c < cohorts; ++c) {
    const int age = first_age + c;
    std::vector<std::int64_t> left_at(age + 2, 0);  // customers leaving in period t; age + 1: never
    for (int i = 0; i < size; ++i) {
      const double p = churn(engine);
      const double lifetime = 1 + std::floor(std::log(1 - uniform(engine)) / std::log1p(-p));
      // NaN-safe: anything not known to end within the observed ages survives them.
      left_at[lifetime <= age ? static_cast<int>(lifetime) : age + 1] += 1;
    }
    std::vector<std::int64_t> active(age + 1, size);
    for (int t = 1; t <= age; ++t) active[t] = active[t - 1] - left_at[t];
    tier.cohorts.push_back(Cohort{std::to_string(c), active, 0});
  }
  return tier;
}

struct ZScores {
  double churn, concentration, alpha, beta;
};

ZScores z_scores(const SbgEstimate& e, const SbgParameters& truth) {
  return {(e.churn - truth.alpha / (truth.alpha + truth.beta)) / e.churn_se,
          (e.concentration - (truth.alpha + truth.beta)) / e.concentration_se,
          (e.alpha - truth.alpha) / e.alpha_se, (e.beta - truth.beta) / e.beta_se};
}

TEST(SbgFit, RecoversKnownParametersWithinFourStandardErrors) {
  boost::random::mt19937 engine(20070101);
  for (const SbgParameters truth :
       {SbgParameters{0.704, 1.182}, SbgParameters{0.668, 3.806}, SbgParameters{3.0, 27.0}}) {
    SCOPED_TRACE(::testing::Message() << "alpha " << truth.alpha << " beta " << truth.beta);
    const SbgEstimate e = fit_sbg(count_survival(simulate_tier(truth, 24, 1000, 1, engine)));
    const ZScores z = z_scores(e, truth);
    EXPECT_LT(std::abs(z.churn), 4);
    EXPECT_LT(std::abs(z.concentration), 4);
    EXPECT_LT(std::abs(z.alpha), 4);
    EXPECT_LT(std::abs(z.beta), 4);
  }
}

// If the standard errors are honest, the z-scores of independent fits are close to N(0, 1):
// their mean has sd 1 / sqrt(n), and (n - 1) s^2 follows a chi-square with n - 1 degrees of
// freedom. Both are checked at the two-sided 4-sigma level (tail probability 6.3e-5).
void expect_standard_normal(const std::vector<double>& z, const std::string& what) {
  SCOPED_TRACE(what);
  const double n = static_cast<double>(z.size());
  double mean = 0, square = 0;
  for (double v : z) mean += v / n;
  for (double v : z) square += (v - mean) * (v - mean);
  const double variance = square / (n - 1);
  const double tail = 0.5 * std::erfc(4 / std::sqrt(2.0));  // P(N(0,1) > 4)
  const boost::math::chi_squared_distribution<double> chi2(n - 1);
  EXPECT_LT(std::abs(mean), 4 / std::sqrt(n));
  EXPECT_GT(variance, boost::math::quantile(chi2, tail) / (n - 1));
  EXPECT_LT(variance, boost::math::quantile(boost::math::complement(chi2, tail)) / (n - 1));
}

TEST(SbgFit, StandardErrorsAreHonestAcrossRepeatedSimulations) {
  const SbgParameters truth{0.704, 1.182};
  boost::random::mt19937 engine(42);
  std::vector<double> churn, concentration;
  for (int fit = 0; fit < 50; ++fit) {
    const SbgEstimate e = fit_sbg(count_survival(simulate_tier(truth, 12, 1000, 1, engine)));
    const ZScores z = z_scores(e, truth);
    churn.push_back(z.churn);
    concentration.push_back(z.concentration);
  }
  expect_standard_normal(churn, "churn");
  expect_standard_normal(concentration, "concentration");
}

// ---------------------------------------------------------------------------------------
// Degenerate data: a clear error, never a NaN.

std::string fit_error(std::vector<std::int64_t> active) {
  try {
    fit_one(std::move(active));
  } catch (const FitError& error) {
    return error.what();
  }
  return "no error";
}

TEST(SbgFit, RefusesDataThatDoNotIdentifyBothParameters) {
  EXPECT_THAT(fit_error({100}), HasSubstr("only its period-0 row"));
  EXPECT_THAT(fit_error({100, 100, 100}), HasSubstr("no customer ever left"));
  EXPECT_THAT(fit_error({100, 0, 0}), HasSubstr("left in period 1"));
  EXPECT_THAT(fit_error({100, 60}), HasSubstr("no cohort is observed beyond period 1"));
  EXPECT_THAT(fit_error({100, 60, 60, 60}), HasSubstr("no customer left after period 1"));
}

// Retention that falls with age (the hazard 0.5, 0.6, 0.75) is the opposite of what a spread
// between customers produces: the best fit is the homogeneous limit, which the message gives.
TEST(SbgFit, ReportsConstantChurnWhenRetentionDoesNotRiseWithAge) {
  EXPECT_THAT(fit_error({1000, 500, 200, 50}),
              AllOf(HasSubstr("no spread in churn"), HasSubstr("use that churn")));
  // Exactly constant churn of 0.5: the homogeneous limit, churn 0.5.
  EXPECT_THAT(fit_error({1024, 512, 256, 128, 64}), HasSubstr("churn of 0.5 per period"));
}

TEST(SbgFit, NamesEveryTierThatCannotBeFitted) {
  const CohortData data{"c.csv",
                        true,
                        {one_cohort_tier("gold", {100, 100, 100}), one_cohort_tier("ok", kRegular),
                         one_cohort_tier("lead", {100, 60})}};
  try {
    fit_cohorts(data);
    FAIL() << "no error";
  } catch (const CohortDataError& error) {
    ASSERT_EQ(error.diagnostics().size(), 2u);
    EXPECT_THAT(format_diagnostic(error.diagnostics()[0]),
                testing::StartsWith("c.csv: tier 'gold': no customer ever left"));
    EXPECT_THAT(format_diagnostic(error.diagnostics()[1]),
                testing::StartsWith("c.csv: tier 'lead': no cohort is observed"));
  }
}

// The table pools the cohorts observed through each period: at t = 2 only cohort a counts.
TEST(SbgFit, TablePoolsTheCohortsObservedThroughEachPeriod) {
  const CohortFit fit = fit_cohorts(
      parse_cohort_csv("cohort,period,active\na,0,100\na,1,60\na,2,45\nb,0,50\nb,1,30\n", "c.csv"));
  ASSERT_EQ(fit.tiers.size(), 1u);
  const TierFit& tier = fit.tiers[0];
  EXPECT_EQ(tier.name, "all");
  EXPECT_EQ(tier.cohorts, 2);
  EXPECT_EQ(tier.customers, 150);
  ASSERT_EQ(tier.table.size(), 3u);
  EXPECT_EQ(tier.table[1].cohorts, 2);
  EXPECT_EQ(tier.table[1].acquired, 150);
  EXPECT_EQ(tier.table[1].active, 90);
  EXPECT_DOUBLE_EQ(tier.table[1].observed, 0.6);
  EXPECT_EQ(tier.table[2].cohorts, 1);
  EXPECT_EQ(tier.table[2].acquired, 100);
  EXPECT_DOUBLE_EQ(tier.table[2].observed, 0.45);
  const SbgParameters p{tier.estimate.alpha, tier.estimate.beta};
  EXPECT_DOUBLE_EQ(tier.table[2].fitted, sbg_survival(p, 2));
  // The counts behind the likelihood: at risk 150 then 60, leaving 60 then 15.
  const SurvivalCounts counts =
      count_survival(CohortTier{"all", {Cohort{"a", {100, 60, 45}, 2}, Cohort{"b", {50, 30}, 5}}});
  EXPECT_THAT(counts.at_risk, testing::ElementsAre(150, 60));
  EXPECT_THAT(counts.churned, testing::ElementsAre(60, 15));
}

// ---------------------------------------------------------------------------------------
// Outputs.

CohortFit sample_fit() {
  return fit_cohorts(
      CohortData{"cohorts.csv",
                 true,
                 {one_cohort_tier("regular", kRegular), one_cohort_tier("high-end", kHighEnd)}});
}

TEST(FitReport, JsonHasEveryFigurePerTier) {
  const auto json = nlohmann::json::parse(fit_json(sample_fit()));
  ASSERT_EQ(json["tiers"].size(), 2u);
  const auto& regular = json["tiers"][0];
  EXPECT_EQ(regular["tier"], "regular");
  for (const char* key : {"churn", "concentration", "churn_se", "concentration_se", "alpha", "beta",
                          "log_likelihood"}) {
    ASSERT_TRUE(regular[key].is_number()) << key;
    EXPECT_TRUE(std::isfinite(regular[key].get<double>())) << key;
  }
  EXPECT_EQ(regular["cohorts"], 1);
  EXPECT_EQ(regular["customers"], 1000);
  ASSERT_EQ(regular["table"].size(), 8u);
  EXPECT_EQ(regular["table"][7]["period"], 7);
  EXPECT_EQ(regular["table"][7]["active"], 241);
  EXPECT_DOUBLE_EQ(regular["table"][7]["observed"].get<double>(), 0.241);
  EXPECT_NEAR(regular["table"][7]["fitted"].get<double>(), 0.241, 0.01);
  EXPECT_EQ(fit_json(sample_fit()), fit_json(sample_fit()));  // deterministic
}

TEST(FitReport, YamlSnippetParsesWithTheScenarioKeys) {
  const CohortFit fit = sample_fit();
  const YAML::Node yaml = YAML::Load(fit_yaml(fit, false));
  ASSERT_TRUE(yaml["tiers"].IsSequence());
  ASSERT_EQ(yaml["tiers"].size(), 2u);
  EXPECT_EQ(yaml["tiers"][1]["name"].as<std::string>(), "high-end");
  EXPECT_NEAR(yaml["tiers"][1]["churn"].as<double>(), fit.tiers[1].estimate.churn, 1e-5);
  EXPECT_NEAR(yaml["tiers"][1]["concentration"].as<double>(), fit.tiers[1].estimate.concentration,
              1e-4);
  EXPECT_EQ(yaml["heterogeneity"]["classes"].as<std::string>(), "auto");
}

TEST(FitReport, UncertainYamlGivesDistributionsMatchingTheStandardErrors) {
  const CohortFit fit = sample_fit();
  const std::string text = fit_yaml(fit, true);
  const YAML::Node tier = YAML::Load(text)["tiers"][0];
  EXPECT_EQ(tier["churn"]["dist"].as<std::string>(), "beta");
  EXPECT_NEAR(tier["churn"]["mean"].as<double>(), fit.tiers[0].estimate.churn, 1e-5);
  EXPECT_NEAR(tier["churn"]["sd"].as<double>(), fit.tiers[0].estimate.churn_se, 1e-6);
  EXPECT_EQ(tier["concentration"]["dist"].as<std::string>(), "lognormal");
  EXPECT_NEAR(tier["concentration"]["sd"].as<double>(), fit.tiers[0].estimate.concentration_se,
              1e-5);
  EXPECT_THAT(text, HasSubstr("independently"));
}

TEST(FitReport, YamlQuotesTierNamesThatWouldReadAsSomethingElse) {
  CohortFit fit = sample_fit();
  fit.tiers[0].name = "yes";
  fit.tiers[1].name = "say \"hi\" \\ #1: ok";
  const YAML::Node yaml = YAML::Load(fit_yaml(fit, false));
  EXPECT_EQ(yaml["tiers"][0]["name"].as<std::string>(), "yes");
  EXPECT_EQ(yaml["tiers"][1]["name"].as<std::string>(), "say \"hi\" \\ #1: ok");
}

TEST(FitReport, YamlSaysToRenameTheDefaultTier) {
  CohortFit fit = sample_fit();
  fit.has_tier_column = false;
  EXPECT_THAT(fit_yaml(fit, false), HasSubstr("rename 'all'"));
}

TEST(FitReport, TextShowsEstimatesAndTheTable) {
  const std::string text = fit_text(sample_fit());
  EXPECT_THAT(text, HasSubstr("regular: 1 cohort, 1000 customers, periods 0 to 7"));
  EXPECT_THAT(text, HasSubstr("churn"));
  EXPECT_THAT(text, HasSubstr("log-likelihood -1611.16"));
  EXPECT_THAT(text, HasSubstr("0.2410"));  // regular's observed share at year 7
}

}  // namespace
}  // namespace tenure
