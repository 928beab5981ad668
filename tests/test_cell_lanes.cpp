// The SIMD lanes of the kernel's churn step (cell_lanes.hpp) against the scalar code they
// stand for, on every instruction set this machine has and the program was compiled for:
// Random123's Philox word for word, and the binomial draws of small mean bit for bit, the same
// on every instruction set.
#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "sim/engine/cell_lanes.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/runner.hpp"
#include "sim/engine/samplers.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure {
namespace {

// Runs `check` once for each instruction set (Highway target) this machine supports.
template <typename Check>
void on_every_target(const Check& check) {
  const std::vector<std::int64_t> targets = hwy::SupportedAndGeneratedTargets();
  ASSERT_FALSE(targets.empty());
  for (const std::int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    SCOPED_TRACE(hwy::TargetName(target));
    check();
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(CellLanes, PhiloxRowGivesRandom123sWords) {
  std::mt19937_64 pick(7);
  on_every_target([&] {
    for (int trial = 0; trial < 200; ++trial) {
      std::array<std::uint64_t, 4> counter{pick(), pick(), pick(), pick()};
      if (trial == 0) counter = {0, 0, 0, 0};
      if (trial == 1) counter.fill(~std::uint64_t{0});
      const std::uint64_t seed = trial == 2 ? ~std::uint64_t{0} : pick();
      StreamKeys keys{seed, {}};
      for (std::uint64_t& w : keys.world) w = pick();
      const WorldRow<std::uint64_t>& world = keys.world;
      std::array<WorldRow<std::uint64_t>, 4> word;
      philox_row(counter, keys, word);
      for (std::size_t l = 0; l < kBlockWorlds; ++l) {
        const r123::Philox4x64::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
        const r123::Philox4x64::ctr_type expected = r123::Philox4x64()(c, {{seed, world[l]}});
        for (std::size_t k = 0; k < 4; ++k) ASSERT_EQ(word[k][l], expected.v[k]) << l << " " << k;
      }
    }
  });
}

// Draws whose uniforms sit on either side of the shortcut's bound, 1 - n p - 1e-14, of the
// bounds that settle 1 (samplers.hpp) and of P(X = 0), at the top of the lattice (where the sums
// stop growing below u) and anywhere else; counts of 0 to 2^40, probabilities from 0 to 1, NaN and
// above 1, means on either side of kSearchFromZeroBelow (sums up to 200 counts long).
struct Draw {
  std::uint64_t word;
  std::int64_t n;
  double p;
};

// The word whose uniform is the lattice point nearest `u` (RandomStream::to_uniform).
std::uint64_t word_at(double u) {
  const auto j = static_cast<std::uint64_t>(std::clamp(u, 0.0, 1.0) * 0x1p52);
  return (j & ((std::uint64_t{1} << 52) - 1)) << 12;
}

std::vector<Draw> draws_to_test() {
  std::mt19937_64 pick(11);
  std::vector<Draw> out;
  for (const std::int64_t n : {0L, 1L, 2L, 3L, 5L, 6L, 7L, 60L, 1000L, 5000L, 1L << 40})
    for (const double p : {0.0, 1e-12, 1e-4, 0.01, 0.05, 0.1279, 0.13, 0.3, 0.5, 0.5000001, 0.9,
                           1.0, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
      const SampledProbability s = sampled_probability(p);
      const double mean = static_cast<double>(n) * s.smaller;
      const double fewer_mean = static_cast<double>(n - 1) * s.smaller;
      const double shortcut = certainly_none_below(mean);
      const double none = none_probability(n, log_complement(s.smaller));
      for (const double edge : {shortcut, none, certainly_some_above(mean, fewer_mean),
                                certainly_one_below(fewer_mean)}) {
        const std::uint64_t at = word_at(s.complement ? 1.0 - edge : edge);
        for (const std::uint64_t step : {0ull, 1ull, 2ull}) {
          out.push_back({at + (step << 12), n, p});
          out.push_back({at - (step << 12), n, p});
        }
      }
      for (std::uint64_t top = 0; top < 4; ++top) {  // u = 1 - (2 top + 1) 2^-53, and near 0
        out.push_back({~std::uint64_t{0} - (top << 11), n, p});
        out.push_back({top << 11, n, p});
      }
      for (int r = 0; r < 40; ++r) out.push_back({pick(), n, p});
    }
  return out;
}

// What binomial_row gives for every draw, a row at a time: the counts, and whether each was
// left to the scalar sampler.
struct RowDraws {
  std::vector<std::int64_t> count;
  std::vector<bool> left;
  bool operator==(const RowDraws&) const = default;
};

RowDraws draw_in_rows(const std::vector<Draw>& draws, bool with_log_q) {
  RowDraws out;
  for (std::size_t first = 0; first < draws.size(); first += kBlockWorlds) {
    WorldRow<std::uint64_t> word{};
    WorldRow<std::int64_t> n{}, count{};
    WorldRow<double> p{}, log_q{};
    const std::size_t lanes = std::min(kBlockWorlds, draws.size() - first);
    for (std::size_t l = 0; l < lanes; ++l) {
      const Draw& d = draws[first + l];
      word[l] = d.word;
      n[l] = d.n;
      p[l] = d.p;
      log_q[l] = PreparedBinomial(d.p).log_q();
    }
    const std::uint64_t left = binomial_row(word, n, p, with_log_q ? &log_q : nullptr, count);
    for (std::size_t l = 0; l < lanes; ++l) {
      out.count.push_back(count[l]);
      out.left.push_back((left >> l & 1) != 0);
    }
  }
  return out;
}

TEST(CellLanes, BinomialRowDrawsWhatTheScalarSamplerDrawsOnEveryInstructionSet) {
  const std::vector<Draw> draws = draws_to_test();
  std::optional<RowDraws> first_target;
  std::size_t zeros = 0, sums = 0, long_sums = 0, left = 0;
  on_every_target([&] {
    for (const bool with_log_q : {false, true}) {
      const RowDraws rows = draw_in_rows(draws, with_log_q);
      for (std::size_t i = 0; i < draws.size(); ++i) {
        const Draw& d = draws[i];
        const SampledProbability s = sampled_probability(d.p);
        const bool small = static_cast<double>(d.n) * s.smaller < kSearchFromZeroBelow;
        ASSERT_EQ(rows.left[i], d.n > 0 && !small) << d.n << " " << d.p;
        if (rows.left[i]) {
          ++left;
          continue;
        }
        const double u = RandomStream::to_uniform(d.word);
        ASSERT_EQ(rows.count[i], binomial_quantile(u, d.n, d.p)) << d.n << " " << d.p << " " << u;
        ASSERT_EQ(rows.count[i], PreparedBinomial(d.p).quantile(u, d.n)) << d.n << " " << d.p;
        const std::int64_t k = s.complement ? d.n - rows.count[i] : rows.count[i];
        zeros += k == 0;
        sums += k > 0;
        long_sums += k > 6;
      }
      if (!first_target) first_target = rows;
      EXPECT_TRUE(rows == *first_target);
    }
  });
  // The test reaches every way a draw ends.
  EXPECT_GT(zeros, draws.size() / 4);
  EXPECT_GT(sums, draws.size() / 4);
  EXPECT_GT(long_sums, draws.size() / 20);
  EXPECT_GT(left, draws.size() / 20);
}

// A whole run, every metric of every world and policy, on every instruction set (the lanes and
// the block steps are compiled for each): with churn classes, with uncertain inputs (a model
// per world), and with service failures and a recovery fund.
TEST(CellLanes, ARunIsTheSameOnEveryInstructionSet) {
  for (const char* name : {"fitted-churn.yaml", "recession-stress.yaml", "concession.yaml"}) {
    const Model model = build_model(
        load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/" + std::string(name)));
    RunOptions options;
    options.paths = 40;
    options.seed = 3;
    options.threads = 1;
    std::vector<std::vector<double>> first;
    on_every_target([&] {
      const RunResults results = run_simulation(model, options);
      std::vector<std::vector<double>> metrics;
      for (std::size_t policy = 0; policy < model.policies.size(); ++policy)
        for (std::size_t k = 0; k < results.metrics().size(); ++k) {
          const auto values = results.metric(policy, k);
          metrics.emplace_back(values.begin(), values.end());
        }
      if (first.empty()) first = metrics;
      EXPECT_EQ(metrics, first) << name;
    });
  }
}

}  // namespace
}  // namespace tenure
