// The bare samplers: nanoseconds per draw, with parameters changing on every call as they
// do in the kernel, against Boost.Random and libstdc++ on the same random stream; the
// prepared forms, for probabilities shared by many draws; and 8 draws at a time in SIMD lanes.
#include <benchmark/benchmark.h>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/samplers.hpp"

namespace {

// RandomStream as a standard uniform random bit generator, for the library samplers.
struct StreamBits {
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return stream.next_u64(); }
  tenure::RandomStream stream{1, 0, tenure::Stream::benchmark, 0};
};

void BM_Uniform(benchmark::State& state) {
  tenure::RandomStream rng(1, 0, tenure::Stream::benchmark, 0);
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Uniform);

// A Philox block of each of a block's worlds' streams at once (philox_row, in SIMD lanes), as
// the kernel makes a cell's words; items are Philox blocks (4 words each). Its scalar
// counterpart: BM_PhiloxBlock.
void BM_PhiloxRow(benchmark::State& state) {
  tenure::StreamKeys keys{1, {}};
  for (std::size_t l = 0; l < tenure::kBlockWorlds; ++l) keys.world[l] = 1000 + l;
  std::array<std::uint64_t, 4> counter =
      tenure::RandomStream::counter(tenure::Stream::benchmark, 1, tenure::Subject{});
  std::array<tenure::WorldRow<std::uint64_t>, 4> word;
  for (auto _ : state) {
    ++counter[1];
    tenure::philox_row(counter, keys, word);
    benchmark::DoNotOptimize(word);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tenure::kBlockWorlds));
  state.SetLabel(tenure::lanes_target());
}
BENCHMARK(BM_PhiloxRow);

