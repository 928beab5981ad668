// The scenario reader: every kind of mistake is reported with its exact position and the
// key's path, all problems at once; valid files fill the structs as documented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/scenario/scenario_yaml.hpp"
#include "tests/scenario_text.hpp"

namespace tenure {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// A small valid scenario; the line numbers in the comments are the ones the tests assert.
const std::string kValid =
    "name: test\n"                                                        //  1
    "horizon: 24\n"                                                       //  2
    "tiers:\n"                                                            //  3
    "  - name: gold\n"                                                    //  4
    "    initial_customers: 100\n"                                        //  5
    "    margin: 50\n"                                                    //  6
    "    churn: 0.02\n"                                                   //  7
    "    moves: {silver: 0.01}\n"                                         //  8
    "  - name: silver\n"                                                  //  9
    "    margin: 20\n"                                                    // 10
    "    churn: 0.05\n"                                                   // 11
    "budget: {per_period: 1000}\n"                                        // 12
    "acquisition:\n"                                                      // 13
    "  response: {shape: exponential, max_customers: 100, scale: 500}\n"  // 14
    "  new_customer_mix: {gold: 0.2, silver: 0.8}\n"                      // 15
    "retention:\n"                                                        // 16
    "  response: {max_reduction: 0.5, scale: 10}\n"                       // 17
    "policies:\n"                                                         // 18
    "  - name: half\n"                                                    // 19
    "    acquisition: 0.5\n"                                              // 20
    "    retention: 0.5\n";                                               // 21

// kValid with `from` replaced by `to`; `from` must occur exactly once.
std::string edit(const std::string& from, const std::string& to, std::string text = kValid) {
  return test::replace_once(std::move(text), from, to);
}

std::vector<std::string> problems(const std::string& yaml) {
  return test::diagnostics_of(yaml, "test.yaml");
}

// The one diagnostic of a text that should have exactly one.
std::string only_problem(const std::string& yaml) {
  const auto all = problems(yaml);
  EXPECT_THAT(all, SizeIs(1));
  std::string joined;
  for (const auto& p : all) joined += p + "\n";
  return all.size() == 1 ? all[0] : joined;
}

TEST(ScenarioErrors, ValidBaseHasNoProblems) {
  EXPECT_THAT(problems(kValid), SizeIs(0));
}

TEST(ScenarioErrors, SyntaxErrorIsOneDiagnosticAtItsPosition) {
  const std::string message = only_problem(edit("    churn: 0.05\n", "     churn: 0.05\n"));
  EXPECT_THAT(message, StartsWith("test.yaml:11:11: YAML syntax error"));
  EXPECT_THAT(message, HasSubstr("illegal map value"));

  EXPECT_THAT(only_problem(edit("{max_reduction: 0.5, scale: 10}", "{max_reduction: 0.5")),
              StartsWith("test.yaml:18:9: YAML syntax error: end of map flow not found"));
}

TEST(ScenarioErrors, UnknownKeySuggestsTheClosestAndListsAllowed) {
  const auto all = problems(edit("    churn: 0.05\n", "    chrun: 0.05\n"));
  EXPECT_THAT(all, ElementsAre("test.yaml:9:5: tiers[1] is missing required key 'churn' (a "
                               "probability between 0 and 1)",
                               "test.yaml:11:5: unknown key 'chrun' in tiers[1]; did you mean "
                               "'churn'? (allowed: name, initial_customers, initial_tenure, "
                               "margin, cost_to_serve, churn, moves, margin_growth, "
                               "concentration)"));

  // At the top level, and without a suggestion when nothing is close.
  EXPECT_EQ(only_problem(edit("horizon: 24\n", "horizon: 24\nhorizn: 3\n")),
            "test.yaml:3:1: unknown key 'horizn' at the top level; did you mean 'horizon'? "
            "(allowed: name, description, horizon, period, discount_rate, paths, seed, tiers, "
            "loyalty, budget, fixed_costs, acquisition, retention, policies, shocks, market, "
            "service, word_of_mouth, referrals, intermediaries, heterogeneity, correlations, "
            "regimes, risk, variables)");
  EXPECT_THAT(only_problem(edit("horizon: 24\n", "horizon: 24\nzzz: 3\n")),
              AllOf(StartsWith("test.yaml:3:1: unknown key 'zzz' at the top level (allowed: "),
                    Not(HasSubstr("did you mean"))));
}

TEST(ScenarioErrors, DuplicateKeyIsReportedAtTheSecondWithTheFirstLine) {
  EXPECT_EQ(only_problem(edit("    margin: 20\n", "    margin: 20\n    margin: 30\n")),
            "test.yaml:11:5: duplicate key 'margin' in tiers[1]; it was first given on line 10 "
            "(each key may appear only once)");
  EXPECT_THAT(only_problem(edit("{gold: 0.2, silver: 0.8}", "{gold: 0.2, silver: 0.8, gold: 0}")),
              StartsWith("test.yaml:15:46: duplicate key 'gold' in acquisition.new_customer_mix; "
                         "it was first given on line 15"));
}

TEST(ScenarioErrors, MissingRequiredKeyIsReportedAtTheMap) {
  EXPECT_EQ(only_problem(edit("    margin: 50\n", "")),
            "test.yaml:4:5: tiers[0] is missing required key 'margin' (an amount of money from 0 "
            "to 1e15)");
  EXPECT_EQ(only_problem(edit("budget: {per_period: 1000}\n", "")),
            "test.yaml:1:1: the scenario is missing required key 'budget' (a map with per_period "
            "(and optional growth) or share_of_revenue)");
  EXPECT_THAT(only_problem(edit("{max_reduction: 0.5, scale: 10}", "{scale: 10}")),
              StartsWith("test.yaml:17:13: retention.response is missing required key "
                         "'max_reduction'"));
}

TEST(ScenarioErrors, WrongTypesSayWhatWasExpectedAndWhatWasGiven) {
  EXPECT_EQ(only_problem(edit("margin: 50", "margin: {amount: 50}")),
            "test.yaml:6:13: tiers[0].margin must be an amount of money from 0 to 1e15, got a map");
  EXPECT_EQ(only_problem(edit("churn: 0.02", "churn: high")),
            "test.yaml:7:12: tiers[0].churn must be a probability between 0 and 1, got text "
            "'high'");
  EXPECT_EQ(only_problem(edit("initial_customers: 100", "initial_customers: 2.5")),
            "test.yaml:5:24: tiers[0].initial_customers must be a whole number of customers from 0 "
            "to 1e15, got 2.5");
  EXPECT_EQ(only_problem(edit("horizon: 24", "horizon: [24]")),
            "test.yaml:2:10: horizon must be an integer from 1 to 10000, got a list");
  EXPECT_EQ(
      only_problem(edit("margin: 50", "margin: \"50\"")),
      "test.yaml:6:13: tiers[0].margin must be an amount of money from 0 to 1e15, got quoted text "
      "'50' (remove the quotes to make it a number)");
  // A key with no value points at the key.
  EXPECT_EQ(
      only_problem(edit("    margin: 50\n", "    margin:\n")),
      "test.yaml:6:5: tiers[0].margin must be an amount of money from 0 to 1e15, got no value");
  EXPECT_EQ(only_problem(edit("horizon: 24\n", "horizon: 24\nperiod: monthly\n")),
            "test.yaml:3:9: period must be one of month, quarter, year, got text 'monthly'; did "
            "you mean 'month'?");
  EXPECT_EQ(
      only_problem("name: test\nhorizon: 24\ntiers: 3\n" + kValid.substr(kValid.find("budget"))),
      "test.yaml:3:8: tiers must be a list of tier, got 3");
}

TEST(ScenarioErrors, LeadingZeroIntegerIsRejectedAsOctalLooking) {
  EXPECT_EQ(only_problem(edit("initial_customers: 100", "initial_customers: 010")),
            "test.yaml:5:24: tiers[0].initial_customers is written '010' with a leading zero, "
            "which YAML may read as an octal number; write 10 instead");
  EXPECT_THAT(only_problem(edit("margin: 50", "margin: 0050.5")),
              AllOf(StartsWith("test.yaml:6:13: tiers[0].margin is written '0050.5'"),
                    HasSubstr("write 50.5 instead")));
}

TEST(ScenarioErrors, NonFiniteNumbersAreRejected) {
  EXPECT_EQ(only_problem(edit("churn: 0.02", "churn: .nan")),
            "test.yaml:7:12: tiers[0].churn must be a finite number (a probability between 0 and "
            "1), got .nan");
  EXPECT_EQ(only_problem(edit("margin: 50", "margin: .inf")),
            "test.yaml:6:13: tiers[0].margin must be a finite number (an amount of money from 0 to "
            "1e15), "
            "got .inf");
  EXPECT_THAT(
      only_problem(edit("margin: 50", "margin: 1e999")),
      StartsWith("test.yaml:6:13: tiers[0].margin must be an amount of money from 0 to 1e15, got "
                 "1e999, which is out of range"));
}

TEST(ScenarioErrors, ProbabilityOutOfRange) {
  EXPECT_EQ(only_problem(edit("churn: 0.02", "churn: 1.5")),
            "test.yaml:7:12: tiers[0].churn must be a probability between 0 and 1, got 1.5");
  EXPECT_EQ(only_problem(edit("{silver: 0.01}", "{silver: -0.01}")),
            "test.yaml:8:21: tiers[0].moves.silver must be a probability between 0 and 1, got "
            "-0.01");
  EXPECT_EQ(only_problem(edit("max_reduction: 0.5", "max_reduction: 2")),
            "test.yaml:17:29: retention.response.max_reduction must be a probability between 0 "
            "and 1, got 2");
}

TEST(ScenarioErrors, NegativeMoneyAndCounts) {
  EXPECT_EQ(only_problem(edit("margin: 50", "margin: -50")),
            "test.yaml:6:13: tiers[0].margin must be an amount of money from 0 to 1e15, got -50");
  EXPECT_EQ(
      only_problem(edit("per_period: 1000", "per_period: -1000")),
      "test.yaml:12:22: budget.per_period must be an amount of money from 0 to 1e15, got -1000");
  EXPECT_EQ(only_problem(edit("budget: {per_period: 1000}\n",
                              "budget: {per_period: 1000}\nfixed_costs: -1\n")),
            "test.yaml:13:14: fixed_costs must be an amount of money from 0 to 1e15, got -1");
  EXPECT_EQ(only_problem(edit("initial_customers: 100", "initial_customers: -3")),
            "test.yaml:5:24: tiers[0].initial_customers must be a whole number of customers from 0 "
            "to 1e15, got -3");
  EXPECT_EQ(only_problem(edit("retention: 0.5", "retention: {amount: -5}")),
            "test.yaml:21:25: policies[0].retention.amount must be an amount of money from 0 to "
            "1e15, got "
            "-5");
}

TEST(ScenarioErrors, PolicySharesAboveOne) {
  EXPECT_EQ(only_problem(edit("acquisition: 0.5", "acquisition: 0.7")),
            "test.yaml:19:5: policies[0]: the shares of the budget add up to 1.2 (acquisition "
            "0.7 + retention 0.5); they can add up to at most 1");
  // Amounts do not count towards the shares.
  EXPECT_THAT(problems(edit("acquisition: 0.5", "acquisition: {amount: 700}")), SizeIs(0));
  EXPECT_THAT(only_problem(edit("acquisition: 0.5", "acquisition: 1.5")),
              StartsWith("test.yaml:20:18: policies[0].acquisition must be a share of the budget "
                         "between 0 and 1, rest, or a map with one of share, amount, got 1.5"));
}

TEST(ScenarioErrors, MixMustSumToOne) {
  EXPECT_EQ(only_problem(edit("{gold: 0.2, silver: 0.8}", "{gold: 0.2, silver: 0.7}")),
            "test.yaml:15:21: acquisition.new_customer_mix: the shares add up to 0.9; they must "
            "add up to 1 (tiers not named get 0)");
  // Within 1e-9 is fine; a tier left out gets 0.
  EXPECT_THAT(problems(edit("{gold: 0.2, silver: 0.8}", "{gold: 0.2000000001, silver: 0.8}")),
              SizeIs(0));
  EXPECT_THAT(problems(edit("{gold: 0.2, silver: 0.8}", "{silver: 1}")), SizeIs(0));
}

TEST(ScenarioErrors, MovesAboveOne) {
  const std::string three_tiers = edit("  - name: silver\n",
                                       "  - name: bronze\n    margin: 1\n    churn: 0.1\n"
                                       "  - name: silver\n");
  EXPECT_EQ(only_problem(edit("{silver: 0.01}", "{silver: 0.6, bronze: 0.5}", three_tiers)),
            "test.yaml:8:12: tiers[0].moves: the move probabilities add up to 1.1; they can add "
            "up to at most 1");
}

TEST(ScenarioErrors, UnknownTierNameSuggestsTheClosest) {
  EXPECT_EQ(only_problem(edit("{silver: 0.01}", "{silvr: 0.01}")),
            "test.yaml:8:13: unknown tier 'silvr' in tiers[0].moves; did you mean 'silver'? "
            "(tiers: gold, silver)");
  const auto mix = problems(edit("{gold: 0.2, silver: 0.8}", "{gld: 0.2, silver: 0.8}"));
  EXPECT_THAT(mix, ElementsAre("test.yaml:15:22: unknown tier 'gld' in "
                               "acquisition.new_customer_mix; did you mean 'gold'? (tiers: gold, "
                               "silver)"));
  EXPECT_EQ(only_problem(edit("    retention: 0.5\n",
                              "    retention: 0.5\n    retention_weights: {Gold: 2}\n")),
            "test.yaml:22:25: unknown tier 'Gold' in policies[0].retention_weights; did you mean "
            "'gold'? (tiers: gold, silver)");
}

TEST(ScenarioErrors, MoveToItself) {
  EXPECT_EQ(only_problem(edit("{silver: 0.01}", "{gold: 0.01}")),
            "test.yaml:8:13: tiers[0].moves.gold: a tier cannot move to itself (customers who do "
            "not move stay in their tier); remove this entry");
}

TEST(ScenarioErrors, DuplicateTierAndPolicyNames) {
  const auto tiers = problems(edit("  - name: silver\n", "  - name: gold\n"));
  EXPECT_THAT(tiers, Contains("test.yaml:9:11: duplicate tier name 'gold' at tiers[1]: tiers[0] "
                              "(line 4) already has it; names must be unique"));
  EXPECT_EQ(only_problem(edit("    retention: 0.5\n", "    retention: 0.5\n  - name: half\n")),
            "test.yaml:22:11: duplicate policy name 'half' at policies[1]: policies[0] (line 19) "
            "already has it; names must be unique");
}

TEST(ScenarioErrors, ShapeKeysMustMatchTheShape) {
  const auto all = problems(edit("{shape: exponential, max_customers: 100, scale: 500}",
                                 "{shape: hill, max_customers: 100, scale: 500, slope: 2}"));
  EXPECT_THAT(all, ElementsAre("test.yaml:14:13: acquisition.response is missing required key "
                               "'half_saturation' (a number > 0 and at most 1e15)",
                               "test.yaml:14:47: acquisition.response.scale belongs to shape "
                               "exponential, not hill (hill takes max_customers, half_saturation "
                               "and slope)"));
  EXPECT_EQ(only_problem(edit("scale: 500}", "scale: 500, slope: 1}")),
            "test.yaml:14:66: acquisition.response.slope belongs to shape hill, not exponential "
            "(exponential takes max_customers and scale)");
  EXPECT_EQ(only_problem(edit("shape: exponential", "shape: logistic")),
            "test.yaml:14:21: acquisition.response.shape must be one of exponential, hill, got "
            "text 'logistic'");
  EXPECT_EQ(
      only_problem(edit("scale: 500}", "scale: 0}")),
      "test.yaml:14:61: acquisition.response.scale must be a number > 0 and at most 1e15, got 0");
}

TEST(ScenarioErrors, PerCustomerIsNotForAcquisition) {
  EXPECT_EQ(only_problem(edit("acquisition: 0.5", "acquisition: {per_customer: 3}")),
            "test.yaml:20:19: policies[0].acquisition.per_customer: acquisition cannot be spent "
            "per customer (per_customer is for retention, recovery and referral lines); use "
            "{share: x} or {amount: x}");
  EXPECT_THAT(problems(edit("retention: 0.5", "retention: {per_customer: 3}")), SizeIs(0));
}

TEST(ScenarioErrors, SpendLineTakesExactlyOneKey) {
  EXPECT_EQ(only_problem(edit("retention: 0.5", "retention: {share: 0.1, amount: 5}")),
            "test.yaml:21:29: policies[0].retention takes exactly one of share, amount, "
            "per_customer; found both 'share' and 'amount'");
  EXPECT_EQ(only_problem(edit("retention: 0.5", "retention: {}")),
            "test.yaml:21:16: policies[0].retention needs exactly one of share, amount, "
            "per_customer");
}

TEST(ScenarioErrors, ScheduleMustStartAtOneAndIncrease) {
  const std::string schedule =
      "    schedule:\n"                                    // 20
      "      - {from: 2, acquisition: 0.5}\n"              // 21
      "      - {from: 2, retention: {per_customer: 3}}\n"  // 22
      "      - {from: 30, acquisition: 0}\n";              // 23
  EXPECT_THAT(problems(edit("    acquisition: 0.5\n    retention: 0.5\n", schedule)),
              ElementsAre("test.yaml:21:16: policies[0].schedule[0].from must be 1: the first "
                          "step says what happens from the first period, got 2",
                          "test.yaml:22:16: policies[0].schedule[1].from must be greater than the "
                          "previous step's from (2), got 2; steps go in increasing order",
                          "test.yaml:23:16: policies[0].schedule[2].from must be an integer from "
                          "1 to 24, got 30"));
  // The schedule replaces the policy's own lines.
  EXPECT_THAT(
      problems(edit("    retention: 0.5\n", "    schedule:\n      - {from: 1, retention: 0.5}\n")),
      ElementsAre(HasSubstr("test.yaml:20:5: policies[0].acquisition cannot be combined "
                            "with schedule")));
}

TEST(ScenarioErrors, SpendingNeedsItsSection) {
  const std::string no_retention =
      edit("retention:\n  response: {max_reduction: 0.5, scale: 10}\n", "");
  EXPECT_EQ(only_problem(no_retention),
            "test.yaml:19:16: policies[0].retention spends on retention, but the scenario has no "
            "'retention' section (add one with a response, or spend 0)");
  EXPECT_THAT(problems(edit("retention: 0.5", "retention: 0", no_retention)), SizeIs(0));
}

TEST(ScenarioErrors, ReferralSpendNeedsAProgram) {
  std::string text = edit("policies:\n", "referrals: {rate: 0.01, conversion: 0.3}\npolicies:\n") +
                     "    referral: {amount: 100}\n";  // line 23
  EXPECT_EQ(only_problem(text),
            "test.yaml:23:15: policies[0].referral spends on a referral programme, but referrals "
            "has no 'program' saying what the spend does (add program: {max_uplift: x, scale: "
            "y}, or spend 0)");
  text = edit("conversion: 0.3}", "conversion: 0.3, program: {max_uplift: 1, scale: 5}}", text);
  EXPECT_THAT(problems(text), SizeIs(0));
}

TEST(ScenarioErrors, RetentionWeightsMustNotAllBeZero) {
  EXPECT_EQ(only_problem(edit("    retention: 0.5\n",
                              "    retention: 0.5\n    retention_weights: {gold: 0, silver: 0}\n")),
            "test.yaml:22:24: policies[0].retention_weights: every weight is 0, so the retention "
            "spend could not go to any tier; give at least one tier a weight above 0");
  EXPECT_THAT(problems(edit("    retention: 0.5\n",
                            "    retention: 0.5\n    retention_weights: {gold: 0}\n")),
              SizeIs(0));
}

TEST(ScenarioErrors, BudgetNeedsExactlyOneKind) {
  EXPECT_EQ(only_problem(edit("{per_period: 1000}", "{per_period: 1000, share_of_revenue: 0.1}")),
            "test.yaml:12:28: budget takes either per_period or share_of_revenue, not both");
  EXPECT_THAT(only_problem(edit("{per_period: 1000}", "{growth: 0.1}")),
              StartsWith("test.yaml:12:9: budget needs one of per_period"));
  EXPECT_EQ(only_problem(edit("{per_period: 1000}", "{share_of_revenue: 0.1, growth: 0.1}")),
            "test.yaml:12:33: budget.growth applies only with per_period; a budget given as "
            "share_of_revenue follows revenue");
  EXPECT_EQ(only_problem(edit("{per_period: 1000}", "{per_period: 1000, growth: -1}")),
            "test.yaml:12:36: budget.growth must be an annual growth rate above -1 and at most 1, "
            "got -1");
}

TEST(ScenarioErrors, ShockChecks) {
  EXPECT_THAT(problems(edit("policies:\n",
                            "shocks:\n  - {from: 0, churn: -1, periods: 0}\n"
                            "policies:\n")),
              ElementsAre("test.yaml:19:12: shocks[0].from must be an integer from 1 to 24, got 0",
                          "test.yaml:19:22: shocks[0].churn must be a multiplier from "
                          "0 to 1000, got -1",
                          "test.yaml:19:35: shocks[0].periods must be an integer from 1 to 10000, "
                          "got 0"));
}

TEST(ScenarioErrors, EmptyOrNonMapDocument) {
  EXPECT_THAT(only_problem(""), StartsWith("test.yaml:1:1: the scenario is empty"));
  EXPECT_THAT(only_problem("# nothing here\n"), StartsWith("test.yaml:1:1: the scenario is empty"));
  EXPECT_THAT(only_problem("- a\n- b\n"),
              StartsWith("test.yaml:1:1: the scenario must be a map (keys: name, description"));
  EXPECT_THAT(only_problem("\n\njust text\n"), HasSubstr("test.yaml:3:1: the scenario must be a "
                                                         "map"));
}

TEST(ScenarioErrors, StrayCommaAndSecondDocument) {
  // yaml-cpp 0.7 alone would loop without end on these (LoadAll) or see an empty file (Load).
  EXPECT_EQ(only_problem(",\n" + kValid),
            "test.yaml:1:1: YAML syntax error: unexpected ',' here (a ',' may only separate "
            "entries inside [ ] or { })");
  EXPECT_THAT(only_problem("# comment\n  ,name: x\n"), StartsWith("test.yaml:2:3: YAML syntax "
                                                                  "error: unexpected ','"));
  EXPECT_EQ(only_problem(kValid + "---\nname: other\n"),
            "test.yaml:22:1: a scenario file holds one YAML document, but a second one starts "
            "here");
}

// Found by fuzzing (docs/hardening.md): a policy name that was not UTF-8 passed the reader
// and made the JSON writer throw after the run.
TEST(ScenarioErrors, TextThatIsNotUtf8IsRejectedWithItsLines) {
  EXPECT_THAT(
      problems(edit("  - name: half\n", "  - name: \xAE\n") + "# caf\xE9\n"),
      ElementsAre("test.yaml:19: this line is not valid UTF-8 text; save the file as UTF-8",
                  "test.yaml:22: this line is not valid UTF-8 text; save the file as UTF-8"));
  EXPECT_THAT(problems(edit("name: test", "name: caf\xC3\xA9")), SizeIs(0));
}

TEST(ScenarioErrors, NameMustWorkAsAFolderName) {
  EXPECT_EQ(only_problem(edit("name: test", "name: a/b")),
            "test.yaml:1:7: name 'a/b' is used as the results folder name, so it cannot contain "
            "'/' or '\\' or be '.' or '..'");
  EXPECT_THAT(problems(edit("name: test", "name: ..")), SizeIs(1));
}

TEST(ScenarioErrors, SeveralProblemsAreReportedTogetherInFileOrder) {
  std::string text = edit("churn: 0.05", "churn: 5");
  text = edit("horizon: 24", "horizon: 0", text);
  text = edit("{silver: 0.01}", "{silvr: 0.01}", text);
  text = edit("acquisition: 0.5", "acquisition: {per_customer: 1}", text);
  text = edit("  - name: half\n", "  - name: half\n    colour: red\n", text);
  const auto all = problems(text);
  ASSERT_THAT(all, SizeIs(5));
  EXPECT_THAT(all[0], StartsWith("test.yaml:2:10: horizon must be"));
  EXPECT_THAT(all[1], StartsWith("test.yaml:8:13: unknown tier 'silvr'"));
  EXPECT_THAT(all[2], StartsWith("test.yaml:11:12: tiers[1].churn must be a probability"));
  EXPECT_THAT(all[3], StartsWith("test.yaml:20:5: unknown key 'colour' in policies[0]"));
  EXPECT_THAT(all[4], StartsWith("test.yaml:21:19: policies[0].acquisition.per_customer"));

  // what() lists them all, one per line.
  try {
    parse_scenario(text, "test.yaml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    const std::string what = error.what();
    EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 4);
  }
}

TEST(ScenarioErrors, UnreadableFile) {
  try {
    load_scenario_file("/no/such/dir/scenario.yaml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& error) {
    ASSERT_THAT(error.diagnostics(), SizeIs(1));
    EXPECT_EQ(format_diagnostic(error.diagnostics()[0]),
              "/no/such/dir/scenario.yaml: cannot read file: No such file or directory");
  }
}

// ------------------------------------------------------------------------------------------
// Valid scenarios fill the structs.

TEST(ScenarioValues, MinimalScenarioWithDefaults) {
  const Scenario s = parse_scenario(kValid, "dir/test.yaml");
  EXPECT_EQ(s.name, "test");
  EXPECT_EQ(s.source_file, "dir/test.yaml");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.horizon, 24);
  EXPECT_EQ(s.period, PeriodUnit::month);
  EXPECT_EQ(s.discount_rate, 0.0);
  EXPECT_EQ(s.paths, 10000);
  EXPECT_EQ(s.seed, 1u);
  ASSERT_THAT(s.tiers, SizeIs(2));
  EXPECT_EQ(s.tiers[0].name, "gold");
  EXPECT_EQ(s.tiers[0].initial_customers, 100);
  EXPECT_EQ(s.tiers[0].margin, 50.0);
  EXPECT_EQ(s.tiers[0].cost_to_serve, 0.0);
  EXPECT_EQ(s.tiers[0].churn, 0.02);
  ASSERT_THAT(s.tiers[0].moves, SizeIs(1));
  EXPECT_EQ(s.tiers[0].moves[0].to_tier, 1);
  EXPECT_EQ(s.tiers[0].moves[0].probability, 0.01);
  EXPECT_EQ(s.tiers[1].initial_customers, 0);
  EXPECT_TRUE(s.tiers[1].moves.empty());
  EXPECT_FALSE(s.loyalty.has_value());
  EXPECT_EQ(s.budget.per_period, 1000.0);
  EXPECT_EQ(s.budget.growth, 0.0);
  EXPECT_FALSE(s.budget.share_of_revenue.has_value());
  EXPECT_EQ(s.fixed_costs, 0.0);
  ASSERT_TRUE(s.acquisition.has_value());
  EXPECT_EQ(s.acquisition->response.shape, ResponseShape::exponential);
  EXPECT_EQ(s.acquisition->response.max_customers, 100.0);
  EXPECT_EQ(s.acquisition->response.scale, 500.0);
  EXPECT_THAT(s.acquisition->new_customer_mix, ElementsAre(0.2, 0.8));
  ASSERT_TRUE(s.retention.has_value());
  EXPECT_EQ(s.retention->max_reduction, 0.5);
  EXPECT_EQ(s.retention->scale, 10.0);
  ASSERT_THAT(s.policies, SizeIs(1));
  EXPECT_EQ(s.policies[0].name, "half");
  ASSERT_THAT(s.policies[0].steps, SizeIs(1));
  const PolicyStep& step = s.policies[0].steps[0];
  EXPECT_EQ(step.from_period, 1);
  EXPECT_EQ(step.acquisition.kind, SpendLine::Kind::share);
  EXPECT_EQ(step.acquisition.value, 0.5);
  EXPECT_EQ(step.retention.kind, SpendLine::Kind::share);
  EXPECT_EQ(step.retention.value, 0.5);
  EXPECT_THAT(step.retention_weights, ElementsAre(1.0, 1.0));
  EXPECT_TRUE(s.shocks.empty());
}

const std::string kFull = R"(name: full
description: Every key in use.
horizon: 20
period: quarter
discount_rate: 0.08
paths: 500
seed: 18446744073709551615
tiers:
  - name: platinum
    initial_customers: 10
    margin: 400
    cost_to_serve: 60
    churn: 0.01
    moves: {gold: 0.02, lead: 0.001}
  - name: gold
    initial_customers: 20
    margin: 100
    churn: 0.02
    moves: {platinum: 0.005}
  - name: lead
    margin: 10
    cost_to_serve: 12
    churn: 0.05
loyalty: {floor: 0.6, half_life: 4}
budget: {share_of_revenue: 0.1}
fixed_costs: 2500
acquisition:
  response: {shape: hill, max_customers: 900, half_saturation: 80000, slope: 1.2}
  new_customer_mix: {lead: 0.75, gold: 0.25}
retention:
  response: {max_reduction: 0.4, scale: 25}
policies:
  - name: nothing
  - name: staged
    schedule:
      - {from: 1, acquisition: {amount: 30000}, retention: {per_customer: 15}}
      - from: 5
        acquisition: {share: 0.25}
        retention: {amount: 100}
        retention_weights: {platinum: 4, lead: 0}
shocks:
  - {name: recession, from: 9, periods: 4, budget: 0.7, churn: 1.5, acquisition: 0.8, margin: 0.95, costs: 1.1}
  - {from: 15}
)";

