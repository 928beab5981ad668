// The cohort CSV reader: valid files in their accepted forms, every kind of mistake with its
// line and message (all at once, in line order), the size limits, and random damage to a
// valid file, which must only ever produce diagnostics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/calibration/cohort_csv.hpp"
#include "sim/calibration/fit_report.hpp"
#include "sim/calibration/sbg_fit.hpp"
#include "sim/calibration/text.hpp"
#include "tests/scenario_text.hpp"

namespace tenure {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Every diagnostic as "FILE:LINE: message"; empty if the text parses.
std::vector<std::string> problems(const std::string& text) {
  std::vector<std::string> out;
  try {
    parse_cohort_csv(text, "c.csv");
  } catch (const CohortDataError& error) {
    for (const Diagnostic& d : error.diagnostics()) out.push_back(format_diagnostic(d));
  }
  return out;
}

// A valid two-tier file; the line numbers are those the tests assert.
const std::string kValid =
    "tier,cohort,period,active\n"  // 1
    "gold,2024-01,0,100\n"         // 2
    "gold,2024-01,1,80\n"          // 3
    "gold,2024-01,2,70\n"          // 4
    "gold,2024-02,0,50\n"          // 5
    "gold,2024-02,1,41\n"          // 6
    "iron,2024-01,0,300\n"         // 7
    "iron,2024-01,1,200\n"         // 8
    "iron,2024-01,2,150\n";        // 9

TEST(CohortCsv, ReadsTiersAndCohortsInFileOrder) {
  const CohortData data = parse_cohort_csv(kValid, "c.csv");
  EXPECT_TRUE(data.has_tier_column);
  ASSERT_EQ(data.tiers.size(), 2u);
  EXPECT_EQ(data.tiers[0].name, "gold");
  ASSERT_EQ(data.tiers[0].cohorts.size(), 2u);
  EXPECT_EQ(data.tiers[0].cohorts[0].id, "2024-01");
  EXPECT_THAT(data.tiers[0].cohorts[0].active, ElementsAre(100, 80, 70));
  EXPECT_EQ(data.tiers[0].cohorts[0].line, 2);
  EXPECT_THAT(data.tiers[0].cohorts[1].active, ElementsAre(50, 41));
  EXPECT_EQ(data.tiers[1].name, "iron");
  EXPECT_THAT(data.tiers[1].cohorts[0].active, ElementsAre(300, 200, 150));
}

TEST(CohortCsv, AcceptsAnyColumnOrderCaseCrlfBomBlanksQuotesAndRowOrder) {
  const std::string text =
      "\xEF\xBB\xBF Active , PERIOD,cohort\r\n"
      "70,2,\"a, b\"\r\n"
      "100,\"0\",\"a, b\"\r\n"
      "\r\n"
      "  80 ,1,  \"a, b\"  \r\n"
      "\r\n";
  const CohortData data = parse_cohort_csv(text, "c.csv");
  EXPECT_FALSE(data.has_tier_column);
  ASSERT_EQ(data.tiers.size(), 1u);
  EXPECT_EQ(data.tiers[0].name, "all");
  EXPECT_EQ(data.tiers[0].cohorts[0].id, "a, b");
  EXPECT_THAT(data.tiers[0].cohorts[0].active, ElementsAre(100, 80, 70));
  EXPECT_EQ(data.tiers[0].cohorts[0].line, 3);
}

TEST(CohortCsv, QuotedFieldsFollowRfc4180) {
  const CohortData data = parse_cohort_csv(
      "cohort,period,active\n\"say \"\"hi\"\"\",0,5\n\"say \"\"hi\"\"\",1,4\n", "c");
  EXPECT_EQ(data.tiers[0].cohorts[0].id, "say \"hi\"");
}

TEST(CohortCsv, ReportsHeaderProblems) {
  EXPECT_THAT(problems("cohort,period,actve\nx,0,1\n"),
              ElementsAre("c.csv:1: unknown column 'actve' (column 3); the columns are cohort, "
                          "period and active, and optionally tier",
                          "c.csv:1: the header has no 'active' column; the first line must name "
                          "the columns cohort, period and active (and optionally tier)"));
  EXPECT_THAT(problems("cohort,period,active,Period\n"),
              ElementsAre("c.csv:1: column 'period' appears twice (columns 2 and 4); each column "
                          "may appear once"));
  EXPECT_THAT(problems("cohort,,period,active\n"),
              ElementsAre("c.csv:1: column 2 of the header has no name; the columns are cohort, "
                          "period and active, and optionally tier"));
}

TEST(CohortCsv, ReportsEmptyFilesAndAHeaderWithoutRows) {
  const std::string empty =
      "c.csv:1: the file is empty; a cohort file starts with a header line naming the columns "
      "cohort, period and active (and optionally tier)";
  EXPECT_THAT(problems(""), ElementsAre(empty));
  EXPECT_THAT(problems(" \n\r\n\t\n"), ElementsAre(empty));
  EXPECT_THAT(problems("\ncohort,period,active\n\n"),
              ElementsAre("c.csv:2: the header is not followed by any data rows"));
}

TEST(CohortCsv, ReportsWrongFieldCounts) {
  EXPECT_THAT(problems("cohort,period,active\nx,0,5,\nx,1\n"),
              ElementsAre("c.csv:2: expected 3 fields (cohort, period, active), got 4",
                          "c.csv:3: expected 3 fields (cohort, period, active), got 2"));
}

TEST(CohortCsv, ReportsCountsThatAreNotWholeNumbersInRange) {
  const std::string rule = "active must be a whole number of customers from 0 to 1e15, got ";
  EXPECT_THAT(problems("cohort,period,active\n"
                       "x,0,12.5\n"
                       "x,1,-3\n"
                       "x,2,1000000000000001\n"
                       "x,3,99999999999999999999999999\n"
                       "x,4,1e3\n"
                       "x,5,\n"),
              ElementsAre("c.csv:2: " + rule + "'12.5'", "c.csv:3: " + rule + "'-3'",
                          "c.csv:4: " + rule + "'1000000000000001'",
                          "c.csv:5: " + rule + "'99999999999999999999999999'",
                          "c.csv:6: " + rule + "'1e3'", "c.csv:7: " + rule + "''"));
  EXPECT_TRUE(problems("cohort,period,active\nx,0,1000000000000000\nx,1,1\n").empty());
}

TEST(CohortCsv, ReportsPeriodsThatAreNotWholeNumbersInRange) {
  const std::string rule = "period must be a whole number from 0 to 10000, got ";
  EXPECT_THAT(problems("cohort,period,active\nx,one,5\nx,10001,5\nx,-1,5\nx,+1,5\n"),
              ElementsAre("c.csv:2: " + rule + "'one'", "c.csv:3: " + rule + "'10001'",
                          "c.csv:4: " + rule + "'-1'", "c.csv:5: " + rule + "'+1'"));
}

TEST(CohortCsv, ReportsDuplicateRows) {
  EXPECT_THAT(problems(kValid + "gold,2024-01,1,80\n"),
              ElementsAre("c.csv:10: duplicate row for cohort '2024-01' of tier 'gold', period 1 "
                          "(first given on line 3)"));
  // The same cohort id in another tier is another cohort.
  EXPECT_TRUE(problems(kValid + "iron,2024-02,0,5\niron,2024-02,1,5\n").empty());
}

TEST(CohortCsv, ReportsCohortsThatDoNotStartAtZeroOrHaveGaps) {
  EXPECT_THAT(problems("cohort,period,active\nx,1,5\nx,2,4\n"),
              ElementsAre("c.csv:2: cohort 'x' starts at period 1; its first row must be period 0 "
                          "(its size when acquired)"));
  EXPECT_THAT(problems("cohort,period,active\nx,0,5\nx,1,4\nx,3,3\nx,6,1\n"),
              ElementsAre("c.csv:4: cohort 'x' has no row for period 2: it jumps from period 1 "
                          "(line 3) to period 3; periods must run 0, 1, 2, ... without gaps",
                          "c.csv:5: cohort 'x' has no row for period 4: it jumps from period 3 "
                          "(line 4) to period 6; periods must run 0, 1, 2, ... without gaps"));
}

TEST(CohortCsv, ReportsACohortThatGrows) {
  EXPECT_THAT(problems(test::replace_once(kValid, "gold,2024-01,2,70", "gold,2024-01,2,90")),
              ElementsAre("c.csv:4: cohort '2024-01' of tier 'gold' grows from 80 active at "
                          "period 1 (line 3) to 90 at period 2; a cohort can only keep or lose "
                          "customers"));
}

TEST(CohortCsv, ReportsACohortOfSizeZero) {
  EXPECT_THAT(problems("cohort,period,active\nx,0,0\nx,1,0\n"),
              ElementsAre("c.csv:2: cohort 'x' has 0 customers at period 0; a cohort needs at "
                          "least one customer (leave empty cohorts out)"));
}

TEST(CohortCsv, ReportsQuotingMistakes) {
  EXPECT_THAT(problems("cohort,period,active\n\"x,0,5\nx\"y,0,5\n\"x\" y,0,5\n"),
              ElementsAre("c.csv:2: field 1 opens a quote that is not closed on this line (a "
                          "quoted field may not span lines)",
                          "c.csv:3: field 1 has a quote inside it; quote the whole field, "
                          "writing a quote inside it as \"\"",
                          "c.csv:4: field 1 has text after its closing quote; quote the whole "
                          "field, writing a quote inside it as \"\""));
  EXPECT_THAT(problems("cohort,\"period,active\n"),
              ElementsAre("c.csv:1: in the header: field 2 opens a quote that is not closed on "
                          "this line (a quoted field may not span lines)"));
}

TEST(CohortCsv, ReportsUnusableNames) {
  const std::string long_name(201, 'n');
  EXPECT_THAT(
      problems(std::string("tier,cohort,period,active\n") + "gold,,0,5\n" + ",x,0,5\n" + "gold," +
               long_name + ",0,5\n" + "gold,\xFF\xFE,0,5\n" + std::string("gold,a\0b,0,5\n", 13)),
      ElementsAre("c.csv:2: the cohort id is empty", "c.csv:3: the tier name is empty",
                  "c.csv:4: the cohort id '" + std::string(40, 'n') +
                      "...' is 201 bytes long; at most 200 are allowed",
                  "c.csv:5: the cohort id '\\xFF\\xFE' is not valid UTF-8 text; save the file "
                  "as UTF-8",
                  "c.csv:6: the cohort id 'a\\x00b' contains a control character"));
}

TEST(CohortCsv, ReportsEveryProblemInLineOrder) {
  // Row problems come out as rows are read, series problems after; both end up sorted.
  const auto list = problems("cohort,period,active\nx,0,5\nx,2,4\ny,0,z\ny,1,3\n");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_THAT(list[0], testing::StartsWith("c.csv:3: cohort 'x' has no row for period 1"));
  EXPECT_THAT(list[1], testing::StartsWith("c.csv:4: active must be"));
}

TEST(CohortCsv, ABadRowDoesNotAlsoBlameItsCohortForTheGap) {
  EXPECT_THAT(problems("cohort,period,active\nx,0,5\nx,one,4\nx,2,3\n"),
              ElementsAre("c.csv:3: period must be a whole number from 0 to 10000, got 'one'"));
}

TEST(CohortCsv, ListsAtMostOneHundredProblems) {
  std::string text = "cohort,period,active\n";
  for (int i = 0; i < 250; ++i) text += "x,0,bad\n";
  const auto list = problems(text);
  ASSERT_EQ(list.size(), 101u);
  EXPECT_EQ(list[0],
            "c.csv:2: active must be a whole number of customers from 0 to 1e15, got 'bad'");
  EXPECT_EQ(list[100], "c.csv: 150 more problems not shown");
}

TEST(CohortCsv, ReportsATierOfMoreThan1e15Customers) {
  EXPECT_THAT(problems("tier,cohort,period,active\n"
                       "t,a,0,600000000000000\nt,a,1,1\n"
                       "t,b,0,600000000000000\nt,b,1,1\n"
                       "t,c,0,600000000000000\nt,c,1,1\n"),
              ElementsAre("c.csv:4: the cohorts of tier 't' add up to more than 1e15 customers, "
                          "the limit"));
}

TEST(CohortCsv, ReportsFilesLargerThanTheLimit) {
  const std::string big(kMaxCohortFileBytes + 1, '\n');
  EXPECT_THAT(problems(big), ElementsAre("c.csv: the file is larger than 64 MiB, the limit of a "
                                         "cohort file"));
}

TEST(CohortCsv, ReportsMoreRowsThanTheLimit) {
  // 100 cohorts of periods 0..10000 give 1,000,100 valid rows.
  std::string text = "cohort,period,active\n";
  for (int c = 0; c < 100; ++c)
    for (int t = 0; t <= kMaxCohortPeriod; ++t)
      text += std::to_string(c) + "," + std::to_string(t) + ",1\n";
  const auto list = problems(text);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0],
            "c.csv:1000002: more than 1000000 data rows, the limit of a cohort file; "
            "the rest of the file was not read");
}

