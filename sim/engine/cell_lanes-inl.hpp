// The lanes of cell_lanes.hpp, for each instruction set (Highway's per-target header): included
// by cell_lanes.cpp, which dispatches to them, and by the block steps (block_steps.cpp), which
// are compiled for the same instruction sets and call them directly. See cell_lanes.hpp for
// what they give and why it is the scalar code's bits.

// Highway's guard for per-target headers: the body is read once for each target.
#if defined(TENURE_ENGINE_CELL_LANES_INL_HPP_) == defined(HWY_TARGET_TOGGLE)  // NOLINT
#ifdef TENURE_ENGINE_CELL_LANES_INL_HPP_
#undef TENURE_ENGINE_CELL_LANES_INL_HPP_
#else
#define TENURE_ENGINE_CELL_LANES_INL_HPP_
#endif

#include <Random123/philox.h>
#include <hwy/highway.h>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/samplers.hpp"
#include "sim/engine/sleef_functions.hpp"

HWY_BEFORE_NAMESPACE();
namespace tenure {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D64 = hn::ScalableTag<std::uint64_t>;
using V64 = hn::Vec<D64>;

// Philox4x64's multipliers and the Weyl constants that bump its key between rounds
// (Random123's).
constexpr std::uint64_t kPhiloxM0 = 0xD2E7470EE14C6C93ull, kPhiloxM1 = 0xCA5A826395121157ull;
constexpr std::uint64_t kPhiloxW0 = 0x9E3779B97F4A7C15ull, kPhiloxW1 = 0xBB67AE8584CAA73Bull;

// The 128-bit product of each lane and a constant, as (high, low) words, from four products
// of 32-bit halves, since no instruction set multiplies 64-bit lanes to 128 bits. The partial
// sums are ordered so that none overflows (each is at most (2^32 - 1)^2 + 2^32 - 1) and so
// that the low word is a blend of two of them rather than a shift, a mask and an or. Without
// SIMD, Random123's own multiplication.
#if HWY_TARGET == HWY_SCALAR
inline void MulWide(D64 d, V64 a, std::uint64_t b, V64& high, V64& low) {
  std::uint64_t high_word = 0;
  low = hn::Set(d, ::mulhilo64(hn::GetLane(a), b, &high_word));
  high = hn::Set(d, high_word);
}
#else
inline void MulWide(D64 d, V64 a, std::uint64_t b, V64& high, V64& low) {
  const hn::Repartition<std::uint32_t, D64> d32;
  const auto product = [&](V64 x, V64 y) {  // of the low halves, to 64 bits
    return hn::MulEven(hn::BitCast(d32, x), hn::BitCast(d32, y));
  };
  const V64 a_high = hn::ShiftRight<32>(a);
  const V64 b_low = hn::Set(d, b & 0xffffffffull), b_high = hn::Set(d, b >> 32);
  const V64 ll = product(a, b_low), lh = product(a, b_high);
  const V64 hl = product(a_high, b_low), hh = product(a_high, b_high);
  const V64 t = hn::Add(hl, hn::ShiftRight<32>(ll));
  const V64 u = hn::Add(lh, hn::And(t, hn::Set(d, 0xffffffffull)));
  high = hn::Add(hn::Add(hh, hn::ShiftRight<32>(t)), hn::ShiftRight<32>(u));
  // (u mod 2^32) 2^32 + (ll mod 2^32): u's low half in the odd 32-bit lane, ll's in the even.
  low = hn::BitCast(d, hn::OddEven(hn::DupEven(hn::BitCast(d32, u)), hn::BitCast(d32, ll)));
}
#endif

// Philox4x64-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC11): ten
// rounds of two multiplications, the key bumped by the Weyl constants between rounds.
// Every lane starts from the same counter and first key word, and only the second key word
// (the world) differs, so round 0's products and round 1's first product are the same in
// every lane: they are made once, by Random123's scalar multiplication.
inline void PhiloxRow(const std::array<std::uint64_t, 4>& counter, const StreamKeys& keys,
                      std::span<WorldRow<std::uint64_t>, 4> word) {
  const D64 d;
  const std::uint64_t seed = keys.seed;
  std::uint64_t high0 = 0, high1 = 0;  // round 0, with keys (seed, world)
  const std::uint64_t low0 = ::mulhilo64(counter[0], kPhiloxM0, &high0);
  const std::uint64_t low1 = ::mulhilo64(counter[2], kPhiloxM1, &high1);
  const std::uint64_t shared_x0 = high1 ^ counter[1] ^ seed;  // its x2 is high0 ^ x3 ^ world
  std::uint64_t next_high0 = 0;  // round 1's first product, of the shared x0
  const std::uint64_t next_low0 = ::mulhilo64(shared_x0, kPhiloxM0, &next_high0);
  for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(d)) {
    const V64 lane_world = hn::LoadU(d, keys.world.data() + first);
    V64 k0 = hn::Set(d, seed + kPhiloxW0), k1 = hn::Add(lane_world, hn::Set(d, kPhiloxW1));
    V64 x0, x1, x2, x3;
    {  // round 1: x0 = shared_x0, x1 = low1, x2 per lane, x3 = low0
      const V64 round0_x2 = hn::Xor(hn::Set(d, high0 ^ counter[3]), lane_world);
      V64 high, low;
      MulWide(d, round0_x2, kPhiloxM1, high, low);
      x0 = hn::Xor(high, hn::Set(d, low1 ^ (seed + kPhiloxW0)));
      x1 = low;
      x2 = hn::Xor(hn::Set(d, next_high0 ^ low0), k1);
      x3 = hn::Set(d, next_low0);
    }
    for (int round = 2; round < 10; ++round) {
      k0 = hn::Add(k0, hn::Set(d, kPhiloxW0));
      k1 = hn::Add(k1, hn::Set(d, kPhiloxW1));
      V64 high0_lanes, low0_lanes, high1_lanes, low1_lanes;
      MulWide(d, x0, kPhiloxM0, high0_lanes, low0_lanes);
      MulWide(d, x2, kPhiloxM1, high1_lanes, low1_lanes);
      x0 = hn::Xor(hn::Xor(high1_lanes, x1), k0);
      x2 = hn::Xor(hn::Xor(high0_lanes, x3), k1);
      x1 = low1_lanes;
      x3 = low0_lanes;
    }
    hn::StoreU(x0, d, word[0].data() + first);
    hn::StoreU(x1, d, word[1].data() + first);
    hn::StoreU(x2, d, word[2].data() + first);
    hn::StoreU(x3, d, word[3].data() + first);
  }
}

