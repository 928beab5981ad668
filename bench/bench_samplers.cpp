// The bare samplers: nanoseconds per draw, with parameters changing on every call as they
// do in the kernel, against Boost.Random and libstdc++ on the same random stream.
#include <benchmark/benchmark.h>

#include <boost/random/binomial_distribution.hpp>
#include <limits>
#include <random>

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

// Binomial draws with n = range(0) and p = range(1) / 1000, by the given sampler.
template <typename Draw>
void binomial_draws(benchmark::State& state, Draw draw) {
  const auto n = state.range(0);
  const double p = static_cast<double>(state.range(1)) / 1000.0;
  StreamBits bits;
  for (auto _ : state) benchmark::DoNotOptimize(draw(bits, n, p));
  state.SetItemsProcessed(state.iterations());
}

void BM_Binomial(benchmark::State& state) {
  binomial_draws(state, [](StreamBits& bits, std::int64_t n, double p) {
    return tenure::binomial(bits.stream, n, p);
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

// Small mean (inversion) and large mean (BTRS); p in thousandths.
BENCHMARK(BM_Binomial)->Args({50, 50})->Args({10000, 300});
BENCHMARK(BM_BoostBinomial)->Args({50, 50})->Args({10000, 300});
BENCHMARK(BM_StdBinomial)->Args({50, 50})->Args({10000, 300});

void BM_Poisson(benchmark::State& state) {
  const double mean = static_cast<double>(state.range(0));
  tenure::RandomStream rng(1, 0, tenure::Stream::benchmark, 0);
  for (auto _ : state) benchmark::DoNotOptimize(tenure::poisson(rng, mean));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Poisson)->Arg(3)->Arg(200);

}  // namespace
