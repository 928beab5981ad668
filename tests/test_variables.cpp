// Variables and rest: the levers a scenario names, checked over their whole range at their
// positions, set where the scenario writes $name, and giving exactly the results of the same
// numbers written by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/engine/model.hpp"
#include "sim/engine/runner.hpp"
#include "sim/engine/variables.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "tests/scenario_text.hpp"

namespace tenure {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A small valid scenario with a split as a variable; the line numbers are those asserted.
const std::string kSplit =
    "name: split\n"                                                       //  1
    "horizon: 12\n"                                                       //  2
    "variables:\n"                                                        //  3
    "  a: {value: 0.3, min: 0, max: 0.8}\n"                               //  4
    "tiers:\n"                                                            //  5
    "  - name: gold\n"                                                    //  6
    "    initial_customers: 300\n"                                        //  7
    "    margin: 50\n"                                                    //  8
    "    churn: 0.04\n"                                                   //  9
    "    moves: {silver: 0.01}\n"                                         // 10
    "  - name: silver\n"                                                  // 11
    "    initial_customers: 900\n"                                        // 12
    "    margin: 20\n"                                                    // 13
    "    churn: 0.06\n"                                                   // 14
    "budget: {per_period: 3000}\n"                                        // 15
    "acquisition:\n"                                                      // 16
    "  response: {shape: exponential, max_customers: 60, scale: 2000}\n"  // 17
    "  new_customer_mix: {gold: 0.2, silver: 0.8}\n"                      // 18
    "retention:\n"                                                        // 19
    "  response: {max_reduction: 0.5, scale: 4}\n"                        // 20
    "policies:\n"                                                         // 21
    "  - name: split\n"                                                   // 22
    "    acquisition: $a\n"                                               // 23
    "    retention: rest\n"                                               // 24
    "  - name: fixed\n"                                                   // 25
    "    acquisition: 0.5\n"                                              // 26
    "    retention: 0.5\n";                                               // 27

std::string edit(const std::string& from, const std::string& to, std::string text = kSplit) {
  return test::replace_once(std::move(text), from, to);
}

std::vector<std::string> problems(const std::string& yaml) {
  return test::diagnostics_of(yaml, "v.yaml");
}

TEST(Variables, AreReadAndSetWherePoliciesUseThem) {
  Scenario s = parse_scenario(kSplit, "v.yaml");
  ASSERT_THAT(s.variables, SizeIs(1));
  EXPECT_EQ(s.variables[0].name, "a");
  EXPECT_EQ(s.variables[0].value, 0.3);
  EXPECT_THAT(s.variables[0].places, ElementsAre("policies[0].steps[0].acquisition"));
  EXPECT_EQ(s.policies[0].steps[0].acquisition.value, 0.3);
  EXPECT_TRUE(s.policies[0].steps[0].retention.rest);
  EXPECT_EQ(s.policies[0].steps[0].retention.value, 1.0 - 0.3);
  set_variable(s, 0, 0.75);
  EXPECT_EQ(s.policies[0].steps[0].acquisition.value, 0.75);
  EXPECT_EQ(s.policies[0].steps[0].retention.value, 0.25);
  EXPECT_EQ(s.policies[1].steps[0].acquisition.value, 0.5);  // not a user of a
  EXPECT_EQ(policies_moved_by(s, {"a"}), std::vector<std::size_t>{0});
  EXPECT_EQ(variable_value_problem(s.variables[0], 0.9),
            "a must be from 0 to 0.8 (its min and max), got 0.9");
}

TEST(Variables, ReachSchedulesRetentionWeightsAndShocks) {
  std::string text = edit("    acquisition: $a\n    retention: rest\n",
                          "    schedule:\n"
                          "      - {from: 1, acquisition: $a, retention: rest}\n"
                          "      - {from: $t, acquisition: {amount: $m}, retention: rest,\n"
                          "         retention_weights: {gold: $w}}\n");
  text = edit("  a: {value: 0.3, min: 0, max: 0.8}\n",
              "  a: {value: 0.3, min: 0, max: 0.8}\n  t: {value: 4, min: 2, max: 9}\n"
              "  m: {value: 100, min: 0, max: 500}\n  w: {value: 2, min: 1, max: 3}\n"
              "  c: {value: 1.5, min: 1, max: 2}\n",
              text);
  text += "shocks:\n  - {from: $t, periods: 2, churn: $c}\n";
  Scenario s = parse_scenario(text, "v.yaml");
  ASSERT_THAT(s.variables, SizeIs(5));
  EXPECT_TRUE(s.variables[1].whole);
  EXPECT_THAT(s.variables[1].places, ElementsAre("policies[0].steps[1].from", "shocks[0].from"));
  set_variable(s, 1, 7);
  set_variable(s, 2, 250);
  set_variable(s, 3, 2.5);
  set_variable(s, 4, 1.25);
  EXPECT_EQ(s.policies[0].steps[1].from_period, 7);
  EXPECT_EQ(s.shocks[0].from_period, 7);
  EXPECT_EQ(s.policies[0].steps[1].acquisition.value, 250);
  EXPECT_EQ(s.policies[0].steps[1].retention.value, 1.0);  // amounts leave the whole share
  EXPECT_EQ(s.policies[0].steps[1].retention_weights[0], 2.5);
  EXPECT_EQ(s.shocks[0].multipliers.churn, 1.25);
  EXPECT_EQ(policies_moved_by(s, {"c"}), (std::vector<std::size_t>{0, 1}));  // a shock: all
}

// `acquisition: $a` with `retention: rest` runs exactly as the same numbers written by hand.
TEST(Variables, RestAndVariablesGiveTheResultsOfTheSameNumbersByHand) {
  Scenario with_variable = parse_scenario(kSplit, "v.yaml");
  set_variable(with_variable, 0, 0.25);
  const Scenario by_hand =
      parse_scenario(edit("    acquisition: $a\n    retention: rest\n",
                          "    acquisition: 0.25\n    retention: 0.75\n",
                          edit("variables:\n  a: {value: 0.3, min: 0, max: 0.8}\n", "")),
                     "v.yaml");
  const RunResults a = run_simulation(build_model(with_variable), {200, 5, 2, {}});
  const RunResults b = run_simulation(build_model(by_hand), {200, 5, 2, {}});
  for (std::size_t p = 0; p < 2; ++p)
    for (std::size_t k = 0; k < a.metrics().size(); ++k) {
      const auto x = a.metric(p, k), y = b.metric(p, k);
      EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << a.metrics()[k];
    }
}

std::string only(const std::vector<std::string>& found) {
  EXPECT_THAT(found, SizeIs(1));
  return found.empty() ? "" : found.front();
}

TEST(VariableErrors, UnknownVariableSuggestsTheClosest) {
  // The declared a is then unused, which is said too.
  EXPECT_THAT(problems(edit("acquisition: $a", "acquisition: $b")),
              ElementsAre("v.yaml:4:3: variables.a is not used; write $a in a policy, schedule "
                          "step or shock, or remove it",
                          "v.yaml:23:18: policies[0].acquisition: unknown variable '$b' "
                          "(variables: a)"));
  EXPECT_THAT(problems(edit("acquisition: 0.5", "acquisition: $aa")),
              ElementsAre("v.yaml:26:18: policies[1].acquisition: unknown variable '$aa'; did "
                          "you mean 'a'? (variables: a)"));
  EXPECT_THAT(problems(edit("variables:\n  a: {value: 0.3, min: 0, max: 0.8}\n", "")),
              ElementsAre("v.yaml:21:18: policies[0].acquisition: unknown variable '$a'; the "
                          "scenario declares none (add variables: {a: {value: V, min: LOW, max: "
                          "HIGH}})"));
}

TEST(VariableErrors, UnusedVariableIsReportedAtItsName) {
  EXPECT_EQ(only(problems(edit("acquisition: $a", "acquisition: 0.3"))),
            "v.yaml:4:3: variables.a is not used; write $a in a policy, schedule step or shock, "
            "or remove it");
}

TEST(VariableErrors, ValueOutsideItsRangeIsReportedAtTheValue) {
  EXPECT_EQ(only(problems(edit("value: 0.3", "value: 0.9"))),
            "v.yaml:4:7: variables.a.value must be from min (0) to max (0.8), got 0.9");
  EXPECT_EQ(only(problems(edit("min: 0,", "min: 0.9,"))),
            "v.yaml:4:19: variables.a: min (0.9) is above max (0.8)");
}

TEST(VariableErrors, RangeBeyondWhatTheKeyAcceptsIsReportedAtTheUse) {
  EXPECT_EQ(only(problems(edit("max: 0.8", "max: 1.5"))),
            "v.yaml:23:18: policies[0].acquisition must be a share of the budget between 0 and 1, "
            "rest, or a map with one of share, amount, but variable a goes from 0 to 1.5 (its min "
            "and max); keep them within that");
}

TEST(VariableErrors, SharesAboveOneAtSomeValueAreReported) {
  // With recovery 0.3, acquisition at its max (0.8) leaves the shares at 1.1.
  const std::string with_service =
      kSplit + "service: {failure: 0.01, concession: 20, defection: 0.2}\n";
  EXPECT_EQ(only(problems(edit("    retention: rest\n", "    retention: rest\n    recovery: 0.3\n",
                               with_service))),
            "v.yaml:22:5: policies[0]: the shares of the budget add up to 1.1 (acquisition 0.8 + "
            "recovery 0.3) at a = 0.8 (its max); they can add up to at most 1, and retention: rest "
            "takes what they leave");
  // Two variables in one policy: only the corner where both are at their max breaks it.
  const std::string two = edit("  a: {value: 0.3, min: 0, max: 0.8}\n",
                               "  a: {value: 0.3, min: 0, max: 0.8}\n"
                               "  b: {value: 0.1, min: 0.1, max: 0.4}\n",
                               edit("    retention: rest\n", "    retention: $b\n"));
  EXPECT_EQ(only(problems(two)),
            "v.yaml:23:5: policies[0]: the shares of the budget add up to 1.2 (acquisition 0.8 + "
            "retention 0.4) at a = 0.8 (its max) and b = 0.4 (its max); they can add up to at "
            "most 1");
}

TEST(VariableErrors, OnlyPoliciesAndShocksTakeVariables) {
  EXPECT_EQ(only(problems(edit("churn: 0.04", "churn: $a"))),
            "v.yaml:9:12: tiers[0].churn cannot be a variable: variables set the numbers of "
            "policies, schedule steps and shocks; give a number");
}

TEST(VariableErrors, PeriodsTakeWholeVariablesInOrder) {
  const std::string schedule = edit("    acquisition: $a\n    retention: rest\n",
                                    "    schedule:\n"
                                    "      - {from: 1, acquisition: $a, retention: rest}\n"
                                    "      - {from: $t, acquisition: 0, retention: rest}\n"
                                    "      - {from: 6, acquisition: 0.5, retention: rest}\n");
  const auto with_t = [&](const std::string& t) {
    return edit("  a: {value: 0.3, min: 0, max: 0.8}\n",
                "  a: {value: 0.3, min: 0, max: 0.8}\n  t: " + t + "\n", schedule);
  };
  EXPECT_THAT(problems(with_t("{value: 3, min: 2, max: 5}")), SizeIs(0));
  EXPECT_EQ(only(problems(with_t("{value: 3.5, min: 2, max: 5}"))),
            "v.yaml:26:16: policies[0].schedule[1].from takes a whole number of periods, but "
            "variable t is not whole (value 3.5, min 2, max 5)");
  EXPECT_EQ(only(problems(with_t("{value: 3, min: 2, max: 7}"))),
            "v.yaml:27:16: policies[0].schedule[2].from must be greater than the previous step's "
            "from (7), got 6 at t = 7 (its max); steps go in increasing order");
  EXPECT_EQ(only(problems(with_t("{value: 3, min: 0, max: 5}"))),
            "v.yaml:26:16: policies[0].schedule[1].from must be an integer from 1 to 12, but "
            "variable t goes from 0 to 5 (its min and max); keep them within that");
}

TEST(VariableErrors, RestIsOnePerStep) {
  EXPECT_EQ(only(problems(edit("acquisition: 0.5\n    retention: 0.5",
                               "acquisition: rest\n    retention: rest"))),
            "v.yaml:27:16: policies[1].retention: only one line of a policy or step can be rest "
            "(the share the others leave); acquisition already is");
}

TEST(VariableErrors, DeclarationsAreChecked) {
  EXPECT_EQ(only(problems(edit("  a: {", "  1a: {", edit("$a", "0.3")))),
            "v.yaml:4:3: variable name '1a' must start with a letter or '_' and hold only letters, "
            "digits and '_' (at most 64), so that $1a reads as one name");
  EXPECT_EQ(only(problems(edit(", max: 0.8}", "}"))),
            "v.yaml:4:6: variables.a is missing required key 'max' (a number from -1e15 to 1e15)");
  EXPECT_EQ(only(problems(edit("value: 0.3", "value: $a"))),
            "v.yaml:4:14: variables.a.value must be a number from -1e15 to 1e15, got text '$a'");
}

}  // namespace
}  // namespace tenure