// The uniform of each lane's word, as RandomStream::to_uniform makes it.
inline hn::Vec<hn::ScalableTag<double>> Uniform(const std::uint64_t* word) {
  const hn::ScalableTag<double> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::RebindToUnsigned<decltype(d)> du;
  const auto bits = hn::Or(hn::ShiftRight<11>(hn::LoadU(du, word)), hn::Set(du, 1));
  return hn::Mul(hn::ConvertTo(d, hn::BitCast(di, bits)), hn::Set(d, 0x1.0p-53));
}

// log_complement(p) and none_probability(n, log_q) of samplers.hpp in lanes: SLEEF's
// deterministic functions of this width, which give the bits of the scalar ones; without
// them (narrower instruction sets, other processors), the scalar ones lane by lane.
using DF = hn::ScalableTag<double>;
using VF = hn::Vec<DF>;
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
inline VF LogComplement(VF p) {
  return {Sleef_finz_log1pd8_u10avx512f(hn::Neg(p).raw)};
}
inline VF NoneProbability(VF trials, VF log_q) {
  return {Sleef_finz_expd8_u10avx512f(hn::Mul(trials, log_q).raw)};
}
#elif HWY_ARCH_X86 && HWY_TARGET == HWY_AVX2
inline VF LogComplement(VF p) {
  return {Sleef_finz_log1pd4_u10avx2(hn::Neg(p).raw)};
}
inline VF NoneProbability(VF trials, VF log_q) {
  return {Sleef_finz_expd4_u10avx2(hn::Mul(trials, log_q).raw)};
}
#else
inline VF LogComplement(VF p) {
  const DF d;
  HWY_ALIGN double lane[hn::MaxLanes(d)];
  hn::Store(p, d, lane);
  for (std::size_t l = 0; l < hn::Lanes(d); ++l) lane[l] = log_complement(lane[l]);
  return hn::Load(d, lane);
}
inline VF NoneProbability(VF trials, VF log_q) {
  const DF d;
  HWY_ALIGN double n[hn::MaxLanes(d)], q[hn::MaxLanes(d)];
  hn::Store(trials, d, n);
  hn::Store(log_q, d, q);
  for (std::size_t l = 0; l < hn::Lanes(d); ++l)
    n[l] = none_probability(static_cast<std::int64_t>(n[l]), q[l]);
  return hn::Load(d, n);
}
#endif

