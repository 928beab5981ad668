// Distributions of uncertain inputs: what a scenario says about a number it does not know.
// Each is drawn by inversion, x = F^-1(u), truncated to the range of the key it stands for,
// so that a draw is monotone in its uniform (common random numbers couple nearby worlds)
// and always a valid value of the key.
#pragma once

#include <string>
#include <vector>

namespace tenure {

enum class DistributionKind { normal, lognormal, beta, gamma, uniform, triangular, pert, discrete };

const char* to_string(DistributionKind kind);

// The parameters as a scenario gives them: normal, lognormal, beta and gamma by the mean and
// standard deviation of the value itself; uniform by low and high; triangular and PERT by
// low, mode and high; discrete by values and weights.
struct Distribution {
  DistributionKind kind = DistributionKind::uniform;
  double mean = 0.0, sd = 0.0;
  double low = 0.0, mode = 0.0, high = 0.0;
  std::vector<double> values, weights;  // discrete: in increasing order, weights summing to 1
};

// What is wrong with a distribution's parameters ("" when fine), e.g. a beta whose sd is too
// large for its mean.
std::string parameter_problem(const Distribution& d);

// The smallest and largest values it can take (infinite for unbounded supports).
double support_low(const Distribution& d);
double support_high(const Distribution& d);

double cdf(const Distribution& d, double x);
double quantile(const Distribution& d, double u);  // u in (0, 1)

// The range of the key a distribution stands for, and how likely a draw is to leave it.
struct Range {
  double low = 0.0, high = 0.0;
};
double mass_outside(const Distribution& d, const Range& range);

// Inversion within the range: F^-1(F(low) + u (F(high) - F(low))), clamped to the range.
double truncated_quantile(const Distribution& d, const Range& range, double u);

// The mean of the distribution (discrete: the weighted mean of its values).
double distribution_mean(const Distribution& d);

}  // namespace tenure
