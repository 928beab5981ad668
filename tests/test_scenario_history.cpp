// The scenario keys of customers with a history and of heterogeneity: initial customers by
// tenure, a tier's own concentration, classes: auto and the tolerance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario_text.hpp"
#include "sim/calibration/cohort_csv.hpp"
#include "sim/calibration/fit_report.hpp"
#include "sim/calibration/sbg_fit.hpp"
#include "sim/engine/model.hpp"

namespace tenure {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kBase =
    "name: history\n"                                                      //  1
    "horizon: 12\n"                                                        //  2
    "tiers:\n"                                                             //  3
    "  - name: gold\n"                                                     //  4
    "    margin: 50\n"                                                     //  5
    "    churn: 0.02\n"                                                    //  6
    "    initial_customers: 100\n"                                         //  7
    "  - {name: iron, initial_customers: 400, margin: 10, churn: 0.05}\n"  //  8
    "budget: {per_period: 1000}\n"                                         //  9
    "heterogeneity: {concentration: 4}\n"                                  // 10
    "policies:\n"                                                          // 11
    "  - {name: p}\n";                                                     // 12

std::string edit(const std::string& from, const std::string& to, std::string text = kBase) {
  return test::replace_once(std::move(text), from, to);
}

std::vector<std::string> problems(const std::string& yaml) {
  return test::diagnostics_of(yaml, "h.yaml");
}

TEST(ScenarioHistory, CohortsByTenureAndTheirDefaults) {
  ASSERT_THAT(problems(kBase), IsEmpty());
  const Scenario plain = parse_scenario(kBase, "h.yaml");
  EXPECT_EQ(plain.heterogeneity->classes, 0);  // auto
  EXPECT_EQ(plain.heterogeneity->tolerance, 0.001);
  EXPECT_FALSE(plain.tiers[0].initial_tenure);
  const std::string cohorts = edit("    initial_customers: 100\n",
                                   "    initial_customers:\n"
                                   "      - {tenure: 0, customers: 30}\n"
                                   "      - {tenure: 60, customers: 70}\n"
                                   "    concentration: 2\n");
  ASSERT_THAT(problems(cohorts), IsEmpty());
  const Scenario s = parse_scenario(cohorts, "h.yaml");
  ASSERT_EQ(s.tiers[0].cohorts.size(), 2u);
  EXPECT_EQ(s.tiers[0].cohorts[1].tenure, 60);
  EXPECT_EQ(s.tiers[0].cohorts[1].customers, 70);
  EXPECT_EQ(s.tiers[0].concentration, 2.0);
  // Without loyalty the default tenure is 0; with it, 8 half-lives (the floor).
  const Model model = build_model(s);
  EXPECT_EQ(model.initial[1].front().tenure, 0);
  const Scenario loyal = parse_scenario(kBase + "loyalty: {floor: 0.5, half_life: 6}\n", "h.yaml");
  EXPECT_EQ(build_model(loyal).initial[1].front().tenure, 48);
}

TEST(ScenarioHistory, BadHistoriesAreReportedAtTheirPosition) {
  EXPECT_THAT(problems(edit("    initial_customers: 100\n",
                            "    initial_customers: [{tenure: -1, customers: 5}]\n"
                            "    initial_tenure: 3\n")),
              ::testing::ElementsAre(
                  HasSubstr("h.yaml:7:34: tiers[0].initial_customers[0].tenure must be a whole "
                            "number of periods from 0 to 10000, got -1"),
                  HasSubstr("h.yaml:8:5: tiers[0].initial_tenure: initial_tenure is for "
                            "initial_customers given as one number")));
  EXPECT_THAT(
      problems(edit("    initial_customers: 100\n", "    initial_customers: [{tenure: 2}]\n")),
      ::testing::ElementsAre(HasSubstr("is missing required key 'customers'")));
  EXPECT_THAT(problems(edit("heterogeneity: {concentration: 4}\n", "heterogeneity: {}\n")),
              ::testing::ElementsAre(HasSubstr(
                  "h.yaml:10:16: heterogeneity is missing required key 'concentration' (a "
                  "number > 0 and at most 1e6: the default for tiers without their own; tiers "
                  "without one: gold, iron)")));
  EXPECT_THAT(
      problems(edit("heterogeneity: {concentration: 4}\n",
                    "heterogeneity: {concentration: 4, classes: many}\n")),
      ::testing::ElementsAre(HasSubstr("classes must be auto, or an integer from 1 to 20")));
  EXPECT_THAT(problems(edit("heterogeneity: {concentration: 4}\n", "",
                            edit("    churn: 0.02\n", "    churn: 0.02\n    concentration: 3\n"))),
              ::testing::ElementsAre(HasSubstr("tiers[0].concentration needs a 'heterogeneity' "
                                               "section")));
  EXPECT_THAT(problems(edit("heterogeneity: {concentration: 4}\n",
                            "heterogeneity: {concentration: 4, tolerance: 0}\n")),
              ::testing::ElementsAre(HasSubstr("tolerance must be a relative error > 0")));
}

// fit.yaml pastes into a scenario: its tiers (given margins) and its heterogeneity section
// read as the estimates, with distributions too (--uncertain).
TEST(ScenarioHistory, TheFitSnippetPastesIntoAScenario) {
  const CohortFit fit = fit_cohorts(
      load_cohort_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/data/cohorts-sample.csv"));
  for (const bool uncertain : {false, true}) {
    std::string snippet = fit_yaml(fit, uncertain);
    for (const char* tier : {"regular", "high-end"}) {
      const std::string name = std::string("  - name: ") + tier + "\n";
      snippet = test::replace_once(snippet, name, name + "    margin: 10\n");
    }
    const std::string text = "name: fitted\nhorizon: 5\nperiod: year\n" + snippet +
                             "budget: {per_period: 0}\npolicies:\n  - {name: p}\n";
    if (uncertain) {  // distributions are for the uncertainty of a later issue: the keys exist
      EXPECT_THAT(snippet, HasSubstr("{dist: beta, mean: 0.373294, sd: 0.0147"));
      continue;
    }
    ASSERT_THAT(problems(text), IsEmpty()) << text;
    const Scenario s = parse_scenario(text, "fitted.yaml");
    EXPECT_NEAR(s.tiers[0].churn, fit.tiers[0].estimate.churn, 1e-6);  // 6 significant digits
    EXPECT_NEAR(*s.tiers[0].concentration, fit.tiers[0].estimate.concentration, 1e-5);
    EXPECT_EQ(s.heterogeneity->classes, 0);
  }
}

}  // namespace
}  // namespace tenure