// What sum_until (samplers.cpp) reads of a binomial draw of small mean, in lanes.
struct SmallMean {
  VF v, trials, odds, mean;
};

// sum_until of samplers.cpp for the binomial from P(X = 0) = none, in the lanes of `todo`,
// step for step: every lane starts at 0 and goes through the same counts (two one at a time,
// then four at a time), so they all stand at the same k and one pass serves them all, each
// lane's products and sums rounded as the scalar ones are. Returns each lane's count; the
// lanes the sum would take past the tabulated reciprocals (never, for a mean below
// kSearchFromZeroBelow) are set in `unfinished`, for the scalar sum.
inline VF SumFromNone(const SmallMean& x, VF none, hn::Mask<DF> todo, hn::Mask<DF>& unfinished) {
  const DF d;
  const VF zero = hn::Zero(d), after_last = hn::Add(x.trials, hn::Set(d, 1.0));
  const auto ratio = [&](double j) {  // P(X = j) / P(X = j - 1): p / q (n - j + 1) / j
    const VF numerator = hn::Mul(x.odds, hn::Sub(after_last, hn::Set(d, j)));
    return hn::Mul(numerator, hn::Set(d, 1.0 / j));
  };
  VF count = zero, mass = none, sum = none;
  auto done = hn::Not(todo);
  const auto end_at = [&](hn::Mask<DF> end, VF k) {
    count = hn::IfThenElse(end, k, count);
    done = hn::Or(done, end);
  };
  double k = 0.0;
  for (int step = 0; step < 2; ++step, k += 1.0) {  // one at a time
    end_at(hn::AndNot(done, hn::Or(hn::Le(x.v, sum), hn::Eq(hn::Set(d, k), x.trials))),
           hn::Set(d, k));
    if (hn::AllTrue(d, done)) return count;
    mass = hn::Mul(mass, ratio(k + 1.0));
    sum = hn::Add(sum, mass);
  }
  end_at(hn::AndNot(done, hn::Le(x.v, sum)), hn::Set(d, k));
  for (; !hn::AllTrue(d, done); k += 4.0) {  // four at a time
    if (k + 4.0 >= kReciprocals) {
      unfinished = hn::Not(done);
      break;
    }
    const VF r1 = ratio(k + 1.0), r2 = ratio(k + 2.0), r3 = ratio(k + 3.0), r4 = ratio(k + 4.0);
    const VF p2 = hn::Mul(r1, r2), p3 = hn::Mul(p2, r3), p4 = hn::Mul(p3, r4);
    const VF q2 = hn::Add(r1, p2), q3 = hn::Add(q2, p3), q4 = hn::Add(q3, p4);
    const VF s1 = hn::Add(sum, hn::Mul(mass, r1)), s2 = hn::Add(sum, hn::Mul(mass, q2));
    const VF s3 = hn::Add(sum, hn::Mul(mass, q3)), s4 = hn::Add(sum, hn::Mul(mass, q4));
    const auto first_of = [&](hn::Mask<DF> at1, hn::Mask<DF> at2, hn::Mask<DF> at3) {
      return hn::IfThenElse(
          at1, hn::Set(d, k + 1.0),
          hn::IfThenElse(at2, hn::Set(d, k + 2.0),
                         hn::IfThenElse(at3, hn::Set(d, k + 3.0), hn::Set(d, k + 4.0))));
    };
    end_at(hn::AndNot(done, hn::Le(x.v, s4)),
           first_of(hn::Le(x.v, s1), hn::Le(x.v, s2), hn::Le(x.v, s3)));
    // The sum stopped growing past the mean: the draw ends where it stopped.
    end_at(hn::AndNot(done, hn::And(hn::Lt(x.mean, hn::Set(d, k)), hn::Eq(s4, s3))),
           first_of(hn::Eq(s1, sum), hn::Eq(s2, s1), hn::Eq(s3, s2)));
    mass = hn::Mul(mass, p4);
    sum = s4;
  }
  return hn::Min(count, x.trials);  // never past n
}

