#include "sim/engine/uncertainty.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numbers>

#include "sim/engine/places.hpp"
#include "sim/engine/random.hpp"

namespace tenure {

namespace {

std::size_t index_of(const std::vector<UncertainInput>& inputs, const std::string& name) {
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == name) return i;
  return inputs.size();
}

Eigen::MatrixXd as_matrix(const std::vector<double>& matrix, std::size_t n) {
  Eigen::MatrixXd m(n, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) m(i, j) = matrix[i * n + j];
  return m;
}

}  // namespace

std::vector<double> normal_scale_correlation(const std::vector<UncertainInput>& inputs,
                                             const std::vector<InputCorrelation>& correlations) {
  const std::size_t n = inputs.size();
  std::vector<double> matrix(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) matrix[i * n + i] = 1.0;
  for (const InputCorrelation& c : correlations) {
    const std::size_t a = index_of(inputs, c.a), b = index_of(inputs, c.b);
    if (a == n || b == n || a == b) continue;  // the scenario layer reports these
    // Pearson's correlation of normal scores with Spearman's rank correlation r_s.
    const double r = 2.0 * std::sin(std::numbers::pi * c.rank / 6.0);
    matrix[a * n + b] = matrix[b * n + a] = r;
  }
  return matrix;
}

std::string correlation_problem(const std::vector<UncertainInput>& inputs,
                                const std::vector<double>& matrix) {
  const std::size_t n = inputs.size();
  if (n == 0) return "";
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(as_matrix(matrix, n));
  const double smallest = solver.eigenvalues()(0);
  if (smallest > 1e-10) return "";
  // The inputs the offending direction weighs most: they cannot be correlated as asked.
  const Eigen::VectorXd direction = solver.eigenvectors().col(0);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i)
    if (std::abs(direction(static_cast<Eigen::Index>(i))) > 0.25) names.push_back(inputs[i].name);
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
  return fmt::format(
      "the correlations are not a valid correlation matrix (its smallest eigenvalue is {:.4g}, "
      "not above 0): the correlations among {} contradict each other",
      smallest, list);
}

PreparedInputs prepare_inputs(const Parameters& parameters) {
  PreparedInputs prepared{parameters.inputs, {}, {}};
  if (parameters.correlations.empty()) return prepared;
  const std::size_t n = prepared.inputs.size();
  const Eigen::LLT<Eigen::MatrixXd> llt(
      as_matrix(normal_scale_correlation(prepared.inputs, parameters.correlations), n));
  const Eigen::MatrixXd lower = llt.matrixL();
  prepared.cholesky.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) prepared.cholesky[i * n + j] = lower(i, j);
  return prepared;
}

void draw_inputs(const PreparedInputs& prepared, std::uint64_t seed, std::uint64_t index,
                 std::vector<double>& values) {
  const std::size_t n = prepared.inputs.size();
  values.resize(n);
  std::vector<double> uniforms(n);
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream rng(seed, index, Stream::inputs, 0, Subject{stable_id(prepared.inputs[i].name)});
    uniforms[i] = rng.uniform();
  }
  if (!prepared.cholesky.empty()) {
    // Gaussian copula: z = L e for independent normal scores e; u = Phi(z).
    const boost::math::normal_distribution<> normal;
    std::vector<double> scores(n);
    for (std::size_t i = 0; i < n; ++i) scores[i] = boost::math::quantile(normal, uniforms[i]);
    for (std::size_t i = 0; i < n; ++i) {
      double z = 0.0;
      for (std::size_t j = 0; j <= i; ++j) z += prepared.cholesky[i * n + j] * scores[j];
      uniforms[i] = boost::math::cdf(normal, z);
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    values[i] = i < prepared.fixed.size() && prepared.fixed[i]
                    ? *prepared.fixed[i]
                    : truncated_quantile(prepared.inputs[i].distribution, prepared.inputs[i].range,
                                         uniforms[i]);
}

void apply_inputs(const PreparedInputs& prepared, const std::vector<double>& values,
                  Parameters& parameters) {
  for_each_quantity(parameters, [&](const std::string& place, double& value) {
    for (std::size_t i = 0; i < prepared.inputs.size(); ++i)
      if (sets_place(prepared.inputs[i].place, place)) value = values[i];
  });
}

void draw_regimes(const Regimes& regimes, int horizon, std::uint64_t seed, std::uint64_t index,
                  std::vector<int>& path) {
  path.assign(horizon, regimes.start);
  for (int t = 2; t <= horizon; ++t) {
    const int from = path[t - 2];
    RandomStream rng(seed, index, Stream::regimes, static_cast<std::uint64_t>(t));
    double u = rng.uniform();
    int to = from;  // the rest of the row stays
    for (std::size_t s = 0; s < regimes.transitions[from].size(); ++s) {
      if (static_cast<int>(s) == from) continue;
      if (u < regimes.transitions[from][s]) {
        to = static_cast<int>(s);
        break;
      }
      u -= regimes.transitions[from][s];
    }
    path[t - 1] = to;
  }
}

}  // namespace tenure