// One world's Philox block at a time (RandomStream, Random123's scalar code).
void BM_PhiloxBlock(benchmark::State& state) {
  tenure::RandomStream rng(1, 0, tenure::Stream::benchmark, 0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(rng.next_u64());
    benchmark::DoNotOptimize(rng.next_u64());
    benchmark::DoNotOptimize(rng.next_u64());
    benchmark::DoNotOptimize(rng.next_u64());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhiloxBlock);

// The kernel's mix of binomial draws on the baseline (measured there): n p spread over
// 2^-9 .. 2^8 with these weights per doubling, median about 1, half the draws 0; cells of
// 20 to 6,000 customers. 4,096 (n, p) pairs, drawn once, taken in turn.
struct Draw {
  std::int64_t n;
  double p;
};
const std::vector<Draw>& kernel_mix() {
  static const std::vector<Draw> mix = [] {
    const std::vector<double> weights = {1,   3,   28,  132, 235, 321, 424, 726, 773,
                                         577, 563, 287, 79,  23,  43,  60,  1};
    std::mt19937_64 random(7);
    std::discrete_distribution<int> octave(weights.begin(), weights.end());
    std::uniform_real_distribution<double> within(0.0, 1.0);
    std::vector<Draw> draws;
    for (int i = 0; i < 4096; ++i) {
      const double mean = std::ldexp(std::exp2(within(random)), octave(random) - 9);
      const double lowest = std::max(20.0, 4 * mean);
      const auto n = static_cast<std::int64_t>(lowest + within(random) * (6000 - lowest));
      draws.push_back({n, mean / static_cast<double>(n)});
    }
    return draws;
  }();
  return mix;
}

template <typename Sample>
void kernel_mix_draws(benchmark::State& state, Sample sample) {
  const std::vector<Draw>& mix = kernel_mix();
  StreamBits bits;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sample(bits, mix[i]));
    i = (i + 1) % mix.size();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_BinomialKernelMix(benchmark::State& state) {
  kernel_mix_draws(state, [](StreamBits& bits, const Draw& d) {
    return tenure::binomial(bits.stream, d.n, d.p);
  });
}
void BM_BoostBinomialKernelMix(benchmark::State& state) {
  kernel_mix_draws(state, [](StreamBits& bits, const Draw& d) {
    return boost::random::binomial_distribution<std::int64_t>(d.n, d.p)(bits);
  });
}
void BM_StdBinomialKernelMix(benchmark::State& state) {
  kernel_mix_draws(state, [](StreamBits& bits, const Draw& d) {
    return std::binomial_distribution<std::int64_t>(d.n, d.p)(bits);
  });
}
// The bare loop: the textbook inversion an analyst would write, from P(X = 0) = q^n up by
// the ratio of successive probabilities, with no care for cost or accuracy (it underflows
// to 0 for q^n below 1e-308 and then returns n). The floor under what inversion can cost.
std::int64_t bare_binomial(double u, std::int64_t n, double p) {
  const double odds = p / (1.0 - p);
  double mass = std::pow(1.0 - p, static_cast<double>(n)), sum = mass;
  std::int64_t k = 0;
  while (u > sum && k < n) {
    mass *= odds * static_cast<double>(n - k) / static_cast<double>(k + 1);
    sum += mass;
    ++k;
  }
  return k;
}
std::int64_t bare_poisson(double u, double mean) {
  double mass = std::exp(-mean), sum = mass;
  std::int64_t k = 0;
  while (u > sum && mass > 0.0) {
    mass *= mean / static_cast<double>(++k);
    sum += mass;
  }
  return k;
}
void BM_BareBinomialKernelMix(benchmark::State& state) {
  kernel_mix_draws(state, [](StreamBits& bits, const Draw& d) {
    return bare_binomial(bits.stream.uniform(), d.n, d.p);
  });
}

BENCHMARK(BM_BinomialKernelMix);
BENCHMARK(BM_BoostBinomialKernelMix);
BENCHMARK(BM_StdBinomialKernelMix);
BENCHMARK(BM_BareBinomialKernelMix);

// The same mix with each probability prepared once and shared by 64 draws of different n,
// as the kernel's migration probabilities are shared by every cell of a tier and period.
void BM_PreparedBinomialKernelMix(benchmark::State& state) {
  const std::vector<Draw>& mix = kernel_mix();
  std::vector<tenure::PreparedBinomial> prepared;
  for (std::size_t i = 0; i < mix.size(); i += 64) prepared.emplace_back(mix[i].p);
  tenure::RandomStream rng(1, 0, tenure::Stream::benchmark, 0);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(prepared[i / 64].draw(rng, mix[i].n));
    i = (i + 1) % mix.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PreparedBinomialKernelMix);

// The same mix a row of draws at a time (kBlockWorlds) in SIMD lanes (binomial_row,
// cell_lanes.hpp), as the kernel draws a cell's churn and moves across a block's worlds, the
// large means it leaves to the scalar sampler. Here the draws of a row are unrelated, so their
// sums differ in length more than the same cell's in a block's worlds do: the kernel's rows
// do better.
void BM_BinomialRowKernelMix(benchmark::State& state) {
  const std::vector<Draw>& mix = kernel_mix();
  tenure::RandomStream rng(1, 0, tenure::Stream::benchmark, 0);
  std::size_t i = 0;
  for (auto _ : state) {
    tenure::WorldRow<std::uint64_t> word;
    tenure::WorldRow<std::int64_t> n, count;
    tenure::WorldRow<double> p;
    for (std::size_t l = 0; l < tenure::kBlockWorlds; ++l, i = (i + 1) % mix.size()) {
      word[l] = rng.next_u64();
      n[l] = mix[i].n;
      p[l] = mix[i].p;
    }
    const std::uint64_t left = tenure::binomial_row(word, n, p, nullptr, count);
    for (std::size_t l = 0; l < tenure::kBlockWorlds; ++l)
      if (left >> l & 1)
        count[l] = tenure::binomial_quantile(tenure::RandomStream::to_uniform(word[l]), n[l], p[l]);
    benchmark::DoNotOptimize(count);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tenure::kBlockWorlds));
  state.SetLabel(tenure::lanes_target());
}
BENCHMARK(BM_BinomialRowKernelMix);

// Binomial draws with n = range(0) and p = range(1) / 1000, by the given sampler.
template <typename Sample>
void binomial_draws(benchmark::State& state, Sample sample) {
  const auto n = state.range(0);
  const double p = static_cast<double>(state.range(1)) / 1000.0;
  StreamBits bits;
  for (auto _ : state) benchmark::DoNotOptimize(sample(bits, n, p));
  state.SetItemsProcessed(state.iterations());
}

