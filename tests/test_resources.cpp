// Sizes computed with overflow checks, and memory checked before any work.
#include <gtest/gtest.h>

#include <limits>

#include "sim/analysis/run_results.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/resources.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

Model one_tier_model() {
  Scenario s;
  s.name = "tiny";
  s.horizon = 12;
  s.tiers.push_back({"only", 100, 10.0, 1.0, 0.05, {}});
  s.policies = {{"p", {PolicyStep{}}}};
  return build_model(s);
}

TEST(Resources, ProductsThatOverflowAreRefused) {
  EXPECT_EQ(checked_product(3, 5), 15u);
  EXPECT_EQ(checked_product(std::uint64_t{1} << 32, std::uint64_t{1} << 31),
            std::uint64_t{1} << 63);
  EXPECT_FALSE(checked_product(std::uint64_t{1} << 32, std::uint64_t{1} << 32));
  const Model model = one_tier_model();
  EXPECT_FALSE(run_bytes(model, std::numeric_limits<std::int64_t>::max()));
  EXPECT_FALSE(run_bytes(model, 4611686018427387905));
}

// Each world adds its metrics, its payback period and a sorted copy's slot; the kept worlds
// add their series too, and no world beyond them does.
TEST(Resources, RunBytesGrowWithTheWorldsOnlyByTheirMetrics) {
  const Model model = one_tier_model();
  const std::uint64_t metrics = model.layout.reported_metrics().size() + 2;
  const std::uint64_t series = model.layout.reported_series().size() * model.horizon;
  auto bytes = [&](std::int64_t worlds) { return *run_bytes(model, worlds, 1); };
  EXPECT_EQ(bytes(2000) - bytes(1000), (metrics + series) * 1000 * sizeof(double));
  EXPECT_EQ(bytes(kSeriesWorlds + 2000) - bytes(kSeriesWorlds + 1000),
            metrics * 1000 * sizeof(double));
  EXPECT_LT(bytes(1'000'000), 1'000'000 * (metrics + 1) * sizeof(double) + bytes(kSeriesWorlds));
  EXPECT_GT(*run_bytes(model, 2, 2), *run_bytes(model, 2, 1));  // each thread's kernel
}

// With uncertain inputs the sensitivity study simulates again, on at most the kept worlds:
// counted once on top of the run (a recursion without end once crashed every such run).
TEST(Resources, UncertainInputsAddTheSensitivityStudysRunOnce) {
  const Model plain = one_tier_model();
  Scenario s;
  s.name = "tiny";
  s.horizon = 12;
  s.tiers.push_back({"only", 100, 10.0, 1.0, 0.05, {}});
  s.policies = {{"p", {PolicyStep{}}}};
  Model uncertain = build_model(s);
  uncertain.inputs.inputs.push_back(UncertainInput{});
  const auto with_inputs = run_bytes(uncertain, 50'000, 1);
  const auto without = run_bytes(plain, 50'000, 1);
  ASSERT_TRUE(with_inputs && without);
  EXPECT_GT(*with_inputs, *without);
  EXPECT_LT(*with_inputs, 3 * *without);
}

TEST(Resources, TooManyWorldsAreRefusedBeforeAnyWork) {
  const Model model = one_tier_model();
  ASSERT_TRUE(available_memory().has_value());  // Linux tells
  EXPECT_NO_THROW(check_memory(model, 1000, 0));
  EXPECT_THROW(check_memory(model, std::numeric_limits<std::int64_t>::max(), 0), ResourceError);
  EXPECT_THROW(check_memory(model, std::int64_t{1} << 40, 0), ResourceError);
}

}  // namespace
}  // namespace tenure
