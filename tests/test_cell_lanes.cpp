// The SIMD lanes of the kernel's churn step (cell_lanes.hpp) against the scalar code they
// stand for, on every instruction set this machine has and the program was compiled for:
// Random123's Philox word for word, and the shortcut to 0 settling only draws whose count
// it knows, the same lanes on every instruction set.
#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>
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
      WorldRow<std::uint64_t> world;
      for (std::uint64_t& w : world) w = pick();
      std::array<WorldRow<std::uint64_t>, 4> word;
      philox_row(counter, seed, world, word);
      for (std::size_t l = 0; l < kBlockWorlds; ++l) {
        const r123::Philox4x64::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
        const r123::Philox4x64::ctr_type expected = r123::Philox4x64()(c, {{seed, world[l]}});
        for (std::size_t k = 0; k < 4; ++k) ASSERT_EQ(word[k][l], expected.v[k]) << l << " " << k;
      }
    }
  });
}

// Draws whose uniforms sit on either side of the shortcut's bound, 1 - n p - 1e-14, and
// anywhere else; counts of 0 to 2^40, probabilities from 0 to 1, NaN and above 1.
struct Draw {
  std::uint64_t word;
  std::int64_t n;
  double p;
};

std::vector<Draw> draws_to_test() {
  std::mt19937_64 pick(11);
  std::vector<Draw> out;
  for (const std::int64_t n : {0L, 1L, 2L, 7L, 60L, 5000L, 1L << 40})
    for (const double p : {0.0, 1e-12, 1e-4, 0.01, 0.3, 0.5, 0.5000001, 0.9, 1.0, 1.5,
                           std::numeric_limits<double>::quiet_NaN()}) {
      const SampledProbability s = sampled_probability(p);
      const double bound = certainly_none_below(static_cast<double>(n) * s.smaller);
      const double at = s.complement ? 1.0 - bound : bound;
      const auto j = static_cast<std::uint64_t>(std::clamp(at, 0.0, 1.0) * 0x1p52);
      for (const std::uint64_t k : {j - 2, j - 1, j, j + 1, j + 2})
        out.push_back({(k & ((std::uint64_t{1} << 52) - 1)) << 12, n, p});
      for (int r = 0; r < 20; ++r) out.push_back({pick(), n, p});
    }
  return out;
}

TEST(CellLanes, TheShortcutSettlesOnlyDrawsItKnowsTheSameOnEveryInstructionSet) {
  const std::vector<Draw> draws = draws_to_test();
  std::vector<std::uint64_t> first_target;
  std::size_t settled = 0, unsettled = 0;
  on_every_target([&] {
    std::vector<std::uint64_t> masks;
    for (std::size_t first = 0; first < draws.size(); first += kBlockWorlds) {
      WorldRow<std::uint64_t> word{};
      WorldRow<std::int64_t> n{};
      WorldRow<double> smaller{}, complement{};
      for (std::size_t l = 0; l < kBlockWorlds && first + l < draws.size(); ++l) {
        const Draw& d = draws[first + l];
        const SampledProbability s = sampled_probability(d.p);
        word[l] = d.word;
        n[l] = d.n;
        smaller[l] = s.smaller;
        complement[l] = s.complement ? 1.0 : 0.0;
      }
      const std::uint64_t mask = unsettled_row(word, n, smaller, complement);
      masks.push_back(mask);
      for (std::size_t l = 0; l < kBlockWorlds && first + l < draws.size(); ++l) {
        if (mask >> l & 1) {
          ++unsettled;
          continue;
        }
        ++settled;
        const Draw& d = draws[first + l];
        const double u = RandomStream::to_uniform(d.word);
        const std::int64_t known = complement[l] != 0.0 ? d.n : 0;
        EXPECT_EQ(binomial_quantile(u, d.n, d.p), known) << d.n << " " << d.p << " " << u;
        EXPECT_EQ(PreparedBinomial(d.p).quantile(u, d.n), known) << d.n << " " << d.p;
      }
    }
    if (first_target.empty()) first_target = masks;
    EXPECT_EQ(masks, first_target);
  });
  EXPECT_GT(settled, draws.size() / 4);  // the test exercises both outcomes
  EXPECT_GT(unsettled, draws.size() / 4);
}

// A whole run, every metric of every world and policy, on every instruction set: with churn
// classes, and with uncertain inputs (a model per world).
TEST(CellLanes, ARunIsTheSameOnEveryInstructionSet) {
  for (const char* name : {"fitted-churn.yaml", "recession-stress.yaml"}) {
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
