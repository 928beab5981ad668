// The scenario reader on the relationship mechanisms: values land in the structs, and each
// kind of mistake is reported at its position with the key's path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario_yaml.hpp"
#include "tests/scenario_text.hpp"

namespace tenure {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kFull =
    "name: full\n"   //  1
    "horizon: 12\n"  //  2
    "tiers:\n"       //  3
    "  - {name: gold, initial_customers: 100, margin: 50, churn: 0.02, margin_growth: 0.04}\n"
    "  - {name: silver, initial_customers: 300, margin: 20, churn: 0.05}\n"  //  5
    "budget: {per_period: 1000}\n"                                           //  6
    "market: {prospects: 5000}\n"                                            //  7
    "acquisition:\n"                                                         //  8
    "  response: {shape: exponential, max_customers: 100, scale: 500}\n"     //  9
    "  new_customer_mix: {gold: 0.2, silver: 0.8}\n"                         // 10
    "  adstock: 0.3\n"                                                       // 11
    "retention:\n"                                                           // 12
    "  response: {max_reduction: 0.5, scale: 10}\n"                          // 13
    "  upgrade: {max_uplift: 1.0, scale: 10}\n"                              // 14
    "service:\n"                                                             // 15
    "  failure: 0.03\n"                                                      // 16
    "  concession: 200\n"                                                    // 17
    "  success: 0.8\n"                                                       // 18
    "  defection: {gold: 0.3, silver: 0.5}\n"                                // 19
    "word_of_mouth: {reach: 10, decay: 0.2}\n"                               // 20
    "referrals:\n"                                                           // 21
    "  rate: {gold: 0.02}\n"                                                 // 22
    "  conversion: 0.3\n"                                                    // 23
    "  reward: 40\n"                                                         // 24
    "  program: {max_uplift: 2, scale: 5}\n"                                 // 25
    "intermediaries:\n"                                                      // 26
    "  - {name: estate agents, prospects: 5, conversion: 0.4, commission: 300}\n"
    "heterogeneity: {classes: 4, concentration: 6}\n"  // 28
    "policies:\n"                                      // 29
    "  - name: p\n"                                    // 30
    "    acquisition: 0.4\n"                           // 31
    "    retention: 0.3\n"                             // 32
    "    recovery: 0.1\n"                              // 33
    "    recovery_tiers: [gold]\n"                     // 34
    "    referral: {per_customer: 2}\n";               // 35

// kFull with `from` replaced by `to`; `from` must occur exactly once.
std::string edit(const std::string& from, const std::string& to, std::string text = kFull) {
  return test::replace_once(std::move(text), from, to);
}

std::vector<std::string> problems(const std::string& yaml) {
  return test::diagnostics_of(yaml, "m.yaml");
}

TEST(ScenarioMechanisms, EveryKeyIsRead) {
  const Scenario s = parse_scenario(kFull, "m.yaml");
  EXPECT_DOUBLE_EQ(s.tiers[0].margin_growth, 0.04);
  EXPECT_DOUBLE_EQ(s.tiers[1].margin_growth, 0.0);
  ASSERT_TRUE(s.prospect_pool);
  EXPECT_DOUBLE_EQ(*s.prospect_pool, 5000.0);
  EXPECT_DOUBLE_EQ(s.acquisition->adstock, 0.3);
  ASSERT_TRUE(s.upgrade);
  EXPECT_DOUBLE_EQ(s.upgrade->max_uplift, 1.0);
  ASSERT_TRUE(s.service);
  EXPECT_THAT(s.service->failure, ElementsAre(0.03, 0.03));  // one number: every tier
  EXPECT_THAT(s.service->defection, ElementsAre(0.3, 0.5));
  EXPECT_DOUBLE_EQ(s.service->concession, 200.0);
  EXPECT_DOUBLE_EQ(s.service->recovery_success, 0.8);
  ASSERT_TRUE(s.word_of_mouth);
  EXPECT_DOUBLE_EQ(s.word_of_mouth->trust, 0.9);  // the default
  EXPECT_DOUBLE_EQ(s.word_of_mouth->decay, 0.2);
  ASSERT_TRUE(s.referrals);
  EXPECT_THAT(s.referrals->rate, ElementsAre(0.02, 0.0));  // tiers not named get 0
  EXPECT_DOUBLE_EQ(s.referrals->max_uplift, 2.0);
  ASSERT_EQ(s.intermediaries.size(), 1u);
  EXPECT_EQ(s.intermediaries[0].name, "estate agents");
  EXPECT_DOUBLE_EQ(s.intermediaries[0].commission, 300.0);
  ASSERT_TRUE(s.heterogeneity);
  EXPECT_EQ(s.heterogeneity->classes, 4);
  const PolicyStep& step = s.policies[0].steps[0];
  EXPECT_EQ(step.recovery.kind, SpendLine::Kind::share);
  EXPECT_DOUBLE_EQ(step.recovery.value, 0.1);
  EXPECT_EQ(step.referral.kind, SpendLine::Kind::per_customer);
  EXPECT_THAT(step.recovery_tiers, ElementsAre(true, false));
}

TEST(ScenarioMechanisms, RecoveryTiersAllMeansEveryTier) {
  const Scenario s =
      parse_scenario(edit("recovery_tiers: [gold]", "recovery_tiers: all"), "m.yaml");
  EXPECT_TRUE(s.policies[0].steps[0].recovery_tiers.empty());
}

TEST(ScenarioMechanisms, UnknownRecoveryTierSuggestsTheClosest) {
  EXPECT_THAT(problems(edit("recovery_tiers: [gold]", "recovery_tiers: [gold, silvr]")),
              ElementsAre("m.yaml:34:28: unknown tier 'silvr' in policies[0].recovery_tiers[1]; "
                          "did you mean 'silver'? (tiers: gold, silver; or write "
                          "recovery_tiers: all)"));
}

TEST(ScenarioMechanisms, SharesIncludeRecoveryAndReferral) {
  EXPECT_THAT(problems(edit("    recovery: 0.1\n", "    recovery: 0.4\n")),
              ElementsAre(HasSubstr("m.yaml:30:5: policies[0]: the shares of the budget add up "
                                    "to 1.1 (acquisition 0.4 + retention 0.3 + recovery 0.4)")));
}

TEST(ScenarioMechanisms, SpendingOnAMechanismTheScenarioLacksIsAnError) {
  std::string text = edit("word_of_mouth: {reach: 10, decay: 0.2}\n", "");
  text = edit(
      "service:\n  failure: 0.03\n  concession: 200\n  success: 0.8\n"
      "  defection: {gold: 0.3, silver: 0.5}\n",
      "", text);
  EXPECT_THAT(problems(text), ElementsAre(HasSubstr("policies[0].recovery funds service recovery, "
                                                    "but the scenario has no 'service' section")));
  text = edit(
      "referrals:\n  rate: {gold: 0.02}\n  conversion: 0.3\n  reward: 40\n"
      "  program: {max_uplift: 2, scale: 5}\n",
      "");
  EXPECT_THAT(problems(text),
              ElementsAre(HasSubstr("m.yaml:30:15: policies[0].referral spends on a referral "
                                    "programme, but the scenario has no 'referrals' section")));
}

TEST(ScenarioMechanisms, WordOfMouthNeedsAPoolAndFailures) {
  EXPECT_THAT(problems(edit("market: {prospects: 5000}\n", "")),
              ElementsAre(HasSubstr("m.yaml:19:16: word_of_mouth damages the prospect pool, so it "
                                    "needs a 'market' section")));
}

TEST(ScenarioMechanisms, ServiceNeedsFailureAndDefection) {
  EXPECT_THAT(problems(edit("  failure: 0.03\n", "")),
              ElementsAre("m.yaml:16:3: service is missing required key 'failure' (a probability "
                          "of a failure per period, or a map from tier to probability)"));
}

TEST(ScenarioMechanisms, ProbabilitiesOfTheMechanismsAreChecked) {
  EXPECT_THAT(problems(edit("{gold: 0.3, silver: 0.5}", "{gold: 0.3, silver: 1.5}")),
              ElementsAre(HasSubstr("m.yaml:19:34: service.defection.silver")));
  EXPECT_THAT(problems(edit("  conversion: 0.3\n", "  conversion: -0.3\n")),
              ElementsAre(HasSubstr("m.yaml:23:15: referrals.conversion")));
  EXPECT_THAT(problems(edit("  adstock: 0.3\n", "  adstock: 1\n")),
              ElementsAre(HasSubstr("m.yaml:11:12: acquisition.adstock")));
}

TEST(ScenarioMechanisms, HeterogeneityClassesAreBounded) {
  EXPECT_THAT(problems(edit("classes: 4", "classes: 40")),
              ElementsAre(HasSubstr("m.yaml:28:26: heterogeneity.classes")));
  EXPECT_THAT(problems(edit("concentration: 6", "concentration: 0")),
              ElementsAre(HasSubstr("m.yaml:28:44: heterogeneity.concentration")));
}

TEST(ScenarioMechanisms, IntermediariesNeedUniqueNamesAndAMix) {
  const std::string twice =
      edit("  - {name: estate agents, prospects: 5, conversion: 0.4, commission: 300}\n",
           "  - {name: estate agents, prospects: 5, conversion: 0.4, commission: 300}\n"
           "  - {name: estate agents, prospects: 2, conversion: 0.4}\n");
  EXPECT_THAT(problems(twice),
              ElementsAre(HasSubstr("duplicate intermediary name 'estate agents'")));
  EXPECT_THAT(problems(edit("    commission: 300}", "    commision: 300}",
                            edit("commission: 300}", "    commission: 300}"))),
              ElementsAre(HasSubstr("did you mean 'commission'?")));
}

TEST(ScenarioMechanisms, NamesMustNotCollideInResultColumns) {
  const std::string twice =
      edit("  - {name: estate agents, prospects: 5, conversion: 0.4, commission: 300}\n",
           "  - {name: estate agents, prospects: 5, conversion: 0.4, commission: 300}\n"
           "  - {name: Estate_Agents, prospects: 2, conversion: 0.4}\n");
  EXPECT_THAT(
      problems(twice),
      ElementsAre("m.yaml:28:12: intermediary name 'Estate_Agents' at intermediaries[1] and "
                  "'estate agents' at intermediaries[0] both appear as 'estate_agents' in "
                  "result column names; rename one"));
}

TEST(ScenarioMechanisms, ShippedMechanismScenariosLoad) {
  for (const char* name : {"law-firm", "concession", "bank-referrals", "retention-uplift"}) {
    SCOPED_TRACE(name);
    EXPECT_NO_THROW(
        load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/" + name + ".yaml"));
  }
}

}  // namespace
}  // namespace tenure