void BM_Binomial(benchmark::State& state) {
  binomial_draws(state, [](StreamBits& bits, std::int64_t n, double p) {
    return tenure::binomial(bits.stream, n, p);
  });
}
void BM_PreparedBinomial(benchmark::State& state) {
  const tenure::PreparedBinomial prepared(static_cast<double>(state.range(1)) / 1000.0);
  binomial_draws(state, [&](StreamBits& bits, std::int64_t n, double) {
    return prepared.draw(bits.stream, n);
  });
}
// The library samplers are constructed per draw, as the kernel's parameters change per call.
void BM_BoostBinomial(benchmark::State& state) {
  binomial_draws(state, [](StreamBits& bits, std::int64_t n, double p) {
    return boost::random::binomial_distribution<std::int64_t>(n, p)(bits);
  });
}
void BM_StdBinomial(benchmark::State& state) {
  binomial_draws(state, [](StreamBits& bits, std::int64_t n, double p) {
    return std::binomial_distribution<std::int64_t>(n, p)(bits);
  });
}

// Small mean (summed from 0), a kernel cell's churn (n p 108), large means (summed from
// below the mean: n p 3000; searched with Temme's expansion: n p 300,000); p in thousandths.
#define BINOMIAL_ARGS ->Args({50, 50})->Args({6000, 18})->Args({10000, 300})->Args({1000000, 300})
BENCHMARK(BM_Binomial) BINOMIAL_ARGS;
BENCHMARK(BM_PreparedBinomial) BINOMIAL_ARGS;
BENCHMARK(BM_BoostBinomial) BINOMIAL_ARGS;
BENCHMARK(BM_StdBinomial) BINOMIAL_ARGS;
void BM_BareBinomial(benchmark::State& state) {
  binomial_draws(state, [](StreamBits& bits, std::int64_t n, double p) {
    return bare_binomial(bits.stream.uniform(), n, p);
  });
}
// Only where q^n does not underflow.
BENCHMARK(BM_BareBinomial)->Args({50, 50})->Args({6000, 18});

template <typename Sample>
void poisson_draws(benchmark::State& state, Sample sample) {
  const double mean = static_cast<double>(state.range(0));
  StreamBits bits;
  for (auto _ : state) benchmark::DoNotOptimize(sample(bits, mean));
  state.SetItemsProcessed(state.iterations());
}
void BM_Poisson(benchmark::State& state) {
  poisson_draws(state,
                [](StreamBits& bits, double mean) { return tenure::poisson(bits.stream, mean); });
}
void BM_PreparedPoisson(benchmark::State& state) {
  const tenure::PreparedPoisson prepared(static_cast<double>(state.range(0)));
  poisson_draws(state, [&](StreamBits& bits, double) { return prepared.draw(bits.stream); });
}
void BM_BoostPoisson(benchmark::State& state) {
  poisson_draws(state, [](StreamBits& bits, double mean) {
    return boost::random::poisson_distribution<std::int64_t>(mean)(bits);
  });
}
void BM_StdPoisson(benchmark::State& state) {
  poisson_draws(state, [](StreamBits& bits, double mean) {
    return std::poisson_distribution<std::int64_t>(mean)(bits);
  });
}
// Small mean, the baseline's acquisition (about 400), large means (Temme's expansion).
#define POISSON_ARGS ->Arg(3)->Arg(400)->Arg(5000)->Arg(1000000)
BENCHMARK(BM_Poisson) POISSON_ARGS;
BENCHMARK(BM_PreparedPoisson) POISSON_ARGS;
BENCHMARK(BM_BoostPoisson) POISSON_ARGS;
BENCHMARK(BM_StdPoisson) POISSON_ARGS;
void BM_BarePoisson(benchmark::State& state) {
  poisson_draws(state, [](StreamBits& bits, double mean) {
    return bare_poisson(bits.stream.uniform(), mean);
  });
}
BENCHMARK(BM_BarePoisson)->Arg(3)->Arg(400);  // exp(-mean) underflows beyond 745

}  // namespace
