#include "sim/engine/count_distributions.hpp"

#include <array>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/log1p.hpp>  // log1pmx
#include <cmath>
#include <numbers>

namespace tenure {

namespace {

// Boost.Math reports trouble through errno instead of throwing: the samplers never pass it
// arguments out of its domain, and a draw must not throw.
using Quiet = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::pole_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::evaluation_error<boost::math::policies::errno_on_error>>;

constexpr double kLogTwoPi = 1.8378770664093454836;  // log(2 pi)

// log k! - log(sqrt(2 pi k) (k / e)^k), the error of Stirling's formula (Loader 2000,
// "Fast and accurate computation of binomial probabilities"). For k >= 16 its asymptotic
// series 1/(12k) - 1/(360k^3) + 1/(1260k^5) - 1/(1680k^7) + 1/(1188k^9) is exact to 1e-17.
double stirling_error(double k) {
  if (k < 16.0) {
    int sign = 0;  // lgamma_r: std::lgamma writes the global signgam
    return ::lgamma_r(k + 1.0, &sign) - (k + 0.5) * std::log(k) + k - 0.5 * kLogTwoPi;
  }
  const double r = 1.0 / k, r2 = r * r;
  return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
}

// x log(x / m) + m - x for m = x - d, x > 0: the deviance of a count x from a mean m (Loader
// 2000). The difference d is passed in, not recomputed from m, so it keeps its accuracy when
// x and m are huge. Near m the terms cancel, so it is summed as the series
// d v + 2x (v^3/3 + v^5/5 + ...), v = d / (x + m).
double deviance(double x, double d) {
  const double sum = 2.0 * x - d;  // x + m
  if (std::abs(d) >= 0.1 * sum) return -x * std::log1p(-d / x) - d;
  const double v = d / sum, v2 = v * v;
  double total = d * v, term = 2.0 * x * v;
  for (int j = 1; j < 100; ++j) {
    term *= v2;
    const double next = total + term / (2 * j + 1);
    if (next == total) break;
    total = next;
  }
  return total;
}

// k - n p to a unit in its last place: n p is split exactly into hi + lo (an FMA gives the
// rounding error of a product), and k - hi is exact when k is near n p, where it matters.
double difference_from_product(double k, double n, double p) {
  const double hi = n * p, lo = std::fma(n, p, -hi);
  return (k - hi) - lo;
}

}  // namespace

double binomial_log_pmf(std::int64_t k, std::int64_t n, double p) {
  const double nd = static_cast<double>(n), kd = static_cast<double>(k);
  if (k == 0) return nd * std::log1p(-p);
  if (k == n) return nd * std::log(p);
  // log f = stirling(n) - stirling(k) - stirling(n-k) - D(k, np) - D(n-k, nq)
  //         + log(n / (2 pi k (n-k)))/2, with k - np the one difference both deviances need.
  const double d = difference_from_product(kd, nd, p);
  return stirling_error(nd) - stirling_error(kd) - stirling_error(nd - kd) - deviance(kd, d) -
         deviance(nd - kd, -d) + 0.5 * (std::log(nd / (kd * (nd - kd))) - kLogTwoPi);
}

double poisson_log_pmf(std::int64_t k, double mean) {
  if (k == 0) return -mean;
  // log f = -stirling(k) - D(k, mean) - log(2 pi k)/2
  const double kd = static_cast<double>(k);
  return -stirling_error(kd) - deviance(kd, kd - mean) - 0.5 * (kLogTwoPi + std::log(kd));
}

double normal_quantile(double u) {
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * u, Quiet());
}