TEST(ScenarioValues, EveryKeyIsRead) {
  const Scenario s = parse_scenario(kFull, "full.yaml");
  EXPECT_EQ(s.name, "full");
  EXPECT_EQ(s.description, "Every key in use.");
  EXPECT_EQ(s.horizon, 20);
  EXPECT_EQ(s.period, PeriodUnit::quarter);
  EXPECT_EQ(s.discount_rate, 0.08);
  EXPECT_EQ(s.paths, 500);
  EXPECT_EQ(s.seed, std::numeric_limits<std::uint64_t>::max());

  ASSERT_THAT(s.tiers, SizeIs(3));
  ASSERT_THAT(s.tiers[0].moves, SizeIs(2));
  EXPECT_EQ(s.tiers[0].moves[0].to_tier, 1);
  EXPECT_EQ(s.tiers[0].moves[0].probability, 0.02);
  EXPECT_EQ(s.tiers[0].moves[1].to_tier, 2);
  EXPECT_EQ(s.tiers[0].moves[1].probability, 0.001);
  ASSERT_THAT(s.tiers[1].moves, SizeIs(1));
  EXPECT_EQ(s.tiers[1].moves[0].to_tier, 0);
  EXPECT_EQ(s.tiers[2].cost_to_serve, 12.0);

  ASSERT_TRUE(s.loyalty.has_value());
  EXPECT_EQ(s.loyalty->floor, 0.6);
  EXPECT_EQ(s.loyalty->half_life, 4.0);
  ASSERT_TRUE(s.budget.share_of_revenue.has_value());
  EXPECT_EQ(*s.budget.share_of_revenue, 0.1);
  EXPECT_EQ(s.budget.per_period, 0.0);
  EXPECT_EQ(s.fixed_costs, 2500.0);

  ASSERT_TRUE(s.acquisition.has_value());
  EXPECT_EQ(s.acquisition->response.shape, ResponseShape::hill);
  EXPECT_EQ(s.acquisition->response.max_customers, 900.0);
  EXPECT_EQ(s.acquisition->response.half_saturation, 80000.0);
  EXPECT_EQ(s.acquisition->response.slope, 1.2);
  EXPECT_THAT(s.acquisition->new_customer_mix, ElementsAre(0.0, 0.25, 0.75));
  EXPECT_EQ(s.retention->max_reduction, 0.4);

  ASSERT_THAT(s.policies, SizeIs(2));
  ASSERT_THAT(s.policies[0].steps, SizeIs(1));
  EXPECT_EQ(s.policies[0].steps[0].acquisition.value, 0.0);
  EXPECT_EQ(s.policies[0].steps[0].retention.value, 0.0);
  EXPECT_THAT(s.policies[0].steps[0].retention_weights, ElementsAre(1.0, 1.0, 1.0));

  const auto& steps = s.policies[1].steps;
  ASSERT_THAT(steps, SizeIs(2));
  EXPECT_EQ(steps[0].from_period, 1);
  EXPECT_EQ(steps[0].acquisition.kind, SpendLine::Kind::amount);
  EXPECT_EQ(steps[0].acquisition.value, 30000.0);
  EXPECT_EQ(steps[0].retention.kind, SpendLine::Kind::per_customer);
  EXPECT_EQ(steps[0].retention.value, 15.0);
  EXPECT_THAT(steps[0].retention_weights, ElementsAre(1.0, 1.0, 1.0));
  EXPECT_EQ(steps[1].from_period, 5);
  EXPECT_EQ(steps[1].acquisition.kind, SpendLine::Kind::share);
  EXPECT_EQ(steps[1].acquisition.value, 0.25);
  EXPECT_EQ(steps[1].retention.kind, SpendLine::Kind::amount);
  EXPECT_EQ(steps[1].retention.value, 100.0);
  EXPECT_THAT(steps[1].retention_weights, ElementsAre(4.0, 1.0, 0.0));

  ASSERT_THAT(s.shocks, SizeIs(2));
  EXPECT_EQ(s.shocks[0].name, "recession");
  EXPECT_EQ(s.shocks[0].from_period, 9);
  EXPECT_EQ(s.shocks[0].periods, 4);
  EXPECT_EQ(s.shocks[0].multipliers.budget, 0.7);
  EXPECT_EQ(s.shocks[0].multipliers.churn, 1.5);
  EXPECT_EQ(s.shocks[0].multipliers.acquisition, 0.8);
  EXPECT_EQ(s.shocks[0].multipliers.margin, 0.95);
  EXPECT_EQ(s.shocks[0].multipliers.costs, 1.1);
  // Defaults: no name, multipliers 1, lasting to the end of the horizon.
  EXPECT_EQ(s.shocks[1].name, "");
  EXPECT_EQ(s.shocks[1].from_period, 15);
  EXPECT_EQ(s.shocks[1].periods, 6);
  EXPECT_EQ(s.shocks[1].multipliers.budget, 1.0);
  EXPECT_EQ(s.shocks[1].multipliers.churn, 1.0);
  EXPECT_EQ(s.shocks[1].multipliers.costs, 1.0);
}

TEST(ScenarioValues, GrowthAndNumberForms) {
  const Scenario s = parse_scenario(
      edit("{per_period: 1000}", "{per_period: 1.5e3, growth: -0.5}",
           edit("horizon: 24\n", "horizon: 24\ndiscount_rate: 1\nperiod: year\nseed: 0\n")),
      "t.yaml");
  EXPECT_EQ(s.budget.per_period, 1500.0);
  EXPECT_EQ(s.budget.growth, -0.5);
  EXPECT_EQ(s.discount_rate, 1.0);
  EXPECT_EQ(s.period, PeriodUnit::year);
  EXPECT_EQ(s.seed, 0u);
}

#ifdef TENURE_SOURCE_DIR
TEST(ScenarioValues, ShippedScenariosLoad) {
  for (const char* file : {"baseline.yaml", "budget-stress.yaml"}) {
    const std::string path = std::string(TENURE_SOURCE_DIR) + "/scenarios/" + file;
    SCOPED_TRACE(path);
    const Scenario s = load_scenario_file(path);
    EXPECT_EQ(s.source_file, path);
    EXPECT_THAT(s.tiers, SizeIs(4));
    EXPECT_FALSE(s.policies.empty());
  }
}
#endif

}  // namespace
}  // namespace tenure
