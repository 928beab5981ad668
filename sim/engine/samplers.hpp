// Exact samplers for integer counts: binomial, Poisson, multinomial.
//
// Exact means the draws follow the stated distribution (inversion or rejection), never a
// normal approximation. They are our own code, not <random>, so results do not depend on
// the standard library, and they are cheap to call with parameters that change on every
// call (the kernel's cells change size every period).
#pragma once

#include <cstdint>
#include <span>

#include "sim/engine/random.hpp"

namespace tenure {

// Number of successes in n independent trials of probability p (p outside [0, 1] is clamped).
std::int64_t binomial(RandomStream& rng, std::int64_t n, double p);

// Poisson count with the given mean (mean <= 0 gives 0).
std::int64_t poisson(RandomStream& rng, double mean);

// Splits n trials over categories with the given probabilities (each >= 0, sum <= 1) by
// conditional binomials, writing counts[i]. Returns the number left over, i.e. the count
// of the implicit last category with probability 1 - sum. counts.size() == probabilities.size().
std::int64_t multinomial(RandomStream& rng, std::int64_t n, std::span<const double> probabilities,
                         std::span<std::int64_t> counts);

}  // namespace tenure
