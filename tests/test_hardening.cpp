// Inputs that validate must never corrupt memory, overflow or produce nonsense; bad input of
// any size is refused with a clear message, before any work. Regression tests of the audit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scenario_text.hpp"

namespace tenure {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kBase =
    "name: hard\n"
    "horizon: 12\n"
    "paths: 20\n"
    "tiers:\n"
    "  - {name: gold, initial_customers: 100, margin: 50, churn: 0.02}\n"
    "  - {name: iron, initial_customers: 400, margin: 10, churn: 0.05}\n"
    "budget: {per_period: 1000}\n"
    "acquisition:\n"
    "  response: {shape: exponential, max_customers: 100, scale: 500}\n"
    "  new_customer_mix: {gold: 0.2, iron: 0.8}\n"
    "policies:\n"
    "  - {name: spend, acquisition: 1}\n";

std::string edit(const std::string& from, const std::string& to) {
  return test::replace_once(kBase, from, to);
}

// The first diagnostic of a text ("" if it parses).
std::string first_problem(const std::string& yaml) {
  const auto all = test::diagnostics_of(yaml, "h.yaml");
  return all.empty() ? "" : all.front();
}

TEST(Hardening, BaseScenarioIsValid) {
  EXPECT_THAT(test::diagnostics_of(kBase, "h.yaml"), IsEmpty());
}

TEST(Hardening, HugeCountsAreRefusedAtTheirPosition) {
  EXPECT_THAT(first_problem(edit("paths: 20", "paths: 4611686018427387905")),
              HasSubstr("h.yaml:3:8: paths must be an integer from 1 to 100000000"));
  EXPECT_THAT(
      first_problem(edit("initial_customers: 100", "initial_customers: 4611686018427387904")),
      HasSubstr("initial_customers must be a whole number of customers from 0 to 1e15"));
  EXPECT_THAT(first_problem(edit("max_customers: 100", "max_customers: 1e19")),
              HasSubstr("max_customers must be a number of customers per period from 0 to 1e12"));
  EXPECT_THAT(first_problem(edit("max_customers: 100", "max_customers: 1e300")),
              HasSubstr("from 0 to 1e12, got 1e300"));
  // Within bounds one by one, too many together.
  const std::string two_big =
      test::replace_once(edit("initial_customers: 100", "initial_customers: 900000000000000"),
                         "initial_customers: 400", "initial_customers: 900000000000000");
  EXPECT_THAT(first_problem(two_big), HasSubstr("a world can count at most 1e15 exactly"));
}

// A scenario with `count` tiers, each allowed.
std::string with_tiers(int count, const std::string& extra = "") {
  std::string text = "name: many\nhorizon: 12\ntiers:\n";
  for (int i = 0; i < count; ++i)
    text += "  - {name: t" + std::to_string(i) + ", margin: 1, churn: 0.1}\n";
  return text + "budget: {per_period: 1}\npolicies:\n  - {name: p}\n" + extra;
}

TEST(Hardening, SizesAreBounded) {
  EXPECT_THAT(test::diagnostics_of(with_tiers(50), "h.yaml"), IsEmpty());
  EXPECT_THAT(first_problem(with_tiers(51)),
              HasSubstr("tiers has 51 entries; at most 50 are allowed"));
  // 50 tiers x 20 classes x 10,001 tenure cells: just over 10 million cells a world.
  const std::string cells =
      test::replace_once(with_tiers(50, "heterogeneity: {classes: 20, concentration: 2}\n"),
                         "horizon: 12", "horizon: 10000");
  EXPECT_THAT(first_problem(cells), HasSubstr("cells per world"));
}

TEST(Hardening, NamesWithControlCharactersAreRefused) {
  EXPECT_THAT(first_problem(edit("name: hard", "name: \"ha\\x01rd\"")),
              HasSubstr("name must be a name of at most 200 bytes without control characters"));
  EXPECT_THAT(first_problem(edit("name: spend", "name: \"sp\\tend\"")),
              HasSubstr("policies[0].name must be a name"));
}

TEST(Hardening, TaggedTextIsNotANumber) {
  EXPECT_THAT(first_problem(edit("horizon: 12", "horizon: !!str 12")),
              HasSubstr("horizon must be an integer from 1 to 10000, got 12 tagged "
                        "tag:yaml.org,2002:str"));
}

// The did-you-mean suggestion compares words by edit distance, a table of their two lengths:
// a 200,000-character word gets no suggestion rather than a 40-billion-cell table.
TEST(Hardening, SuggestionsStayCheapForHugeWords) {
  const std::string word(200000, 'm');
  const std::string problem = first_problem(kBase + "period: " + word + "\n");
  EXPECT_THAT(problem, HasSubstr("period must be one of month, quarter, year"));
  EXPECT_THAT(problem, ::testing::Not(HasSubstr("did you mean")));
  EXPECT_THAT(first_problem(kBase + "period: monht\n"), HasSubstr("did you mean 'month'?"));
}

}  // namespace
}  // namespace tenure
