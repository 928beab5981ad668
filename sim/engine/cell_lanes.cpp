// Compiled once per instruction set by Highway's foreach_target; the dispatch at the end
// calls the best one the processor has.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "sim/engine/cell_lanes.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
// clang-format: the includes above must come first.
#include <Random123/philox.h>
#include <hwy/highway.h>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/samplers.hpp"

HWY_BEFORE_NAMESPACE();
namespace tenure {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D64 = hn::ScalableTag<std::uint64_t>;
using V64 = hn::Vec<D64>;

// The 128-bit product of each lane and a constant, as (high, low) words: four products of
// 32-bit halves (Knuth's multiplication), since no instruction set multiplies 64-bit lanes
// to 128 bits. Without SIMD, Random123's own multiplication.
#if HWY_TARGET == HWY_SCALAR
void MulWide(D64 d, V64 a, std::uint64_t b, V64& high, V64& low) {
  std::uint64_t high_word = 0;
  low = hn::Set(d, ::mulhilo64(hn::GetLane(a), b, &high_word));
  high = hn::Set(d, high_word);
}
#else
void MulWide(D64 d, V64 a, std::uint64_t b, V64& high, V64& low) {
  const hn::Repartition<std::uint32_t, D64> d32;
  const V64 mask = hn::Set(d, 0xffffffffull);
  const auto product = [&](V64 x, V64 y) {
    return hn::MulEven(hn::BitCast(d32, x), hn::BitCast(d32, y));  // low halves, to 64 bits
  };
  const V64 a_low = hn::And(a, mask), a_high = hn::ShiftRight<32>(a);
  const V64 b_low = hn::Set(d, b & 0xffffffffull), b_high = hn::Set(d, b >> 32);
  const V64 ll = product(a_low, b_low), lh = product(a_low, b_high);
  const V64 hl = product(a_high, b_low), hh = product(a_high, b_high);
  const V64 middle = hn::Add(hn::Add(hn::ShiftRight<32>(ll), hn::And(lh, mask)), hn::And(hl, mask));
  high = hn::Add(hn::Add(hh, hn::ShiftRight<32>(lh)),
                 hn::Add(hn::ShiftRight<32>(hl), hn::ShiftRight<32>(middle)));
  low = hn::Or(hn::And(ll, mask), hn::ShiftLeft<32>(middle));
}
#endif

// Philox4x64-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC11): ten
// rounds of two multiplications, the key bumped by the Weyl constants between rounds; the
// constants are Random123's.
void PhiloxRow(const std::array<std::uint64_t, 4>& counter, std::uint64_t seed,
               const WorldRow<std::uint64_t>& world, std::array<WorldRow<std::uint64_t>, 4>& word) {
  const D64 d;
  for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(d)) {
    V64 x0 = hn::Set(d, counter[0]), x1 = hn::Set(d, counter[1]);
    V64 x2 = hn::Set(d, counter[2]), x3 = hn::Set(d, counter[3]);
    V64 k0 = hn::Set(d, seed), k1 = hn::LoadU(d, world.data() + first);
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k0 = hn::Add(k0, hn::Set(d, 0x9E3779B97F4A7C15ull));
        k1 = hn::Add(k1, hn::Set(d, 0xBB67AE8584CAA73Bull));
      }
      V64 high0, low0, high1, low1;
      MulWide(d, x0, 0xD2E7470EE14C6C93ull, high0, low0);
      MulWide(d, x2, 0xCA5A826395121157ull, high1, low1);
      const V64 y0 = hn::Xor(hn::Xor(high1, x1), k0), y2 = hn::Xor(hn::Xor(high0, x3), k1);
      x0 = y0;
      x1 = low1;
      x2 = y2;
      x3 = low0;
    }
    hn::StoreU(x0, d, word[0].data() + first);
    hn::StoreU(x1, d, word[1].data() + first);
    hn::StoreU(x2, d, word[2].data() + first);
    hn::StoreU(x3, d, word[3].data() + first);
  }
}

// PreparedBinomial::certain in lanes: v = 1 - u when counting failures, else u; the draw is
// settled when n <= 0, or when n p < kSearchFromZeroBelow and v <= 1 - n p - 1e-14.
std::uint64_t UnsettledRow(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                           const WorldRow<double>& smaller, const WorldRow<double>& complement) {
  const hn::ScalableTag<double> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::RebindToUnsigned<decltype(d)> du;
  const auto one = hn::Set(d, 1.0), zero = hn::Zero(d);
  std::uint64_t unsettled = 0;
  for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(d)) {
    const auto bits =
        hn::Or(hn::ShiftRight<11>(hn::LoadU(du, word.data() + first)), hn::Set(du, 1));
    const auto u = hn::Mul(hn::ConvertTo(d, hn::BitCast(di, bits)), hn::Set(d, 0x1.0p-53));
    const auto trials = hn::ConvertTo(d, hn::LoadU(di, n.data() + first));  // exact below 2^53
    const auto flip = hn::Ne(hn::LoadU(d, complement.data() + first), zero);
    const auto v = hn::IfThenElse(flip, hn::Sub(one, u), u);
    const auto mean = hn::Mul(trials, hn::LoadU(d, smaller.data() + first));
    const auto below = hn::Sub(hn::Sub(one, mean), hn::Set(d, kCertainlyNoneMargin));
    const auto none = hn::And(hn::Lt(mean, hn::Set(d, kSearchFromZeroBelow)), hn::Le(v, below));
    const auto empty = hn::Le(trials, zero);
    std::uint8_t mask[8] = {};
    hn::StoreMaskBits(d, hn::Not(hn::Or(empty, none)), mask);
    unsettled |= static_cast<std::uint64_t>(mask[0]) << first;
  }
  return unsettled;
}

const char* LanesTarget() {
  return hwy::TargetName(HWY_TARGET);
}

}  // namespace HWY_NAMESPACE
}  // namespace tenure
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tenure {

HWY_EXPORT(PhiloxRow);
HWY_EXPORT(UnsettledRow);
HWY_EXPORT(LanesTarget);

void philox_row(const std::array<std::uint64_t, 4>& counter, std::uint64_t seed,
                const WorldRow<std::uint64_t>& world,
                std::array<WorldRow<std::uint64_t>, 4>& word) {
  HWY_DYNAMIC_DISPATCH(PhiloxRow)(counter, seed, world, word);
}

std::uint64_t unsettled_row(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                            const WorldRow<double>& smaller, const WorldRow<double>& complement) {
  return HWY_DYNAMIC_DISPATCH(UnsettledRow)(word, n, smaller, complement);
}

std::string lanes_target() {
  return HWY_DYNAMIC_DISPATCH(LanesTarget)();
}

}  // namespace tenure
#endif
