// The parts of a cell's draws that are the same arithmetic in every world of a block, in
// SIMD lanes (the kernel's churn step, kernel.cpp): the first Philox block of each world's
// stream of the cell, and the test that settles most binomial draws without computing a
// probability (PreparedBinomial::certain). Both give exactly what the scalar code gives, bit
// for bit: Philox is integer arithmetic, and the test is a product, a difference and
// comparisons, rounded as IEEE arithmetic rounds them (the file is compiled without
// contracting a product and a sum into one multiply-add). So a world's draws do not depend
// on the instruction set, nor on the other worlds of its block.
//
// The instruction set is chosen when the program starts (Highway's dynamic dispatch):
// AVX-512 where the processor has it, else AVX2, else SSE4, else plain C++.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tenure {

// Worlds stepped through the periods together, at most this many: the churn and migration
// of a cell run across them (the kernel's lanes).
inline constexpr std::size_t kBlockWorlds = 8;

template <typename T>
using WorldRow = std::array<T, kBlockWorlds>;

// Block 0 of the Philox4x64-10 streams with counter `counter` and keys (seed, world[l]):
// word[k][l] is the k-th word of world l's block, as RandomStream::next_u64() gives them.
void philox_row(const std::array<std::uint64_t, 4>& counter, std::uint64_t seed,
                const WorldRow<std::uint64_t>& world, std::array<WorldRow<std::uint64_t>, 4>& word);

// Binomial draws in a row of worlds: world l draws from n[l] trials with probability p_l at
// the uniform RandomStream::to_uniform(word[l]), p_l given as smaller[l] = min(p_l, 1 - p_l)
// and complement[l] (1 if p_l > 1/2, else 0). Returns the bits of the worlds whose draw the
// test of PreparedBinomial::certain does not settle; a settled draw is 0, or n[l] with
// complement[l] (PreparedBinomial::certain_count).
std::uint64_t unsettled_row(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                            const WorldRow<double>& smaller, const WorldRow<double>& complement);

// The instruction set in use ("AVX3" is AVX-512).
std::string lanes_target();

}  // namespace tenure
