// Sizes computed with overflow checks, and memory checked before any work.
#include <gtest/gtest.h>

#include <limits>

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

TEST(Resources, RunBytesCountEveryKeptValue) {
  const Model model = one_tier_model();
  const std::uint64_t per_world = model.layout.reported_metrics().size() +
                                  model.layout.reported_series().size() * model.horizon;
  EXPECT_EQ(run_bytes(model, 1000), (per_world + 1) * 1000 * sizeof(double));
}

TEST(Resources, TooManyWorldsAreRefusedBeforeAnyWork) {
  const Model model = one_tier_model();
  ASSERT_TRUE(available_memory().has_value());  // Linux tells
  EXPECT_NO_THROW(check_memory(model, 1000));
  EXPECT_THROW(check_memory(model, std::numeric_limits<std::int64_t>::max()), ResourceError);
  EXPECT_THROW(check_memory(model, std::int64_t{1} << 40), ResourceError);
}

}  // namespace
}  // namespace tenure
