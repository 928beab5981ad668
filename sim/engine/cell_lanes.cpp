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
#include "sim/engine/sleef_functions.hpp"

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

// The uniform of each lane's word, as RandomStream::to_uniform makes it.
hn::Vec<hn::ScalableTag<double>> Uniform(const std::uint64_t* word) {
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
VF LogComplement(VF p) {
  return {Sleef_finz_log1pd8_u10avx512f(hn::Neg(p).raw)};
}
VF NoneProbability(VF trials, VF log_q) {
  return {Sleef_finz_expd8_u10avx512f(hn::Mul(trials, log_q).raw)};
}
#elif HWY_ARCH_X86 && HWY_TARGET == HWY_AVX2
VF LogComplement(VF p) {
  return {Sleef_finz_log1pd4_u10avx2(hn::Neg(p).raw)};
}
VF NoneProbability(VF trials, VF log_q) {
  return {Sleef_finz_expd4_u10avx2(hn::Mul(trials, log_q).raw)};
}
#else
VF LogComplement(VF p) {
  const DF d;
  HWY_ALIGN double lane[hn::MaxLanes(d)];
  hn::Store(p, d, lane);
  for (std::size_t l = 0; l < hn::Lanes(d); ++l) lane[l] = log_complement(lane[l]);
  return hn::Load(d, lane);
}
VF NoneProbability(VF trials, VF log_q) {
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
VF SumFromNone(const SmallMean& x, VF none, hn::Mask<DF> todo, hn::Mask<DF>& unfinished) {
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

// binomial_quantile (samplers.cpp) in lanes, for the draws of small mean: the shortcut to 0
// (certainly_none_below), then the sum from P(X = 0), where the lanes need it.
std::uint64_t BinomialRow(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
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
    const auto settled = hn::Or(empty, hn::And(small, hn::Le(v, below)));
    VF drawn = hn::IfThenElseZero(hn::AndNot(empty, flip), trials);  // settled_count
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

const char* LanesTarget() {
  return hwy::TargetName(HWY_TARGET);
}

}  // namespace HWY_NAMESPACE
}  // namespace tenure
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tenure {

HWY_EXPORT(PhiloxRow);
HWY_EXPORT(BinomialRow);
HWY_EXPORT(LanesTarget);

void philox_row(const std::array<std::uint64_t, 4>& counter, std::uint64_t seed,
                const WorldRow<std::uint64_t>& world,
                std::array<WorldRow<std::uint64_t>, 4>& word) {
  HWY_DYNAMIC_DISPATCH(PhiloxRow)(counter, seed, world, word);
}

std::uint64_t binomial_row(const WorldRow<std::uint64_t>& word, const WorldRow<std::int64_t>& n,
                           const WorldRow<double>& probability, const WorldRow<double>* log_q,
                           WorldRow<std::int64_t>& count) {
  return HWY_DYNAMIC_DISPATCH(BinomialRow)(word, n, probability, log_q, count);
}

std::string lanes_target() {
  return HWY_DYNAMIC_DISPATCH(LanesTarget)();
}

}  // namespace tenure
#endif
