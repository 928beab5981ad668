// What a world draws before its periods run: the values of the uncertain inputs (correlated
// through a Gaussian copula) and the path of the regime chain. Both are drawn from streams
// keyed by the world and what is drawn, so every policy, sweep point and stress step of a
// world sees the same draws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/parameters.hpp"

namespace tenure {

// The correlation matrix of the inputs on the normal scale of the Gaussian copula: a rank
// correlation r_s becomes 2 sin(pi r_s / 6) (Pearson's, for normal scores), inputs not named
// in any correlation are independent. Row-major, inputs x inputs.
std::vector<double> normal_scale_correlation(const std::vector<UncertainInput>& inputs,
                                             const std::vector<InputCorrelation>& correlations);

// "" when the matrix is a valid correlation matrix (positive definite), else what is wrong:
// the smallest eigenvalue, and the inputs that carry the inconsistency.
std::string correlation_problem(const std::vector<UncertainInput>& inputs,
                                const std::vector<double>& matrix);

// The inputs prepared once per run: the lower Cholesky factor of their correlation (empty
// when they are independent).
struct PreparedInputs {
  std::vector<UncertainInput> inputs;
  std::vector<double> cholesky;  // row-major lower triangle, inputs x inputs
  // An input held at a value in every world (a sensitivity study's swing), the others drawn
  // as usual: the same worlds but for that input.
  std::vector<std::optional<double>> fixed;
};
PreparedInputs prepare_inputs(const Parameters& parameters);

// The inputs' values in world `index`: standard normals from each input's stream, correlated
// by the Cholesky factor, turned into uniforms and drawn by truncated inversion.
void draw_inputs(const PreparedInputs& prepared, std::uint64_t seed, std::uint64_t index,
                 std::vector<double>& values);

// Sets the drawn values into parameters (every number each input's place covers).
void apply_inputs(const PreparedInputs& prepared, const std::vector<double>& values,
                  Parameters& parameters);

// The regime of each period (index t - 1) of world `index`: the start state in period 1,
// then a move per period by inversion of the transition row.
void draw_regimes(const Regimes& regimes, int horizon, std::uint64_t seed, std::uint64_t index,
                  std::vector<int>& path);

}  // namespace tenure
