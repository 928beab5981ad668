// Churn fitted from cohort tables with the shifted-beta-geometric (sBG) model of Fader and
// Hardie, "How to Project Customer Retention", Journal of Interactive Marketing 21(1), 2007.
//
// Each customer leaves at the end of each period with a probability p of their own that
// never changes; p varies across customers as Beta(alpha, beta). A cohort then follows
//   P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)   (leaves in period t)
//   S(t)     = B(alpha, beta + t) / B(alpha, beta)            (still active after t periods)
// and among the customers still active at t - 1 a share h(t) = alpha / (alpha + beta + t - 1)
// leaves in period t: the retention rate rises with age as the flighty leave first.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/calibration/cohort_csv.hpp"

namespace tenure {

// All the sBG likelihood of a tier needs (sufficient statistics). For period t = 1..T (at
// index t - 1): at_risk = customers active at period t - 1 in the cohorts observed through
// period t, churned = those of them no longer active at t. Sums of whole numbers up to 1e15,
// so exact in a double.
struct SurvivalCounts {
  std::vector<double> at_risk;
  std::vector<double> churned;
};

SurvivalCounts count_survival(const CohortTier& tier);

struct SbgParameters {
  double alpha = 1.0;
  double beta = 1.0;
};

// Survival S(t) = prod_{j=1..t} (beta + j - 1) / (alpha + beta + j - 1), t >= 0.
double sbg_survival(const SbgParameters& p, int t);

// Log-likelihood of the counts. Every cohort contributes log P(T = t) for each customer who
// left in period t and log S(t_last) for each still active at its last period; written with
// P(T = t) = S(t - 1) h(t) and S(t) = S(t - 1) (1 - h(t)), this is the product of the
// period-by-period conditional probabilities:
//   LL = sum_t [ d_t log h(t) + (R_t - d_t) log(1 - h(t)) ]
//      = sum_t [ d_t log alpha + (R_t - d_t) log(beta + t - 1) - R_t log(alpha + beta + t - 1) ]
// with R_t at risk and d_t churned in period t.
double sbg_log_likelihood(const SurvivalCounts& counts, const SbgParameters& p);

// (dLL/dalpha, dLL/dbeta).
Eigen::Vector2d sbg_gradient(const SurvivalCounts& counts, const SbgParameters& p);

// Second derivatives of LL with respect to (alpha, beta).
Eigen::Matrix2d sbg_hessian(const SurvivalCounts& counts, const SbgParameters& p);

// The maximum-likelihood estimate with standard errors from the observed information
// (the inverse of minus the Hessian at the optimum), carried to churn and concentration by
// the delta method.
struct SbgEstimate {
  double alpha = 0, beta = 0, alpha_se = 0, beta_se = 0;
  double churn = 0, churn_se = 0;                  // alpha / (alpha + beta): mean churn per period
  double concentration = 0, concentration_se = 0;  // alpha + beta
  double churn_concentration_correlation = 0;      // of the two estimates
  double log_likelihood = 0;
};

// Why a tier's counts cannot be fitted (degenerate data, no convergence).
class FitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Fits alpha and beta by maximum likelihood. Throws FitError when the data do not identify
// them or the maximum lies on the edge of the model (see docs/fitting.md), or when the
// optimiser does not converge.
SbgEstimate fit_sbg(const SurvivalCounts& counts);

// Observed against fitted survival at one period, pooled over the cohorts observed that long.
struct PeriodFit {
  int period = 0;
  int cohorts = 0;            // cohorts observed through this period
  std::int64_t acquired = 0;  // their customers at period 0
  std::int64_t active = 0;    // their customers still active at this period
  double observed = 0;        // active / acquired
  double fitted = 0;          // S(period)
};

struct TierFit {
  std::string name;
  int cohorts = 0;
  std::int64_t customers = 0;  // acquired, over all cohorts
  SbgEstimate estimate;
  std::vector<PeriodFit> table;  // periods 0 .. the longest cohort's last
};

struct CohortFit {
  std::string file;
  bool has_tier_column = false;
  std::vector<TierFit> tiers;
};

// Fits every tier. Throws CohortDataError naming every tier that cannot be fitted.
CohortFit fit_cohorts(const CohortData& data);

}  // namespace tenure
