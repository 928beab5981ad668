// Reading result files for report.html: RFC 4180 CSV, every field of every file checked, every
// problem reported at once with its position, bounded sizes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "sim/output/csv_table.hpp"
#include "sim/output/report_data.hpp"
#include "sim/output/report_html.hpp"

namespace tenure {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kFixtures = fs::path(TENURE_SOURCE_DIR) / "tests/fixtures/report";

TEST(ReportCsv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  std::vector<Diagnostic> problems;
  const CsvTable t =
      parse_csv("policy,value\r\n\"cut \"\"deep\"\", then grow\",1\r\n\"two\nlines\",2\nplain,\n",
                "x.csv", problems);
  ASSERT_TRUE(problems.empty());
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][0], "cut \"deep\", then grow");
  EXPECT_EQ(t.rows[1][0], "two\nlines");
  EXPECT_EQ(t.rows[2][1], "");
  EXPECT_EQ(t.lines[2], 5);  // the quoted line break counts
  EXPECT_EQ(t.column("value"), 1u);
  EXPECT_FALSE(t.column("nope"));
}

TEST(ReportCsv, ReportsEveryMalformedRowWithItsPosition) {
  std::vector<Diagnostic> problems;
  const CsvTable t = parse_csv("a,b\n1,2,3\n\"x\"y,2\n4,5\n\"open,6\n", "x.csv", problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(format_diagnostic(problems[0]), "x.csv:2:1: 3 fields where the header has 2");
  EXPECT_EQ(problems[1].line, 3);
  EXPECT_EQ(problems[1].column, 4);
  EXPECT_THAT(problems[1].message, HasSubstr("after a closing quote"));
  EXPECT_THAT(format_diagnostic(problems[2]), HasSubstr("x.csv:5:1: quoted field is never closed"));
  ASSERT_EQ(t.rows.size(), 1u);  // the good row is kept
  EXPECT_EQ(t.rows[0][1], "5");
}

TEST(ReportCsv, NanAndEmptyAreMissingAndGarbageIsAnError) {
  EXPECT_FALSE(parse_csv_number("nan"));
  EXPECT_FALSE(parse_csv_number(""));
  EXPECT_EQ(parse_csv_number("-1.5e3"), -1500.0);
  EXPECT_THROW(parse_csv_number("12abc"), std::invalid_argument);
  EXPECT_THROW(parse_csv_number("inf"), std::invalid_argument);
}

TEST(ReportData, ReadsEveryFileOfTheFullFixture) {
  const ReportData d = parse_report_data(read_report_inputs(kFixtures / "full"));
  EXPECT_EQ(d.folder, "full");
  ASSERT_TRUE(d.summary);
  ASSERT_EQ(d.summary->policies.size(), 3u);
  EXPECT_EQ(d.summary->policies[2].name, "cut \"deep\", then grow");
  EXPECT_EQ(d.summary->baseline, "balanced");
  EXPECT_EQ(d.summary->policies[0].histograms.at("npv").counts.size(), 40u);
  EXPECT_TRUE(d.summary->comparisons[0].variance_reduction);
  ASSERT_TRUE(d.summary->run);
  EXPECT_EQ(d.summary->run->worlds, 4000);
  EXPECT_EQ(d.summary->assumptions.size(), 5u);
  // Regime shares have no quantiles: "nan" in the file, missing here.
  const auto regime = std::find_if(d.periods.begin(), d.periods.end(),
                                   [](const PeriodBand& b) { return b.series == "regime_normal"; });
  ASSERT_NE(regime, d.periods.end());
  EXPECT_TRUE(regime->mean);
  EXPECT_FALSE(regime->p05);
  ASSERT_TRUE(d.sweep);
  EXPECT_EQ(d.sweep->variables, std::vector<std::string>{"acquisition_share"});
  ASSERT_TRUE(d.optimize);
  EXPECT_EQ(d.optimize->flat_range.at("acquisition_share").second, 0.63);
  ASSERT_TRUE(d.stress);
  EXPECT_TRUE(d.stress->found);
  EXPECT_EQ(d.stress->curve.size(), 13u);
  EXPECT_EQ(d.sensitivity.size(), 15u);
  ASSERT_EQ(d.fit.size(), 2u);
  EXPECT_EQ(d.fit[1].table.size(), 13u);
}

// optimize.json as `tenure optimize` writes it (fixture optimize-2d: --over share,platinum_weight):
// the variables in the order given, the trace one entry per run with the optimum among them.
TEST(ReportData, OptimizeTraceKeepsTheVariablesInTheOrderGiven) {
  const ReportData d = parse_report_data(read_report_inputs(kFixtures / "optimize-2d"));
  ASSERT_TRUE(d.optimize);
  const OptimizeResult& o = *d.optimize;
  EXPECT_EQ(o.variables, (std::vector<std::string>{"share", "platinum_weight"}));
  ASSERT_TRUE(o.evaluations);
  ASSERT_EQ(o.trace.size(), static_cast<std::size_t>(*o.evaluations));
  EXPECT_EQ(o.trace[0].at,
            (std::vector<double>{o.start.at("share"), o.start.at("platinum_weight")}));
  const auto best = std::max_element(o.trace.begin(), o.trace.end(),
                                     [](auto& a, auto& b) { return a.objective < b.objective; });
  EXPECT_EQ(best->at,
            (std::vector<double>{o.optimum.at("share"), o.optimum.at("platinum_weight")}));
  EXPECT_TRUE(o.seed && o.worlds);
  // A file written before the trace existed still reads, without one.
  const ReportData old = parse_report_data(read_report_inputs(kFixtures / "sweep-2d"));
  EXPECT_TRUE(old.optimize->trace.empty());
}

TEST(ReportData, MalformedTraceEntriesAreEachNamed) {
  ReportInputs in;
  in.optimize_json = R"({"optimum": {"a": 0.5}, "objective": {"value": 1, "se": 1, "ci95_low": 0,
    "ci95_high": 2}, "start_difference": {"mean": 0, "se": 1, "ci95_low": -2, "ci95_high": 2},
    "algorithm": "x", "evaluations": 2, "metric": "npv", "objective_kind": "mean", "policy": "p",
    "trace": [{"a": 0.5, "objective": 1}, {"objective": "high"}]})";
  try {
    parse_report_data(in);
    FAIL() << "expected a ReportInputError";
  } catch (const ReportInputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("optimize.json: trace[1]: missing key 'a'"));
    EXPECT_THAT(error.what(), HasSubstr("optimize.json: trace[1].objective: expected a number"));
  }
  in.optimize_json = R"({"optimum": {"a": 0.5}, "objective": {}, "trace": 3})";
  try {
    parse_report_data(in);
    FAIL() << "expected a ReportInputError";
  } catch (const ReportInputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("optimize.json: trace: expected a list"));
  }
}

