// Spearman's rank correlation: the correlation of the ranks, ties given their average rank.
#pragma once

#include <span>

namespace tenure {

// NaN when either sample is constant (no ranking) or they differ in length.
double rank_correlation(std::span<const double> x, std::span<const double> y);

}  // namespace tenure
