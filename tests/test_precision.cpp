// Running to a precision on the decision: worlds are added until every paired NPV difference
// against the reference is known to the half-width asked for, or the cap is hit.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/analysis/statistics.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/precision.hpp"
#include "sim/engine/runner.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure {
namespace {

Model baseline_model() {
  return build_model(
      load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml"));
}

// The widest 95% half-width of the NPV differences against `reference`, computed afresh.
double widest_difference(const RunResults& r, std::size_t reference) {
  double widest = 0.0;
  for (std::size_t p = 0; p < r.policies().size(); ++p)
    if (p != reference)
      widest = std::max(widest,
                        kZ95 * compare_paired(r.metric(p, "npv"), r.metric(reference, "npv")).se);
  return widest;
}

// Against the best policy (balanced) and against a baseline: reached with fewer worlds than
// the cap, the half-width met by the very results returned, and those results the same as a
// fixed run of as many worlds.
TEST(Precision, DifferencesAreKnownToTheHalfWidthAskedFor) {
  const Model model = baseline_model();
  for (const std::optional<std::size_t> baseline : {std::optional<std::size_t>{}, {2}}) {
    Simulation simulation(model, 3, 2);
    const PrecisionStatus status =
        run_to_targets(simulation, {std::nullopt, 2000.0, baseline}, 40000);
    const RunResults& r = simulation.results();
    EXPECT_TRUE(status.reached);
    EXPECT_EQ(status.reference, baseline.value_or(1));  // balanced has the highest mean NPV
    EXPECT_LE(widest_difference(r, status.reference), 2000.0);
    EXPECT_EQ(status.difference_half_width, widest_difference(r, status.reference));
    EXPECT_GT(r.paths(), 1000);
    EXPECT_LT(r.paths(), 40000);
    const RunResults fixed = run_simulation(model, {r.paths(), 3, 2, {}});
    EXPECT_TRUE(std::ranges::equal(fixed.metric(0, "npv"), r.metric(0, "npv")));
  }
}

// A target the cap cannot reach: the cap's worlds are run and the shortfall reported.
TEST(Precision, TheCapWinsOverAnUnreachableTarget) {
  const Model model = baseline_model();
  Simulation simulation(model, 3, 2);
  const PrecisionStatus status = run_to_targets(simulation, {std::nullopt, 10.0, {}}, 1500);
  EXPECT_FALSE(status.reached);
  EXPECT_EQ(simulation.results().paths(), 1500);
  EXPECT_GT(status.difference_half_width, 10.0);
  // What it would take: about n (h / t)^2 worlds.
  EXPECT_DOUBLE_EQ(
      status.worlds_needed({std::nullopt, 10.0, {}}),
      1500.0 * (status.difference_half_width / 10.0) * (status.difference_half_width / 10.0));
}

}  // namespace
}  // namespace tenure
