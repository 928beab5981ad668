#include "sim/calibration/sbg_fit.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <nlopt.hpp>
#include <numeric>

#include "sim/calibration/text.hpp"

namespace tenure {

SurvivalCounts count_survival(const CohortTier& tier) {
  std::size_t periods = 0;
  for (const Cohort& cohort : tier.cohorts) periods = std::max(periods, cohort.active.size() - 1);
  SurvivalCounts counts{std::vector<double>(periods, 0.0), std::vector<double>(periods, 0.0)};
  for (const Cohort& cohort : tier.cohorts) {
    for (std::size_t t = 1; t < cohort.active.size(); ++t) {
      counts.at_risk[t - 1] += static_cast<double>(cohort.active[t - 1]);
      counts.churned[t - 1] += static_cast<double>(cohort.active[t - 1] - cohort.active[t]);
    }
  }
  return counts;
}

double sbg_survival(const SbgParameters& p, int t) {
  double survival = 1.0;
  for (int j = 1; j <= t; ++j) survival *= (p.beta + j - 1) / (p.alpha + p.beta + j - 1);
  return survival;
}

double sbg_log_likelihood(const SurvivalCounts& counts, const SbgParameters& p) {
  double ll = 0.0;
  for (std::size_t i = 0; i < counts.at_risk.size(); ++i) {
    const double t = static_cast<double>(i + 1), at_risk = counts.at_risk[i],
                 churned = counts.churned[i];
    if (churned > 0) ll += churned * std::log(p.alpha);
    if (at_risk > churned) ll += (at_risk - churned) * std::log(p.beta + t - 1);
    if (at_risk > 0) ll -= at_risk * std::log(p.alpha + p.beta + t - 1);
  }
  return ll;
}

// dLL/dalpha = sum_t d_t / alpha - R_t / (alpha + beta + t - 1)
// dLL/dbeta  = sum_t (R_t - d_t) / (beta + t - 1) - R_t / (alpha + beta + t - 1)
Eigen::Vector2d sbg_gradient(const SurvivalCounts& counts, const SbgParameters& p) {
  Eigen::Vector2d g = Eigen::Vector2d::Zero();
  for (std::size_t i = 0; i < counts.at_risk.size(); ++i) {
    const double t = static_cast<double>(i + 1), at_risk = counts.at_risk[i],
                 churned = counts.churned[i];
    const double shared = at_risk / (p.alpha + p.beta + t - 1);
    g(0) += churned / p.alpha - shared;
    g(1) += (at_risk - churned) / (p.beta + t - 1) - shared;
  }
  return g;
}

// d2LL/dalpha2 = sum_t -d_t / alpha^2 + R_t / (alpha + beta + t - 1)^2
// d2LL/dbeta2  = sum_t -(R_t - d_t) / (beta + t - 1)^2 + R_t / (alpha + beta + t - 1)^2
// d2LL/dalpha dbeta = sum_t R_t / (alpha + beta + t - 1)^2
Eigen::Matrix2d sbg_hessian(const SurvivalCounts& counts, const SbgParameters& p) {
  Eigen::Matrix2d h = Eigen::Matrix2d::Zero();
  for (std::size_t i = 0; i < counts.at_risk.size(); ++i) {
    const double t = static_cast<double>(i + 1), at_risk = counts.at_risk[i],
                 churned = counts.churned[i];
    const double shared = at_risk / std::pow(p.alpha + p.beta + t - 1, 2);
    h(0, 0) += -churned / (p.alpha * p.alpha) + shared;
    h(1, 1) += -(at_risk - churned) / std::pow(p.beta + t - 1, 2) + shared;
    h(0, 1) += shared;
  }
  h(1, 0) = h(0, 1);
  return h;
}

namespace {

// ---------------------------------------------------------------------------------------
// Data that put the maximum on the edge of the model, told apart before fitting.

double total(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

// Throws FitError when alpha and beta are not both identified, or the likelihood has its
// supremum at alpha or beta -> 0 (which no finite estimate reaches):
// - nobody left: churn -> 0;
// - nobody at risk after period 1: period-1 data fix only the mean churn alpha/(alpha+beta);
//   its spread shows in how the leaving rate changes from one period to the next;
// - nobody left after period 1: the likelihood keeps rising as alpha, beta -> 0 together, a
//   split into customers who leave at once and customers who never leave.
void check_identified(const SurvivalCounts& counts) {
  const double churned = total(counts.churned), at_risk = total(counts.at_risk);
  const double at_risk_later = at_risk - (counts.at_risk.empty() ? 0.0 : counts.at_risk[0]);
  const double churned_later = churned - (counts.churned.empty() ? 0.0 : counts.churned[0]);
  if (counts.at_risk.empty())
    throw FitError(
        "every cohort has only its period-0 row, so nothing shows how customers "
        "leave; add later periods");
  if (churned == 0)
    throw FitError(
        "no customer ever left, so churn cannot be estimated (its best estimate "
        "would be 0)");
  if (at_risk_later == 0 && counts.at_risk.size() > 1)
    throw FitError(
        "every customer of the cohorts observed beyond period 1 left in period 1, "
        "so the spread of churn between customers cannot be estimated: it shows in "
        "customers who stay past period 1");
  if (at_risk_later == 0)
    throw FitError(
        "no cohort is observed beyond period 1: one period fixes the mean churn "
        "but not its spread between customers, so alpha and beta cannot both be "
        "estimated; add cohorts observed for at least 2 periods");
  if (churned_later == 0)
    throw FitError(
        "no customer left after period 1: the best fit splits customers into "
        "some who leave at once and others who never leave (concentration -> 0), "
        "which no finite estimate reaches");
}

// The homogeneous (geometric) limit alpha + beta -> infinity with churn m: every customer
// leaves with the same probability m each period. Its best m is churned / at risk.
struct Geometric {
  double churn = 0, log_likelihood = 0;
  double spread_score = 0;  // dLL/d(1/concentration) at that limit
};

// The score for heterogeneity: with phi = 1 / (alpha + beta) and churn m fixed,
//   dLL/dphi at phi = 0 is sum_t (t - 1) (m R_t - d_t) / (1 - m).
// It is positive when later periods lose fewer customers than constant churn predicts (the
// sign of a spread between customers); when it is not, the maximum is at phi = 0.
Geometric geometric_limit(const SurvivalCounts& counts) {
  const double churned = total(counts.churned), at_risk = total(counts.at_risk);
  Geometric g;
  g.churn = churned / at_risk;
  g.log_likelihood = churned * std::log(g.churn) + (at_risk - churned) * std::log1p(-g.churn);
  for (std::size_t i = 0; i < counts.at_risk.size(); ++i)
    g.spread_score += static_cast<double>(i) * (g.churn * counts.at_risk[i] - counts.churned[i]);
  g.spread_score /= 1 - g.churn;
  return g;
}

// ---------------------------------------------------------------------------------------
// The search.

// -LL as a function of x = (log alpha, log beta), which keeps both positive, with its
// gradient d(-LL)/d(log alpha) = -alpha dLL/dalpha (and the same for beta).
double negative_log_likelihood(unsigned /*n*/, const double* x, double* grad, void* data) {
  const auto& counts = *static_cast<const SurvivalCounts*>(data);
  const SbgParameters p{std::exp(x[0]), std::exp(x[1])};
  if (grad != nullptr) {
    const Eigen::Vector2d g = sbg_gradient(counts, p);
    grad[0] = -p.alpha * g(0);
    grad[1] = -p.beta * g(1);
  }
  return -sbg_log_likelihood(counts, p);
}

// Moment-style start: the mean churn from all periods, and the concentration k from the
// leaving rates of periods 1 and 2, h(1) = alpha / k and h(2) = alpha / (k + 1), which give
// k = h(2) / (h(1) - h(2)) when the rate falls; k = 1 otherwise.
SbgParameters starting_point(const SurvivalCounts& counts, const Geometric& geometric) {
  double concentration = 1.0;
  if (counts.at_risk.size() > 1 && counts.at_risk[1] > 0) {
    const double h1 = counts.churned[0] / counts.at_risk[0];
    const double h2 = counts.churned[1] / counts.at_risk[1];
    if (h2 > 0 && h1 > h2) concentration = std::clamp(h2 / (h1 - h2), 1e-2, 1e4);
  }
  const double churn = std::clamp(geometric.churn, 1e-6, 1 - 1e-6);
  return {churn * concentration, (1 - churn) * concentration};
}

struct Optimum {
  SbgParameters p;
  std::string status;  // how the optimiser stopped
  bool at_upper_bound = false;
  bool at_bound = false;
};

// Maximises LL with NLopt's L-BFGS: a quasi-Newton method that uses the analytic gradient,
// converges superlinearly on a smooth two-parameter surface such as this one, and honours the
// box that keeps exp(x) finite and positive. Derivative-free methods would ignore the
// gradient; MMA and SLSQP are built for general constraints this problem does not have.
Optimum maximize(const SurvivalCounts& counts, const SbgParameters& start) {
  const double lower = std::log(1e-8), upper = std::log(1e12);
  nlopt::opt opt(nlopt::LD_LBFGS, 2);
  opt.set_lower_bounds({lower, lower});
  opt.set_upper_bounds({upper, upper});
  opt.set_min_objective(negative_log_likelihood, const_cast<SurvivalCounts*>(&counts));
  opt.set_xtol_rel(1e-12);
  opt.set_xtol_abs({1e-12, 1e-12});
  opt.set_maxeval(2000);
  std::vector<double> x{std::log(start.alpha), std::log(start.beta)};
  double value = 0;
  Optimum optimum;
  try {
    optimum.status = nlopt_result_to_string(static_cast<nlopt_result>(opt.optimize(x, value)));
  } catch (const std::runtime_error& stopped) {  // x holds the best point found
    optimum.status = stopped.what();
  }
  optimum.p = {std::exp(x[0]), std::exp(x[1])};
  constexpr double kEdge = 1e-6;
  optimum.at_upper_bound = std::max(x[0], x[1]) >= upper - kEdge;
  optimum.at_bound = optimum.at_upper_bound || std::min(x[0], x[1]) <= lower + kEdge;
  return optimum;
}

// ---------------------------------------------------------------------------------------
// The estimate.

// Standard errors from the covariance (the inverse observed information), carried to
// churn = alpha / k and concentration k = alpha + beta by the delta method: their gradients
// in (alpha, beta) are (beta, -alpha) / k^2 and (1, 1).
SbgEstimate make_estimate(const SbgParameters& p, const Eigen::Matrix2d& covariance,
                          double log_likelihood) {
  SbgEstimate e;
  e.alpha = p.alpha;
  e.beta = p.beta;
  e.alpha_se = std::sqrt(covariance(0, 0));
  e.beta_se = std::sqrt(covariance(1, 1));
  e.concentration = p.alpha + p.beta;
  e.churn = p.alpha / e.concentration;
  const double k2 = e.concentration * e.concentration;
  const Eigen::Vector2d d_churn(p.beta / k2, -p.alpha / k2), d_concentration(1.0, 1.0);
  e.churn_se = std::sqrt(d_churn.dot(covariance * d_churn));
  e.concentration_se = std::sqrt(d_concentration.dot(covariance * d_concentration));
  e.churn_concentration_correlation =
      d_churn.dot(covariance * d_concentration) / (e.churn_se * e.concentration_se);
  e.log_likelihood = log_likelihood;
  return e;
}

bool all_finite(const SbgEstimate& e) {
  for (double v : {e.alpha, e.beta, e.alpha_se, e.beta_se, e.churn, e.churn_se, e.concentration,
                   e.concentration_se, e.churn_concentration_correlation, e.log_likelihood})
    if (!std::isfinite(v)) return false;
  return true;
}

std::string no_spread_message(const SurvivalCounts& counts, const Geometric& geometric) {
  const double se = std::sqrt(geometric.churn * (1 - geometric.churn) / total(counts.at_risk));
  return fmt::format(
      "the share of customers leaving does not fall as cohorts age, so the data show no "
      "spread in churn between customers: the likelihood keeps rising as the concentration "
      "grows without bound, towards the same churn of {:.6g} per period (SE {:.3g}) for every "
      "customer; use that churn without heterogeneity",
      geometric.churn, se);
}

// An optimum is accepted when minus the Hessian there is positive definite (a maximum) and
// one more Newton step would move it by at most this many standard errors: the Newton
// decrement sqrt(g' (-H)^-1 g) is the distance to the maximum in standard errors.
constexpr double kConverged = 1e-3;

struct Polished {
  SbgParameters p;
  bool converged = false;
  double decrement = std::numeric_limits<double>::infinity();
};

// NLopt's stopping rules look at changes in the parameters and the log-likelihood, whose
// rounding grows with the number of customers; a few Newton steps with the analytic Hessian
// settle the last digits, and the decrement tells whether the result is converged.
Polished polish(const SurvivalCounts& counts, SbgParameters p) {
  constexpr int kSteps = 5;
  for (int step = 0;; ++step) {
    const Eigen::LLT<Eigen::Matrix2d> cholesky(-sbg_hessian(counts, p));
    if (cholesky.info() != Eigen::Success) return {p, false};
    const Eigen::Vector2d g = sbg_gradient(counts, p);
    const Eigen::Vector2d step_to_maximum = cholesky.solve(g);
    const double decrement = std::sqrt(std::max(0.0, g.dot(step_to_maximum)));
    if (decrement <= kConverged || step == kSteps) return {p, decrement <= kConverged, decrement};
    double length = 1.0;  // shortened, if need be, to keep alpha and beta positive
    while (p.alpha + length * step_to_maximum(0) <= 0 || p.beta + length * step_to_maximum(1) <= 0)
      length /= 2;
    p = {p.alpha + length * step_to_maximum(0), p.beta + length * step_to_maximum(1)};
  }
}

}  // namespace

SbgEstimate fit_sbg(const SurvivalCounts& counts) {
  check_identified(counts);
  const Geometric geometric = geometric_limit(counts);
  const Optimum optimum = maximize(counts, starting_point(counts, geometric));
  Polished polished;
  if (!optimum.at_bound) polished = polish(counts, optimum.p);
  if (polished.converged) {
    const double log_likelihood = sbg_log_likelihood(counts, polished.p);
    const Eigen::Matrix2d covariance = (-sbg_hessian(counts, polished.p)).inverse();
    const SbgEstimate estimate = make_estimate(polished.p, covariance, log_likelihood);
    // The homogeneous limit is the edge of the model: an estimate must beat it.
    if (log_likelihood > geometric.log_likelihood && all_finite(estimate)) return estimate;
  }
  if (geometric.spread_score <= 0 || optimum.at_upper_bound)
    throw FitError(no_spread_message(counts, geometric));
  throw FitError(fmt::format(
      "the maximum-likelihood fit did not converge (optimiser: {}; alpha {:.6g}, beta {:.6g}; "
      "distance to the maximum {:.3g} standard errors)",
      optimum.status, optimum.p.alpha, optimum.p.beta, polished.decrement));
}

namespace {

// Observed survival pooled over the cohorts observed through each period, against S(t).
// One pass over the rows: each cohort adds to the periods it covers.
std::vector<PeriodFit> survival_table(const CohortTier& tier, const SbgParameters& p) {
  std::size_t periods = 0;
  for (const Cohort& cohort : tier.cohorts) periods = std::max(periods, cohort.active.size());
  std::vector<PeriodFit> table(periods);
  for (const Cohort& cohort : tier.cohorts) {
    for (std::size_t t = 0; t < cohort.active.size(); ++t) {
      table[t].cohorts += 1;
      table[t].acquired += cohort.active[0];
      table[t].active += cohort.active[t];
    }
  }
  double survival = 1.0;  // S(t) = S(t - 1) (beta + t - 1) / (alpha + beta + t - 1)
  for (std::size_t t = 0; t < periods; ++t) {
    if (t > 0) survival *= (p.beta + t - 1) / (p.alpha + p.beta + t - 1);
    table[t].period = static_cast<int>(t);
    table[t].observed = static_cast<double>(table[t].active) / table[t].acquired;
    table[t].fitted = survival;
  }
  return table;
}

TierFit fit_tier(const CohortTier& tier) {
  TierFit fit;
  fit.name = tier.name;
  fit.cohorts = static_cast<int>(tier.cohorts.size());
  for (const Cohort& cohort : tier.cohorts) fit.customers += cohort.active[0];
  fit.estimate = fit_sbg(count_survival(tier));
  fit.table = survival_table(tier, {fit.estimate.alpha, fit.estimate.beta});
  return fit;
}

}  // namespace

CohortFit fit_cohorts(const CohortData& data) {
  CohortFit fit{data.file, data.has_tier_column, {}};
  std::vector<Diagnostic> problems;
  for (const CohortTier& tier : data.tiers) {
    try {
      fit.tiers.push_back(fit_tier(tier));
    } catch (const FitError& error) {
      const std::string who =
          data.has_tier_column ? fmt::format("tier '{}': ", shown_text(tier.name)) : "";
      problems.push_back(Diagnostic{data.file, 0, 0, who + error.what()});
    }
  }
  if (!problems.empty()) throw CohortDataError(std::move(problems));
  return fit;
}

}  // namespace tenure
