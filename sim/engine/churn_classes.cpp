#include "sim/engine/churn_classes.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tenure {

namespace {

// Nodes and weights of the Gauss rule from a Jacobi matrix (Golub-Welsch): the eigenvalues,
// and the squared first components of the eigenvectors times the measure's mass.
Quadrature golub_welsch(const Eigen::VectorXd& diagonal, const Eigen::VectorXd& off_diagonal,
                        double mass) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver;
  solver.computeFromTridiagonal(diagonal, off_diagonal, Eigen::ComputeEigenvectors);
  Quadrature q;
  for (Eigen::Index c = 0; c < diagonal.size(); ++c) {
    q.nodes.push_back(std::clamp(solver.eigenvalues()(c), 0.0, 1.0));
    const double first = solver.eigenvectors()(0, c);
    q.weights.push_back(mass * first * first);
  }
  return q;
}

double relative_error(double value, double exact) {
  return exact != 0.0 ? std::abs(value / exact - 1.0) : std::abs(value);
}

// Every criterion's relative error of a set of classes; the largest.
void measure(ChurnClasses& classes, double a, double b, const ClassCriteria& criteria) {
  auto lifetime = [&](const std::vector<double>& shares, double rate) {
    double sum = 0.0;
    for (std::size_t c = 0; c < shares.size(); ++c)
      sum += shares[c] * discounted_lifetime(classes.nodes[c], rate, criteria.horizon);
    return sum;
  };
  const double mean = a / (a + b);
  double mean_now = 0.0;
  for (std::size_t c = 0; c < classes.nodes.size(); ++c)
    mean_now += classes.shares[c] * classes.nodes[c];
  classes.lifetime_error =
      relative_error(lifetime(classes.shares, criteria.rate),
                     sbg_discounted_lifetime(a, b, criteria.rate, criteria.horizon));
  classes.worst_error = std::max(classes.lifetime_error, relative_error(mean_now, mean));
  for (const int tenure : criteria.survived) {
    const std::vector<double> shares = survivor_shares(classes, tenure, [](int) { return 1.0; });
    classes.worst_error = std::max(
        classes.worst_error,
        relative_error(lifetime(shares, criteria.rate),
                       sbg_discounted_lifetime(a, b, criteria.rate, criteria.horizon, tenure)));
  }
}

ChurnClasses gauss_classes(double a, double b, int count, const ClassCriteria& criteria) {
  const Quadrature q = beta_quadrature(a, b, count);
  ChurnClasses classes{q.nodes, q.weights, "gauss"};
  measure(classes, a, b, criteria);
  return classes;
}

// The Gauss rule of Beta(p) L(p) dp, L the discounted lifetime, from a fine Gauss rule of the
// Beta (3 count + 10 nodes suffice: the lifetime is smooth on [0, 1]); the shares are the
// weights over L(p_c), so that sum_c w_c L(p_c) integrates the lifetime exactly on the fine
// rule, then normalised to sum to 1.
ChurnClasses lifetime_weighted_classes(double a, double b, int count,
                                       const ClassCriteria& criteria) {
  const Quadrature fine = beta_quadrature(a, b, 3 * count + 10);
  std::vector<double> weighted(fine.weights.size());
  for (std::size_t j = 0; j < weighted.size(); ++j)
    weighted[j] =
        fine.weights[j] * discounted_lifetime(fine.nodes[j], criteria.rate, criteria.horizon);
  const Quadrature q = discrete_gauss(fine.nodes, weighted, count);
  ChurnClasses classes{q.nodes, {}, "lifetime-weighted"};
  for (std::size_t c = 0; c < q.nodes.size(); ++c)
    classes.shares.push_back(q.weights[c] /
                             discounted_lifetime(q.nodes[c], criteria.rate, criteria.horizon));
  const double total = std::accumulate(classes.shares.begin(), classes.shares.end(), 0.0);
  for (double& share : classes.shares) share /= total;
  measure(classes, a, b, criteria);
  return classes;
}

}  // namespace

Quadrature beta_quadrature(double a, double b, int count) {
  // Golub-Welsch: the nodes are the eigenvalues of the Jacobi matrix of the polynomials
  // orthogonal under the Beta weight. On [-1, 1] the Beta(a, b) weight is a Jacobi weight with
  // alpha = b - 1, beta = a - 1 (p = (1 + x) / 2); the recurrence coefficients of the monic
  // Jacobi polynomials are
  //   diagonal   d_n = (beta^2 - alpha^2) / ((2n + s)(2n + s + 2)),   s = alpha + beta,
  //              d_0 = (beta - alpha) / (s + 2),
  //   off-diag.  e_n^2 = 4n (n + alpha)(n + beta)(n + s) / ((2n + s)^2 (2n + s + 1)(2n + s - 1)),
  //              e_1^2 = 4 (1 + alpha)(1 + beta) / ((2 + s)^2 (3 + s))  (the n = 1 case with
  //              the common factor (1 + s) cancelled, which is 0 / 0 when s = -1).
  // Mapped to [0, 1], the diagonal becomes (1 + d_n) / 2 and the off-diagonal e_n / 2.
  const double alpha = b - 1.0, beta = a - 1.0, sum = alpha + beta;
  Eigen::VectorXd diagonal(count), off_diagonal(std::max(count - 1, 0));
  for (int n = 0; n < count; ++n) {
    const double two_n_s = 2.0 * n + sum;
    const double d = n == 0 ? (beta - alpha) / (sum + 2.0)
                            : (beta * beta - alpha * alpha) / (two_n_s * (two_n_s + 2.0));
    diagonal(n) = (1.0 + d) / 2.0;
    if (n + 1 == count) continue;
    const double m = n + 1.0, two_m_s = 2.0 * m + sum;
    const double e2 =
        m == 1.0 ? 4.0 * (1.0 + alpha) * (1.0 + beta) / ((2.0 + sum) * (2.0 + sum) * (3.0 + sum))
                 : 4.0 * m * (m + alpha) * (m + beta) * (m + sum) /
                       (two_m_s * two_m_s * (two_m_s + 1.0) * (two_m_s - 1.0));
    off_diagonal(n) = std::sqrt(e2) / 2.0;
  }
  return golub_welsch(diagonal, off_diagonal, 1.0);
}