TEST(ReportData, ListsEveryProblemWithTheFieldAtFault) {
  ReportInputs in;
  in.folder = "bad";
  in.summary_json = R"({"scenario": "s", "paths": "many",
    "policies": [{"name": "a", "metrics": {"npv": {"mean": "x"}},
                  "histograms": {"npv": {"low": 0, "width": -1, "counts": [1]}}}]})";
  in.periods_csv = "policy,period,series,mean,p05,p50\na,1,customers,1,2,3\n";
  in.fit_json = "{\"tiers\": [1,\n 2";
  try {
    parse_report_data(in);
    FAIL() << "expected a ReportInputError";
  } catch (const ReportInputError& error) {
    const std::string text = error.what();
    EXPECT_THAT(text, HasSubstr("summary.json: paths: expected a whole number"));
    EXPECT_THAT(text, HasSubstr("summary.json: policies[0].metrics.npv.mean: expected a number"));
    EXPECT_THAT(text, HasSubstr("summary.json: policies[0].metrics.npv: missing key 'se'"));
    EXPECT_THAT(text, HasSubstr("policies[0].histograms.npv.width: expected a positive bin width"));
    EXPECT_THAT(text, HasSubstr("periods.csv:1:1: missing column 'p95'"));
    EXPECT_THAT(text, HasSubstr("fit.json:2:3: not valid JSON"));  // at the end of " 2"
  }
}

TEST(ReportData, BadNumbersInCsvArePositioned) {
  ReportInputs in;
  in.stress_json = R"({"vary": "churn", "metric": "npv", "policy": "p", "limit": 0,
    "threshold": null, "ci95_low": null, "ci95_high": null, "found": false})";
  in.stress_csv = "multiplier,value,se\n1.0,12,1\n1.5,twelve,1\n";
  try {
    parse_report_data(in);
    FAIL() << "expected a ReportInputError";
  } catch (const ReportInputError& error) {
    EXPECT_STREQ(error.what(), "stress.csv:3:5: column 'value': 'twelve' is not a number");
  }
}

// A stress search's own run record gives its report the version and reproducing command.
TEST(ReportData, AStudysRunRecordIsRead) {
  ReportInputs in;
  in.stress_json = R"({"vary": "churn", "metric": "npv", "policy": "p", "limit": 0,
    "threshold": null, "ci95_low": null, "ci95_high": null, "found": false,
    "run": {"version": "9.9", "command": "tenure stress s.yaml --vary churn", "seed": 4,
            "worlds": 300}})";
  const ReportData data = parse_report_data(in);
  ASSERT_TRUE(data.stress && data.stress->run);
  EXPECT_EQ(data.stress->run->version, "9.9");
  EXPECT_EQ(data.stress->run->command, "tenure stress s.yaml --vary churn");
  EXPECT_EQ(data.stress->run->worlds, 300);
}

TEST(ReportData, NothingToReportOnIsAnError) {
  ReportInputs in;
  in.folder = "empty";
  in.periods_csv = "policy,period,series,mean,p05,p50,p95\n";
  EXPECT_THROW(parse_report_data(in), ReportInputError);
}

class ReportInputsFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tenure-report-inputs-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ReportInputsFolder, AFolderWithoutResultsSaysWhatItExpects) {
  std::ofstream(dir_ / "periods.csv") << "policy,period,series,mean,p05,p50,p95\n";
  try {
    read_report_inputs(dir_);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("no results to report on: expected summary.json"));
  }
  EXPECT_THROW(read_report_inputs(dir_ / "missing"), std::runtime_error);
}

TEST_F(ReportInputsFolder, AnOversizedFileIsRefusedUnread) {
  std::ofstream(dir_ / "summary.json") << "{}";
  fs::resize_file(dir_ / "summary.json", kMaxReportInputBytes + 1);  // sparse: costs no disk
  try {
    read_report_inputs(dir_);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("more than the 64 MiB a report reads"));
  }
}

TEST_F(ReportInputsFolder, WriteReportLeavesTheEarlierReportWhenInputIsBad) {
  fs::copy(kFixtures / "stress-only", dir_, fs::copy_options::recursive);
  const fs::path written = write_report(dir_);
  EXPECT_EQ(written, dir_ / "report.html");
  const auto size = fs::file_size(written);
  std::ofstream(dir_ / "stress.json") << "{ broken";
  EXPECT_THROW(write_report(dir_), ReportInputError);
  EXPECT_EQ(fs::file_size(written), size);
}

}  // namespace
}  // namespace tenure