namespace {

// Temme's uniform expansion of the incomplete gamma function (Temme 1979, "The asymptotic
// expansion of the incomplete gamma functions"; DLMF 8.12.3-8.12.10): with lambda = x / a and
// eta^2 / 2 = lambda - 1 - log(lambda), eta of the sign of lambda - 1,
//   Q(a, x) = erfc(eta sqrt(a/2)) / 2 + R,   P(a, x) = erfc(-eta sqrt(a/2)) / 2 - R,
//   R = exp(-a eta^2 / 2) / sqrt(2 pi a) * sum_j c_j(eta) a^-j,
//   c_0 = 1/(lambda - 1) - 1/eta,   c_j = c_{j-1}'(eta) / eta + (-1)^j g_j / (lambda - 1),
// g_j the coefficients of Stirling's series Gamma(a) ~ sqrt(2 pi / a) (a/e)^a sum_j g_j a^-j
// (DLMF 5.11.3-5.11.4). Each c_j has a removable pole at eta = 0, so it is evaluated from its
// Taylor series, whose coefficients are computed here at compile time from these formulas.
// Five terms give a relative error below 1e-17 for a >= 500 (checked against 40-digit values),
// and below 1e-13 for the smaller tail for a >= 100 (checked against exact sums in the tests).
constexpr int kTemmeTerms = 5;
constexpr int kTemmeDegree = 20;  // Taylor degree; the series converge for |eta| < 2 sqrt(pi)
using TemmeSeries = std::array<std::array<double, kTemmeDegree + 1>, kTemmeTerms>;

constexpr TemmeSeries temme_series() {
  constexpr int kLength = kTemmeDegree + 2 * kTemmeTerms + 2;
  // lambda - 1 = sum_m tau_m eta^m, from (lambda - 1) d(lambda)/d(eta) = eta lambda:
  // matching eta^(m-1) gives tau_{m-1} = (2 tau_{m-2} / m - sum_{i=2}^{m-2} tau_i tau_{m-i}) / 2.
  std::array<double, kLength + 2> tau{};
  tau[1] = 1.0;
  for (int m = 3; m <= kLength + 1; ++m) {
    double cross = 0.0;
    for (int i = 2; i <= m - 2; ++i) cross += tau[i] * tau[m - i];
    tau[m - 1] = (2.0 * tau[m - 2] / m - cross) / 2.0;
  }
  // 1/(lambda - 1) = (1/eta) sum_m w_m eta^m with w = 1 / (sum_m tau_{m+1} eta^m).
  std::array<double, kLength + 1> w{};
  w[0] = 1.0;
  for (int m = 1; m <= kLength; ++m)
    for (int j = 1; j <= m; ++j) w[m] -= tau[j + 1] * w[m - j];
  // c_0 = sum_m w_{m+1} eta^m; then the recurrence, whose 1/eta terms cancel.
  constexpr std::array<double, kTemmeTerms> stirling = {1.0, 1.0 / 12, 1.0 / 288, -139.0 / 51840,
                                                        -571.0 / 2488320};
  std::array<std::array<double, kLength>, kTemmeTerms> c{};
  for (int m = 0; m < kLength; ++m) c[0][m] = w[m + 1];
  for (int j = 1; j < kTemmeTerms; ++j) {
    const double sign = j % 2 == 0 ? 1.0 : -1.0;
    for (int m = 0; m + 2 < kLength; ++m)
      c[j][m] = (m + 2) * c[j - 1][m + 2] + sign * stirling[j] * c[0][m];
  }
  TemmeSeries out{};
  for (int j = 0; j < kTemmeTerms; ++j)
    for (int m = 0; m <= kTemmeDegree; ++m) out[j][m] = c[j][m];
  return out;
}
constexpr TemmeSeries kTemme = temme_series();

// The known first coefficients (DLMF 8.12.9 and Temme 1979) check the construction.
constexpr bool near(double a, double b) {
  return (a > b ? a - b : b - a) < 1e-17;
}
static_assert(near(kTemme[0][0], -1.0 / 3) && near(kTemme[0][1], 1.0 / 12));
static_assert(near(kTemme[1][0], -1.0 / 540) && near(kTemme[2][0], 25.0 / 6048));
static_assert(near(kTemme[4][0], -3184811.0 / 3695155200));

double temme_sum(double eta, double a) {
  double total = 0.0, scale = 1.0;
  for (int j = 0; j < kTemmeTerms; ++j) {
    double c = 0.0;
    for (int m = kTemmeDegree; m >= 0; --m) c = c * eta + kTemme[j][m];
    total += c * scale;
    scale /= a;
  }
  return total;
}

}  // namespace