TEST(CohortCsv, LoadReportsUnreadableFiles) {
  const auto load_error = [](const std::string& path) {
    try {
      load_cohort_file(path);
    } catch (const CohortDataError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(load_error("/nonexistent/c.csv"),
            "/nonexistent/c.csv: cannot read file: No such file or directory");
  EXPECT_EQ(load_error(TENURE_SOURCE_DIR),
            std::string(TENURE_SOURCE_DIR) + ": cannot read file: it is a directory");
}

// ---------------------------------------------------------------------------------------
// Damaged input: only ever diagnostics, never a crash, a NaN or an exception of another kind.

// Parses and, when the text is valid, fits and writes every output; returns the diagnostics.
std::vector<std::string> read_fit_and_write(const std::string& text) {
  try {
    const CohortFit fit = fit_cohorts(parse_cohort_csv(text, "c.csv"));
    const auto json = nlohmann::json::parse(fit_json(fit));
    for (const auto& tier : json["tiers"])
      for (const char* key : {"churn", "concentration", "churn_se", "concentration_se"})
        EXPECT_TRUE(std::isfinite(tier[key].get<double>())) << key;
    fit_yaml(fit, true);
    fit_text(fit);
  } catch (const CohortDataError& error) {
    std::vector<std::string> list;
    for (const Diagnostic& d : error.diagnostics()) {
      EXPECT_TRUE(is_valid_utf8(d.message)) << d.message;
      EXPECT_FALSE(has_control_character(d.message)) << d.message;
      list.push_back(format_diagnostic(d));
    }
    return list;
  }
  return {};
}

std::string sample_text() {
  std::ifstream in(std::string(TENURE_SOURCE_DIR) + "/scenarios/data/cohorts-sample.csv");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CohortCsvFuzz, RandomDamageToTheSampleOnlyGivesDiagnostics) {
  const std::string sample = sample_text();
  ASSERT_TRUE(read_fit_and_write(sample).empty());
  std::string alphabet(",\"\n\r\t 0123456789-.e\xFF", 20);
  alphabet += '\0';
  boost::random::mt19937 engine(7);
  const auto pick = [&](std::size_t n) {
    return boost::random::uniform_int_distribution<std::size_t>(0, n - 1)(engine);
  };
  for (int trial = 0; trial < 400; ++trial) {
    std::string text = sample;
    for (int edit = 1 + static_cast<int>(pick(4)); edit > 0; --edit) {
      const std::size_t at = pick(text.size());
      switch (pick(3)) {
        case 0:
          text[at] = alphabet[pick(alphabet.size())];
          break;
        case 1:
          text.insert(at, 1, alphabet[pick(alphabet.size())]);
          break;
        default:
          text.erase(at, 1 + pick(8));
          break;
      }
      if (text.empty()) text.push_back(',');
    }
    read_fit_and_write(text);
  }
}

TEST(CohortCsvFuzz, ExtremeInputsOnlyGiveDiagnostics) {
  const std::string header = "cohort,period,active\n";
  EXPECT_FALSE(read_fit_and_write(header + std::string(1 << 20, 'a') + ",0,5\n").empty());
  EXPECT_FALSE(read_fit_and_write(header + std::string(100000, ',') + "\n").empty());
  EXPECT_FALSE(read_fit_and_write(std::string(1000, '\0')).empty());
  EXPECT_FALSE(read_fit_and_write(std::string(1000, '"')).empty());
  EXPECT_FALSE(read_fit_and_write(header + "x,0,5\rx,1,4\r").empty());
  EXPECT_FALSE(read_fit_and_write(header + "x,0," + std::string(400, '9') + "\n").empty());
  EXPECT_FALSE(read_fit_and_write(std::string(100000, ',') + "\n").empty());
  // The largest counts allowed fit without overflow or NaN.
  EXPECT_THAT(read_fit_and_write(header + "x,0,1000000000000000\nx,1,600000000000000\n"
                                          "x,2,450000000000000\n"),
              IsEmpty());
}

}  // namespace
}  // namespace tenure