Quadrature discrete_gauss(const std::vector<double>& x, const std::vector<double>& w, int count) {
  // The discretised Stieltjes procedure: the recurrence of the polynomials orthonormal under
  // the discrete measure, p_{k+1} = ((x - alpha_k) p_k - beta_k p_{k-1}) / beta_{k+1}, with
  // alpha_k = <x p_k, p_k> and beta_{k+1} the norm of the numerator.
  const Eigen::Map<const Eigen::ArrayXd> points(x.data(), static_cast<Eigen::Index>(x.size()));
  const Eigen::Map<const Eigen::ArrayXd> mass(w.data(), static_cast<Eigen::Index>(w.size()));
  const double total = mass.sum();
  Eigen::ArrayXd previous = Eigen::ArrayXd::Zero(points.size());
  Eigen::ArrayXd current = Eigen::ArrayXd::Constant(points.size(), 1.0 / std::sqrt(total));
  Eigen::VectorXd diagonal(count), off_diagonal(std::max(count - 1, 0));
  double beta = 0.0;
  for (int k = 0; k < count; ++k) {
    diagonal(k) = (mass * points * current * current).sum();
    if (k + 1 == count) break;
    const Eigen::ArrayXd next = (points - diagonal(k)) * current - beta * previous;
    beta = std::sqrt((mass * next * next).sum());
    off_diagonal(k) = beta;
    previous = current;
    current = next / beta;
  }
  return golub_welsch(diagonal, off_diagonal, total);
}

double discounted_lifetime(double p, double rate, int horizon) {
  // A geometric sum: with r = (1 - p) / (1 + rate), sum_{k=1..T} r^(k-1) / (1 + rate)
  // = (1 - r^T) / ((1 + rate)(1 - r)), written as T / (1 + rate) when r = 1.
  const double v = 1.0 / (1.0 + rate), r = (1.0 - p) * v;
  if (r >= 1.0) return horizon * v;
  return v * -std::expm1(horizon * std::log1p(-(1.0 - r))) / (1.0 - r);
}

double sbg_discounted_lifetime(double a, double b, double rate, int horizon, int survived) {
  // S(t + 1) / S(t) = (b + t) / (a + b + t): survival of the survivors, period by period.
  const double v = 1.0 / (1.0 + rate);
  double survival = 1.0, discount = v, sum = 0.0;
  for (int k = 1; k <= horizon; ++k) {
    sum += survival * discount;
    const double t = survived + k - 1.0;
    survival *= (b + t) / (a + b + t);
    discount *= v;
  }
  return sum;
}

ChurnClasses churn_classes(double mean, double concentration, int count,
                           const ClassCriteria& criteria, double tolerance, bool gauss_only) {
  if (!(mean > 0.0 && mean < 1.0))  // churn 0 or 1: no spread, every class the same
    return {std::vector<double>(count, mean), std::vector<double>(count, 1.0 / count), "none"};
  const double a = mean * concentration, b = (1.0 - mean) * concentration;
  ChurnClasses gauss = gauss_classes(a, b, count, criteria);
  if (gauss_only || gauss.worst_error <= tolerance) return gauss;
  ChurnClasses weighted = lifetime_weighted_classes(a, b, count, criteria);
  return weighted.worst_error < gauss.worst_error ? weighted : gauss;
}

int classes_needed(double mean, double concentration, const ClassCriteria& criteria,
                   double tolerance, int most) {
  for (int count = 1; count < most; ++count)
    if (churn_classes(mean, concentration, count, criteria, tolerance).worst_error <= tolerance)
      return count;
  return most;
}

std::vector<double> survivor_shares(const ChurnClasses& classes, int tenure,
                                    const std::function<double(int)>& multiplier) {
  // In logs, so that long tenures do not underflow: log w_c + sum_s log(1 - p_c m(s)).
  std::vector<double> log_shares(classes.nodes.size());
  for (std::size_t c = 0; c < log_shares.size(); ++c) {
    double log_share = std::log(classes.shares[c]);
    for (int s = 0; s < tenure && std::isfinite(log_share); ++s)
      log_share += std::log1p(-std::min(1.0, classes.nodes[c] * multiplier(s)));
    log_shares[c] = log_share;
  }
  const double top = *std::max_element(log_shares.begin(), log_shares.end());
  if (!std::isfinite(top)) return classes.shares;  // nobody could have stayed that long
  std::vector<double> shares;
  for (const double log_share : log_shares) shares.push_back(std::exp(log_share - top));
  const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  for (double& share : shares) share /= total;
  return shares;
}

}  // namespace tenure
