// The parts of a cell's draws that are the same arithmetic in every world of a block, in
// SIMD lanes (the kernel's block steps, block_steps.cpp): the first Philox block of each world's
// stream of the cell's segment, and its binomial draws of small mean (the shortcut to 0, the
// probability of none, the sum from it). All give exactly what the scalar code gives, bit for
// bit: Philox is integer arithmetic; the draws are products, sums, a division and comparisons,
// rounded as IEEE arithmetic rounds them (the files that compile them, cell_lanes.cpp and
// block_steps.cpp, and the samplers' are compiled without contracting a product and a sum into
// one multiply-add), and a logarithm and exponential from SLEEF's deterministic functions,
// whose vector forms give the bits of the scalar form the samplers call (samplers.hpp). So a
// world's draws do not depend on the instruction set, nor on the other worlds of its block.
//
// The instruction set is chosen when the program starts (Highway's dynamic dispatch):
// AVX-512 where the processor has it, else AVX2, else SSE4, else plain C++.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace tenure {

// Worlds stepped through the periods together, at most this many: the churn and migration
// of a cell run across them (the kernel's lanes).
inline constexpr std::size_t kBlockWorlds = 16;

template <typename T>
using WorldRow = std::array<T, kBlockWorlds>;

// The keys of a block's worlds' streams (RandomStream's): the seed they share and each
// world's index.
struct StreamKeys {
  std::uint64_t seed = 0;
  WorldRow<std::uint64_t> world{};
};

// The Philox4x64-10 blocks with counter `counter` of the streams keyed `keys`: word[k][l] is
// the k-th word of world l's block, as RandomStream::next_u64() gives them.
void philox_row(const std::array<std::uint64_t, 4>& counter, const StreamKeys& keys,
                std::span<WorldRow<std::uint64_t>, 4> word);

// Binomial draws in a row of worlds: world l draws from n[l] trials with probability p[l] at
// the uniform RandomStream::to_uniform(word[l]). Sets count[l] = binomial_quantile(u_l, n[l],
// p[l]) (samplers.hpp), bit for bit, for every world whose mean n[l] min(p[l], 1 - p[l]) is
// below kSearchFromZeroBelow, and returns the bits of the others, left to the scalar sampler.
// log_q, unless null, holds PreparedBinomial(p[l]).log_q() for each world (else it is
// computed here).
std::uint64_t binomial_row(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                           const WorldRow<double>& p, const WorldRow<double>* log_q,
                           WorldRow<std::int64_t>& count);

// The instruction set in use ("AVX3" is AVX-512).
std::string lanes_target();

}  // namespace tenure
