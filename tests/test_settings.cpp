// --set NAME=VALUE and NAME=LOW:HIGH:N: checked against the scenario's variables, every
// problem at once, before anything runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/commands/settings.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace tenure {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kTwoVariables =
    "name: two\n"
    "horizon: 6\n"
    "variables:\n"
    "  a: {value: 0.3, min: 0, max: 0.8}\n"
    "  start: {value: 3, min: 2, max: 5}\n"
    "tiers:\n"
    "  - {name: gold, initial_customers: 100, margin: 50, churn: 0.04}\n"
    "budget: {per_period: 1000}\n"
    "acquisition:\n"
    "  response: {shape: exponential, max_customers: 20, scale: 500}\n"
    "  new_customer_mix: {gold: 1}\n"
    "retention:\n"
    "  response: {max_reduction: 0.5, scale: 4}\n"
    "policies:\n"
    "  - name: split\n"
    "    schedule:\n"
    "      - {from: 1, acquisition: 0.5, retention: 0.5}\n"
    "      - {from: $start, acquisition: $a, retention: rest}\n";

// The message read_settings throws for `texts`, "" when it accepts them.
std::string problem_of(const std::vector<std::string>& texts, bool grids = false) {
  try {
    read_settings(texts, parse_scenario(kTwoVariables, "t.yaml"), grids);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(Settings, SetTheVariablesWhereverTheyAreUsed) {
  Scenario s = parse_scenario(kTwoVariables, "t.yaml");
  apply_settings(s, read_settings({"a=0.7", "start=4"}, s, false));
  EXPECT_EQ(s.variables[0].value, 0.7);
  EXPECT_EQ(s.policies[0].steps[1].acquisition.value, 0.7);
  EXPECT_DOUBLE_EQ(s.policies[0].steps[1].retention.value, 0.3);  // rest follows
  EXPECT_EQ(s.policies[0].steps[1].from_period, 4);
}

TEST(Settings, GridsAreEvenlySpacedAndEndExactlyAtHigh) {
  const Scenario s = parse_scenario(kTwoVariables, "t.yaml");
  const std::vector<Setting> grid = read_settings({"a=0:0.8:5", "start=2:5:4"}, s, true);
  EXPECT_THAT(grid[0].values, ElementsAre(0.0, 0.2, 0.4, 0.6000000000000001, 0.8));
  EXPECT_THAT(grid[1].values, ElementsAre(2.0, 3.0, 4.0, 5.0));
}

TEST(Settings, ProblemsAreReportedAllAtOnce) {
  EXPECT_EQ(problem_of({"a=0.5"}), "");
  const std::string all = problem_of({"b=1", "a=0.9", "start=2.5", "a", "x=y=z"});
  EXPECT_THAT(all, HasSubstr("--set b=1: the scenario has no variable 'b' (its variables: a, "
                             "start)"));
  EXPECT_THAT(all, HasSubstr("--set a=0.9: a must be from 0 to 0.8 (its min and max), got 0.9"));
  EXPECT_THAT(all, HasSubstr("--set start=2.5: start sets a number of periods, so it takes "
                             "whole numbers, got 2.5"));
  EXPECT_THAT(all, HasSubstr("--set a: must be NAME=VALUE"));
  EXPECT_THAT(all, HasSubstr("--set x=y=z: the scenario has no variable 'x'"));
  EXPECT_THAT(problem_of({"a=0.1", "a=0.2"}), HasSubstr("--set a=0.2: a is set twice"));
  EXPECT_THAT(problem_of({"a=abc"}), HasSubstr("'abc' is not a number"));
  EXPECT_THAT(problem_of({"a=nan"}), HasSubstr("'nan' is not a number"));
}

TEST(Settings, GridsOnlyWhereASweepTakesThem) {
  EXPECT_THAT(problem_of({"a=0:0.8:5"}), HasSubstr("takes one value here"));
  EXPECT_EQ(problem_of({"a=0:0.8:5"}, true), "");
  for (const char* bad : {"a=0:0.8:1", "a=0.8:0:5", "a=0:0.8:2.5", "a=0:0.8:1002", "a=0:0.8"})
    EXPECT_THAT(problem_of({bad}, true), HasSubstr("a grid must be LOW:HIGH:N")) << bad;
  EXPECT_THAT(problem_of({"a=0:0.9:5"}, true), HasSubstr("got 0.9"));
}

}  // namespace
}  // namespace tenure
