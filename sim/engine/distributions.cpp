#include "sim/engine/distributions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>
#include <limits>

namespace tenure {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Beta shape parameters matching a mean m and sd s on [0, 1]: with k = m (1 - m) / s^2 - 1,
// alpha = m k and beta = (1 - m) k (method of moments).
std::pair<double, double> beta_shapes(double mean, double sd) {
  const double k = mean * (1.0 - mean) / (sd * sd) - 1.0;
  return {mean * k, (1.0 - mean) * k};
}

// PERT as a beta on [low, high] with shapes 1 + 4 (mode - low) / (high - low) and
// 1 + 4 (high - mode) / (high - low): the mean is (low + 4 mode + high) / 6.
boost::math::beta_distribution<> pert_beta(const Distribution& d) {
  const double range = d.high - d.low;
  return {1.0 + 4.0 * (d.mode - d.low) / range, 1.0 + 4.0 * (d.high - d.mode) / range};
}

// Lognormal of the value with the given mean and sd: sigma^2 = log(1 + sd^2 / mean^2),
// mu = log(mean) - sigma^2 / 2.
boost::math::lognormal_distribution<> lognormal_of(const Distribution& d) {
  const double sigma2 = std::log1p(d.sd * d.sd / (d.mean * d.mean));
  return {std::log(d.mean) - sigma2 / 2.0, std::sqrt(sigma2)};
}

// Gamma with the given mean and sd: shape mean^2 / sd^2, scale sd^2 / mean.
boost::math::gamma_distribution<> gamma_of(const Distribution& d) {
  return {d.mean * d.mean / (d.sd * d.sd), d.sd * d.sd / d.mean};
}

// Calls `f` with the Boost distribution object of a continuous distribution.
template <typename F>
double with_continuous(const Distribution& d, F f) {
  switch (d.kind) {
    case DistributionKind::normal:
      return f(boost::math::normal_distribution<>(d.mean, d.sd));
    case DistributionKind::lognormal:
      return f(lognormal_of(d));
    case DistributionKind::beta: {
      const auto [a, b] = beta_shapes(d.mean, d.sd);
      return f(boost::math::beta_distribution<>(a, b));
    }
    case DistributionKind::gamma:
      return f(gamma_of(d));
    case DistributionKind::triangular:
      return f(boost::math::triangular_distribution<>(d.low, d.mode, d.high));
    default:
      return 0.0;
  }
}

}  // namespace

const char* to_string(DistributionKind kind) {
  constexpr const char* names[] = {"normal",  "lognormal",  "beta", "gamma",
                                   "uniform", "triangular", "pert", "discrete"};
  return names[static_cast<int>(kind)];
}

std::string parameter_problem(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::normal:
      return d.sd > 0 ? "" : "sd must be > 0";
    case DistributionKind::lognormal:
    case DistributionKind::gamma:
      return d.mean > 0 && d.sd > 0 ? "" : "mean and sd must be > 0";
    case DistributionKind::beta:
      if (!(d.mean > 0 && d.mean < 1 && d.sd > 0))
        return "mean must be between 0 and 1 (not "
               "included) and sd > 0";
      return d.sd * d.sd < d.mean * (1 - d.mean)
                 ? ""
                 : fmt::format("sd must be below sqrt(mean (1 - mean)) = {:.4g} for a beta",
                               std::sqrt(d.mean * (1 - d.mean)));
    case DistributionKind::uniform:
      return d.low < d.high ? "" : "low must be below high";
    case DistributionKind::triangular:
    case DistributionKind::pert:
      return d.low <= d.mode && d.mode <= d.high && d.low < d.high
                 ? ""
                 : "needs low <= mode <= high, with low below high";
    case DistributionKind::discrete:
      return d.values.empty() ? "needs at least one value" : "";
  }
  return "";
}

double support_low(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::normal:
      return -kInfinity;
    case DistributionKind::lognormal:
    case DistributionKind::gamma:
    case DistributionKind::beta:
      return 0.0;
    case DistributionKind::discrete:
      return d.values.front();
    default:
      return d.low;
  }
}

double support_high(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::normal:
    case DistributionKind::lognormal:
    case DistributionKind::gamma:
      return kInfinity;
    case DistributionKind::beta:
      return 1.0;
    case DistributionKind::discrete:
      return d.values.back();
    default:
      return d.high;
  }
}

double cdf(const Distribution& d, double x) {
  if (x < support_low(d)) return 0.0;
  if (x >= support_high(d)) return 1.0;
  switch (d.kind) {
    case DistributionKind::uniform:
      return (x - d.low) / (d.high - d.low);
    case DistributionKind::pert:
      return boost::math::cdf(pert_beta(d), (x - d.low) / (d.high - d.low));
    case DistributionKind::discrete: {
      double total = 0.0;
      for (std::size_t i = 0; i < d.values.size() && d.values[i] <= x; ++i) total += d.weights[i];
      return std::min(total, 1.0);
    }
    default:
      return with_continuous(d, [x](const auto& dist) { return boost::math::cdf(dist, x); });
  }
}

double quantile(const Distribution& d, double u) {
  u = std::clamp(u, std::numeric_limits<double>::min(), 1.0 - 0x1.0p-53);
  switch (d.kind) {
    case DistributionKind::uniform:
      return d.low + u * (d.high - d.low);
    case DistributionKind::pert:
      return d.low + (d.high - d.low) * boost::math::quantile(pert_beta(d), u);
    case DistributionKind::discrete: {
      double total = 0.0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        total += d.weights[i];
        if (u <= total) return d.values[i];
      }
      return d.values.back();
    }
    default:
      return with_continuous(d, [u](const auto& dist) { return boost::math::quantile(dist, u); });
  }
}

double mass_outside(const Distribution& d, const Range& range) {
  const double below =
      range.low > support_low(d) ? cdf(d, std::nextafter(range.low, -kInfinity)) : 0.0;
  const double above = range.high < support_high(d) ? 1.0 - cdf(d, range.high) : 0.0;
  return below + above;
}

double truncated_quantile(const Distribution& d, const Range& range, double u) {
  const double from = range.low > support_low(d) ? cdf(d, range.low) : 0.0;
  const double to = range.high < support_high(d) ? cdf(d, range.high) : 1.0;
  return std::clamp(quantile(d, from + u * (to - from)), range.low, range.high);
}

double distribution_mean(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::uniform:
      return (d.low + d.high) / 2.0;
    case DistributionKind::triangular:
      return (d.low + d.mode + d.high) / 3.0;
    case DistributionKind::pert:
      return (d.low + 4.0 * d.mode + d.high) / 6.0;
    case DistributionKind::discrete: {
      double mean = 0.0;
      for (std::size_t i = 0; i < d.values.size(); ++i) mean += d.weights[i] * d.values[i];
      return mean;
    }
    default:
      return d.mean;
  }
}

}  // namespace tenure