Tails poisson_tails(std::int64_t k, double mean) {
  if (k < 0) return {0.0, 1.0};
  const double a = static_cast<double>(k) + 1.0;
  const double t = (mean - a) / a;  // lambda - 1
  const double half_eta2 = -boost::math::log1pmx(t, Quiet());
  // Tails below exp(-200) are 0 and 1 to any precision a draw can see; out there the Taylor
  // series would lose accuracy.
  if (a * half_eta2 > 200.0) return t > 0.0 ? Tails{0.0, 1.0} : Tails{1.0, 0.0};
  const double eta = std::copysign(std::sqrt(2.0 * half_eta2), t);
  const double y = eta * std::sqrt(0.5 * a);
  const double r =
      std::exp(-a * half_eta2) / std::sqrt(2.0 * std::numbers::pi * a) * temme_sum(eta, a);
  // P(X <= k) = Q(k + 1, mean), P(X > k) = P(k + 1, mean).
  return {0.5 * std::erfc(y) + r, 0.5 * std::erfc(-y) - r};
}

namespace {

// Temme's expansion of the incomplete beta function for large a + b (DLMF 8.18.9-8.18.12;
// Temme 1996, Special Functions, section 11.3.3.2), derived here in the form we evaluate.
// With r = a + b, x0 = a / r and t(zeta) the point where
//   x0 log(t / x0) + (1 - x0) log((1 - t) / (1 - x0)) = -zeta^2 / 2   (zeta of the sign of t - x0),
// the substitution t -> zeta turns the integral of I_x(a, b) into
//   I_x(a, b) = A int_{-inf}^{eta} exp(-r zeta^2 / 2) f(zeta) dzeta,   f = zeta / (t - x0),
// A = sqrt(r x0 (1 - x0) / (2 pi)) Gamma*(r) / (Gamma*(a) Gamma*(b)), Gamma* the ratio of
// Gamma to Stirling's formula (so log Gamma* = stirling_error), eta the zeta of t = x.
// Integrating by parts repeatedly (f_0 = f, g_k = (f_k - f_k(0)) / zeta, f_{k+1} = g_k'):
//   I_x(a, b) = erfc(-eta sqrt(r/2)) / 2 - (A / r) exp(-r eta^2 / 2) sum_k g_k(eta) r^-k,
// the erfc term's factor A sqrt(2 pi / r) sum_k f_k(0) r^-k being 1 asymptotically. The
// Taylor coefficients of t - x0 = sum_m tau_m zeta^m follow from s s' = zeta (c + d s - s^2),
// s = t - x0, c = x0 (1 - x0), d = 1 - 2 x0; they depend on x0, so they are computed for
// each evaluation. How many terms and how long a Taylor series are needed depends on the
// smaller parameter m = min(a, b): the terms fall like m^-k, and |eta| is within the
// series' reach by a factor of about sqrt(m) / 9 at any tail a uniform can reach. Four
// terms of degree 12 give a relative error below 1e-15 for m >= 10000, five of degree 20
// for m >= 1000 (checked against exact sums in the tests).
struct BetaSeriesSize {
  int terms, degree;
};
constexpr int kBetaTermsMax = 5, kBetaDegreeMax = 20;
BetaSeriesSize beta_series_size(double smaller) {
  return smaller >= 10000 ? BetaSeriesSize{4, 12} : BetaSeriesSize{kBetaTermsMax, kBetaDegreeMax};
}

// sum_k g_k(eta) r^-k for this x0.
double beta_series(double x0, double eta, double r, BetaSeriesSize size) {
  constexpr int kCapacity = kBetaDegreeMax + 2 * kBetaTermsMax + 2;
  const int length = size.degree + 2 * size.terms + 2;
  const double c = x0 * (1.0 - x0), d = 1.0 - 2.0 * x0;
  std::array<double, kCapacity + 2> tau{};  // tau[m], m >= 1
  tau[1] = std::sqrt(c);
  // Matching zeta^(M-1) in s s' = zeta (c + d s - s^2), M >= 3:
  // (M/2) sum_{i+j=M} tau_i tau_j = d tau_{M-2} - sum_{i+j=M-2} tau_i tau_j.
  for (int m = 3; m <= length + 1; ++m) {
    double square = 0.0, cross = 0.0;
    for (int i = 1; i <= m - 3; ++i) square += tau[i] * tau[m - 2 - i];
    for (int i = 2; i <= m - 2; ++i) cross += tau[i] * tau[m - i];
    tau[m - 1] = (2.0 / m * (d * tau[m - 2] - square) - cross) / (2.0 * tau[1]);
  }
  // f = zeta / s = 1 / (sum_m tau_{m+1} zeta^m); then g_0[m] = f[m+1], g_k[m] = (m+2) g_{k-1}[m+2].
  std::array<double, kCapacity + 1> g{};
  for (int m = 0; m <= length; ++m) {
    double sum = m == 0 ? 1.0 : 0.0;
    for (int j = 1; j <= m; ++j) sum -= tau[j + 1] * g[m - j];
    g[m] = sum / tau[1];
  }
  for (int m = 0; m < length; ++m) g[m] = g[m + 1];  // g_0
  double total = 0.0, scale = 1.0;
  for (int k = 0; k < size.terms; ++k) {
    double value = 0.0;
    for (int m = size.degree; m >= 0; --m) value = value * eta + g[m];
    total += value * scale;
    scale /= r;
    for (int m = 0; m + 2 < length; ++m) g[m] = (m + 2) * g[m + 2];  // g_{k+1}
  }
  return total;
}

}  // namespace