// The lanes whose draw the bounds certainly_some_above and certainly_one_below of
// samplers.hpp settle at 1 (mean below 1, the uniform between them).
inline hn::Mask<DF> SettlesOne(VF v, VF trials, VF p, VF mean) {
  const DF d;
  const VF one = hn::Set(d, 1.0), margin = hn::Set(d, kCertainlyNoneMargin);
  const VF fewer_mean = hn::Mul(hn::Sub(trials, one), p);
  const VF some_above = hn::Add(
      hn::Add(hn::Sub(one, mean), hn::Mul(hn::Set(d, 0.5), hn::Mul(mean, fewer_mean))), margin);
  const VF one_below = hn::Sub(hn::Sub(one, hn::Mul(fewer_mean, fewer_mean)), margin);
  return hn::And(hn::Lt(mean, one), hn::And(hn::Gt(v, some_above), hn::Le(v, one_below)));
}

// binomial_quantile (samplers.cpp) in lanes, for the draws of small mean: the shortcut to 0
// (certainly_none_below) and the bounds that settle 1, then the sum from P(X = 0), where the
// lanes need it.
inline std::uint64_t BinomialRow(const WorldRow<std::uint64_t>& word,
                                 const WorldRow<std::int64_t>& n,
                                 const WorldRow<double>& probability, const WorldRow<double>* log_q,
                                 WorldRow<std::int64_t>& count) {
  const DF d;
  const hn::RebindToSigned<DF> di;
  const VF one = hn::Set(d, 1.0), zero = hn::Zero(d);
  std::uint64_t left = 0;
  for (std::size_t first = 0; first < kBlockWorlds; first += hn::Lanes(d)) {
    const VF u = Uniform(word.data() + first), given = hn::LoadU(d, probability.data() + first);
    // sampled_probability: NaN and p <= 0 as 0, p > 1 as 1; with p > 1/2 the failures
    const auto positive = hn::Gt(given, zero);
    const VF clamped = hn::IfThenElseZero(positive, hn::Min(given, one));
    const auto flip = hn::Gt(clamped, hn::Set(d, 0.5));
    const VF p = hn::IfThenElse(flip, hn::Sub(one, clamped), clamped);
    const VF trials = hn::ConvertTo(d, hn::LoadU(di, n.data() + first));  // exact below 2^53
    const VF v = hn::IfThenElse(flip, hn::Sub(one, u), u), mean = hn::Mul(trials, p);
    const VF below = hn::Sub(hn::Sub(one, mean), hn::Set(d, kCertainlyNoneMargin));
    const auto small = hn::Lt(mean, hn::Set(d, kSearchFromZeroBelow));
    const auto empty = hn::Le(trials, zero);
    const auto none = hn::Or(empty, hn::And(small, hn::Le(v, below)));
    const auto single = hn::AndNot(none, SettlesOne(v, trials, p, mean));
    const auto settled = hn::Or(none, single);
    VF drawn = hn::IfThenElseZero(hn::AndNot(empty, flip), trials);  // settled_count
    drawn = hn::IfThenElse(single, hn::IfThenElse(flip, hn::Sub(trials, one), one), drawn);
    const auto todo = hn::AndNot(settled, small);
    auto unfinished = hn::FirstN(d, 0);
    if (!hn::AllFalse(d, todo)) {
      const VF lq = log_q ? hn::LoadU(d, log_q->data() + first) : LogComplement(p);
      const SmallMean x{v, trials, hn::Div(p, hn::Sub(one, p)), mean};
      const VF k = SumFromNone(x, NoneProbability(trials, lq), todo, unfinished);
      drawn = hn::IfThenElse(todo, hn::IfThenElse(flip, hn::Sub(trials, k), k), drawn);
    }
    hn::StoreU(hn::ConvertTo(di, drawn), di, count.data() + first);
    std::uint8_t bits[8] = {};
    hn::StoreMaskBits(d, hn::Or(hn::AndNot(settled, hn::Not(small)), unfinished), bits);
    left |= static_cast<std::uint64_t>(bits[0]) << first;
  }
  return left;
}

}  // namespace HWY_NAMESPACE
}  // namespace tenure
HWY_AFTER_NAMESPACE();

#endif  // TENURE_ENGINE_CELL_LANES_INL_HPP_