Tails binomial_tails(std::int64_t k, std::int64_t n, double p) {
  if (k < 0) return {0.0, 1.0};
  if (k >= n) return {1.0, 0.0};
  // P(X > k) = I_p(a, b) with a = k + 1, b = n - k; x0 = a / r, r = n + 1.
  const double a = static_cast<double>(k) + 1.0, b = static_cast<double>(n - k), r = a + b;
  const double delta_r = -difference_from_product(a, r, p);  // (p - x0) r
  // r eta^2 / 2 = -a log1pmx((p - x0) / x0) - b log1pmx((x0 - p) / (1 - x0)): the linear
  // terms of the two logarithms cancel exactly, so they are left out.
  const double exponent = -a * boost::math::log1pmx(delta_r / a, Quiet()) -
                          b * boost::math::log1pmx(-delta_r / b, Quiet());
  // Tails below exp(-200) are 0 and 1 to any precision a draw can see; out there the series
  // would lose accuracy.
  if (exponent > 200.0) return delta_r > 0.0 ? Tails{0.0, 1.0} : Tails{1.0, 0.0};
  const double eta = std::copysign(std::sqrt(2.0 * exponent / r), delta_r);
  const double x0 = a / r, y = eta * std::sqrt(0.5 * r);
  const double scale =
      std::sqrt(x0 * (1.0 - x0) / (2.0 * std::numbers::pi * r)) *
      std::exp(stirling_error(r) - stirling_error(a) - stirling_error(b) - exponent);
  const double remainder = scale * beta_series(x0, eta, r, beta_series_size(std::min(a, b)));
  return {0.5 * std::erfc(y) + remainder, 0.5 * std::erfc(-y) - remainder};
}

}  // namespace tenure
