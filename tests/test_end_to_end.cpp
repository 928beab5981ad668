// The built program, run as a user would run it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Outcome {
  int status = -1;
  std::string out, err;
};

// Runs the tenure binary with the given arguments, capturing stdout and stderr.
// `prefix` is shell text run first, e.g. to set a limit.
Outcome run_tenure(const std::string& arguments, const fs::path& scratch,
                   const std::string& prefix = "") {
  const fs::path out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const std::string command = prefix + std::string(TENURE_BINARY) + " " + arguments + " > " +
                              out.string() + " 2> " + err.string();
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(out), read_text(err)};
}

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("tenure-e2e-" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    ::umount((scratch_ / "disk").c_str());  // a tmpfs a failed test left mounted
    fs::remove_all(scratch_);
  }
  // Each case's arguments after `command scenario` are refused as a usage error (64) with
  // the message given, and nothing is written.
  void expect_refused(const std::string& command, const fs::path& scenario,
                      std::span<const std::pair<const char*, const char*>> cases) {
    for (const auto& [arguments, message] : cases) {
      const Outcome bad = run_tenure(command + " " + scenario.string() + " " + arguments +
                                         " --out " + (scratch_ / "x").string(),
                                     scratch_);
      EXPECT_EQ(bad.status, 64) << arguments;
      EXPECT_THAT(bad.err, HasSubstr(message)) << arguments;
    }
    EXPECT_FALSE(fs::exists(scratch_ / "x"));
  }
  fs::path scratch_;
};

TEST_F(EndToEnd, EveryShippedScenarioRuns) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(TENURE_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    SCOPED_TRACE(entry.path().string());
    const fs::path out = scratch_ / entry.path().stem();
    const Outcome run =
        run_tenure("run " + entry.path().string() + " --paths 300 --out " + out.string(), scratch_);
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("best by mean NPV"));
    for (const char* file : {"summary.json", "summary.csv", "periods.csv", "compare.csv"})
      EXPECT_TRUE(fs::exists(out / file)) << file;

    const auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(summary["paths"], 300);
    ASSERT_FALSE(summary["policies"].empty());
    for (const auto& policy : summary["policies"]) {
      for (const char* metric : {"npv", "profit", "customers_end", "acquired", "churned",
                                 "cash_trough", "npv_with_equity"}) {
        const auto& m = policy["metrics"][metric];
        for (const char* field :
             {"mean", "sd", "se", "ci95_low", "ci95_high", "p01", "p05", "p10", "p25", "p50", "p75",
              "p90", "p95", "p99", "es05", "prob_negative"})
          EXPECT_TRUE(m.contains(field)) << metric << "." << field;
        EXPECT_LE(m["p05"].get<double>(), m["p50"].get<double>());
        EXPECT_LE(m["es05"].get<double>(), m["p05"].get<double>());
      }
    }
    // Every temporary file was renamed into place.
    for (const auto& file : fs::directory_iterator(out))
      EXPECT_NE(file.path().extension(), ".tmp") << file.path();
  }
  EXPECT_GE(count, 2);
}

TEST_F(EndToEnd, SameSeedSameBytesForAnyThreadCount) {
  const std::string scenario = std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml";
  std::string reference_summary, reference_periods;
  for (int threads : {1, 2, 8}) {
    const fs::path out = scratch_ / ("threads-" + std::to_string(threads));
    const Outcome run = run_tenure("run " + scenario + " --paths 500 --seed 9 --threads " +
                                       std::to_string(threads) + " --out " + out.string(),
                                   scratch_);
    ASSERT_EQ(run.status, 0) << run.err;
    const std::string summary = read_text(out / "summary.json");
    const std::string periods = read_text(out / "periods.csv");
    if (threads == 1) {
      reference_summary = summary;
      reference_periods = periods;
    } else {
      EXPECT_EQ(summary, reference_summary) << "threads " << threads;
      EXPECT_EQ(periods, reference_periods) << "threads " << threads;
    }
  }
  // A different seed gives different worlds.
  const fs::path other = scratch_ / "other-seed";
  ASSERT_EQ(
      run_tenure("run " + scenario + " --paths 500 --seed 10 --out " + other.string(), scratch_)
          .status,
      0);
  EXPECT_NE(read_text(other / "summary.json"), reference_summary);
}

TEST_F(EndToEnd, BadScenarioIsReportedAndNothingIsWritten) {
  const fs::path bad = scratch_ / "bad.yaml";
  std::ofstream(bad) << "name: bad\nhorizon: 12\ntiers:\n  - name: a\n    margin: 10\n"
                        "    chrun: 0.1\npolicies:\n  - name: p\n";
  const fs::path out = scratch_ / "results";

  const Outcome validate = run_tenure("validate " + bad.string(), scratch_);
  EXPECT_NE(validate.status, 0);
  EXPECT_THAT(validate.err, HasSubstr(bad.string() + ":6:5:"));
  EXPECT_THAT(validate.err, HasSubstr("churn"));

  const Outcome run = run_tenure("run " + bad.string() + " --out " + out.string(), scratch_);
  EXPECT_NE(run.status, 0);
  EXPECT_THAT(run.err, HasSubstr(bad.string() + ":6:5:"));
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(EndToEnd, FailedRunLeavesEarlierResultsUntouched) {
  const fs::path out = scratch_ / "results";
  const std::string scenario = std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml";
  ASSERT_EQ(run_tenure("run " + scenario + " --paths 100 --out " + out.string(), scratch_).status,
            0);
  const std::string before = read_text(out / "summary.json");

  const fs::path bad = scratch_ / "bad.yaml";
  std::ofstream(bad) << "name: [unclosed\n";
  EXPECT_NE(run_tenure("run " + bad.string() + " --out " + out.string(), scratch_).status, 0);
  EXPECT_EQ(read_text(out / "summary.json"), before);
}

TEST_F(EndToEnd, RunTooLargeForMemoryIsRefusedBeforeItStarts) {
  const fs::path out = scratch_ / "huge";
  const Outcome run =
      run_tenure("run " + std::string(TENURE_SOURCE_DIR) +
                     "/scenarios/baseline.yaml --paths 100000000 --out " + out.string(),
                 scratch_);
  EXPECT_NE(run.status, 0);
  EXPECT_THAT(run.err, HasSubstr("worlds (--paths)"));
  EXPECT_THAT(run.err, HasSubstr("run at most"));
  EXPECT_FALSE(fs::exists(out));
}

// The guard counts the process's own limits, not only the machine's memory.
TEST_F(EndToEnd, RunBeyondTheAddressSpaceLimitIsRefused) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space for its shadow memory, "
                  "so the program cannot start under ulimit -v";
#endif
  const fs::path out = scratch_ / "limited";
  const Outcome run = run_tenure(
      "run " + std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml --paths 20000000 --out " +
          out.string(),
      scratch_, "ulimit -v 4000000; ");  // 4 GB of address space; the run needs about 10 GB
  EXPECT_NE(run.status, 0);
  EXPECT_THAT(run.err, HasSubstr("run at most"));
  EXPECT_FALSE(fs::exists(out));
}

// A disk that fills up while the result set is written: the run fails with a clear message,
// and the earlier results are whole, with nothing left beside them.
TEST_F(EndToEnd, FullDiskDuringTheWriteKeepsTheOldResults) {
  const fs::path disk = scratch_ / "disk";
  fs::create_directories(disk);
  // A set (report.html included) takes a little over 1 MB: room for one, not for two.
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=1700k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here: mounting needs root";
  const std::string scenario = std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml";
  const fs::path out = disk / "results";
  ASSERT_EQ(
      run_tenure("run " + scenario + " --paths 50 --quiet --out " + out.string(), scratch_).status,
      0);
  std::map<std::string, std::string> before;
  for (const auto& entry : fs::directory_iterator(out))
    before[entry.path().filename()] = read_text(entry.path());
  const Outcome full =
      run_tenure("run " + scenario + " --paths 60 --quiet --out " + out.string(), scratch_);
  EXPECT_EQ(full.status, 1);
  EXPECT_THAT(full.err, HasSubstr("No space left on device"));
  std::map<std::string, std::string> after;
  for (const auto& entry : fs::directory_iterator(out))
    after[entry.path().filename()] = read_text(entry.path());
  EXPECT_TRUE(before == after) << "the earlier result set changed";
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(disk)) names.push_back(entry.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"results"});
  ::umount(disk.c_str());
}

// The command line checks its values itself: clear messages and exit code 64.
TEST_F(EndToEnd, CommandLineValuesAreChecked) {
  const std::string run = "run " + std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml ";
  const std::pair<const char*, const char*> cases[] = {
      {"--seed -1", "must be a whole number from 0 to 18446744073709551615, got '-1'"},
      {"--seed 18446744073709551616", "got 18446744073709551616"},
      {"--paths abc", "must be a whole number from 1 to 100000000, got 'abc'"},
      {"--paths 0", "got 0"},
      {"--precision nan", "must be a positive number, got 'nan'"},
      {"--precision 0", "must be a positive number, got '0'"},
      {"--threads 0", "from 1 to 1024"},
      {"--baseline nobody",
       "--baseline: no policy named 'nobody'; the policies are "
       "acquisition-heavy, balanced, retention-heavy"},
      {"--no-such-option", "--no-such-option"}};
  for (const auto& [arguments, message] : cases) {
    const Outcome outcome =
        run_tenure(run + arguments + " --out " + (scratch_ / "x").string(), scratch_);
    EXPECT_EQ(outcome.status, 64) << arguments;
    EXPECT_THAT(outcome.err, HasSubstr(message)) << arguments;
  }
  EXPECT_FALSE(fs::exists(scratch_ / "x"));
  EXPECT_EQ(run_tenure("", scratch_).status, 64);
}

// Input files of any size are bounded before they are read whole.
TEST_F(EndToEnd, EndlessOrHugeScenarioFilesAreRefused) {
  const Outcome endless = run_tenure("validate /dev/zero", scratch_);
  EXPECT_EQ(endless.status, 2);
  EXPECT_THAT(endless.err, HasSubstr("larger than 1 MiB"));
  const fs::path big = scratch_ / "big.yaml";
  std::ofstream(big) << "# " << std::string(2 << 20, 'x') << "\n";
  EXPECT_THAT(run_tenure("validate " + big.string(), scratch_).err, HasSubstr("larger than 1 MiB"));
}

// A world that outgrows exact counting stops the run with a clear message and no results.
TEST_F(EndToEnd, UnboundedGrowthStopsTheRun) {
  const fs::path file = scratch_ / "explode.yaml";
  std::ofstream(file) << "name: explode\nhorizon: 60\npaths: 4\n"
                         "tiers:\n  - {name: fans, initial_customers: 1000, margin: 1, churn: 0}\n"
                         "budget: {per_period: 0}\n"
                         "referrals: {rate: 1000, conversion: 1}\n"
                         "policies:\n  - {name: p}\n";
  const fs::path out = scratch_ / "out";
  const Outcome run = run_tenure("run " + file.string() + " --out " + out.string(), scratch_);
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("more than the 1e15 that can be counted exactly"));
  EXPECT_FALSE(fs::exists(out));
}

// Customers who never leave, undiscounted, have no finite equity: said, never averaged.
TEST_F(EndToEnd, UndefinedFiguresAreReportedAsSuch) {
  const fs::path file = scratch_ / "forever.yaml";
  std::ofstream(file) << "name: forever\nhorizon: 6\npaths: 30\n"
                         "tiers:\n  - {name: loyal, initial_customers: 10, margin: 5, churn: 0}\n"
                         "budget: {per_period: 0}\npolicies:\n  - {name: a}\n  - {name: b}\n";
  const fs::path out = scratch_ / "out";
  const Outcome run = run_tenure("run " + file.string() + " --out " + out.string(), scratch_);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("equity_end of a is undefined (not finite) in 30 worlds of 30"));
  const auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
  EXPECT_TRUE(summary["best_policy_with_equity"].is_null());
  EXPECT_EQ(summary["best_policy"], "a");
  const auto& equity = summary["policies"][0]["metrics"]["equity_end"];
  EXPECT_EQ(equity["nonfinite_worlds"], 30);
  EXPECT_TRUE(equity["mean"].is_null());
  EXPECT_TRUE(equity["p50"].is_null());
  EXPECT_EQ(summary["policies"][0]["metrics"]["npv"]["mean"], 5.0 * 10 * 6);
}

// A small scenario splitting its budget: with a variable, `acquisition: $a` and `retention:
// rest`; without, the shares written by hand.
void write_split_scenario(const fs::path& file, const std::string& acquisition,
                          const std::string& retention) {
  const bool variable = acquisition == "$a";
  std::ofstream(file) << "name: split\nhorizon: 6\npaths: 50\n"
                      << (variable ? "variables:\n  a: {value: 0.5, min: 0.1, max: 0.9}\n" : "")
                      << "tiers:\n  - {name: only, initial_customers: 100, margin: 5, churn: 0.1}\n"
                         "budget: {per_period: 100}\n"
                         "acquisition:\n  response: {shape: exponential, max_customers: 5, "
                         "scale: 100}\n  new_customer_mix: {only: 1}\n"
                         "retention:\n  response: {max_reduction: 0.5, scale: 2}\n"
                         "policies:\n  - {name: split, acquisition: "
                      << acquisition << ", retention: " << retention << "}\n  - {name: fixed}\n";
}

// --set gives the results of the value written in the file, says so in the command that
// reproduces them, and refuses unknown variables and values outside [min, max].
TEST_F(EndToEnd, SetGivesTheResultsOfTheValueWrittenInTheFile) {
  const fs::path with_variable = scratch_ / "variable.yaml", by_hand = scratch_ / "hand.yaml";
  write_split_scenario(with_variable, "$a", "rest");
  write_split_scenario(by_hand, "0.3", "0.7");
  const fs::path set = scratch_ / "set", hand = scratch_ / "hand";
  const Outcome run =
      run_tenure("run " + with_variable.string() + " --set a=0.3 --out " + set.string(), scratch_);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("variable a = 0.3 (from 0.1 to 0.9)"));
  ASSERT_EQ(run_tenure("run " + by_hand.string() + " --out " + hand.string(), scratch_).status, 0);
  EXPECT_EQ(read_text(set / "periods.csv"), read_text(hand / "periods.csv"));
  EXPECT_EQ(read_text(set / "compare.csv"), read_text(hand / "compare.csv"));
  const auto summary = nlohmann::json::parse(read_text(set / "summary.json"));
  EXPECT_EQ(summary["variables"]["a"], 0.3);
  EXPECT_THAT(summary["run"]["command"].get<std::string>(), HasSubstr("--set a=0.3 --seed"));
  for (const char* command : {"run ", "stress --vary budget --metric mean --limit 0 "}) {
    const Outcome bad = run_tenure(command + with_variable.string() +
                                       " --set b=1 --set a=0.95 --out " + (scratch_ / "x").string(),
                                   scratch_);
    EXPECT_EQ(bad.status, 64) << command;
    EXPECT_THAT(bad.err,
                HasSubstr("--set b=1: the scenario has no variable 'b' (its variables: a)"));
    EXPECT_THAT(bad.err, HasSubstr("--set a=0.95: a must be from 0.1 to 0.9"));
  }
  EXPECT_FALSE(fs::exists(scratch_ / "x"));
}

// A sweep writes sweep.csv and its report as one set; its grid is checked first.
TEST_F(EndToEnd, SweepWritesItsGridAndRefusesBadOnes) {
  const fs::path file = scratch_ / "variable.yaml", out = scratch_ / "sweep";
  write_split_scenario(file, "$a", "rest");
  const Outcome sweep =
      run_tenure("sweep " + file.string() + " --set a=0.1:0.9:5 --out " + out.string(), scratch_);
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  EXPECT_THAT(sweep.out, HasSubstr("sweep of a over 5 points, 50 worlds at each"));
  EXPECT_THAT(sweep.out, HasSubstr("not moved by a (the same at every point): fixed"));
  const std::string csv = read_text(out / "sweep.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 5 * 2 * 3);
  // sweep.json's run record: its command, given to a shell, reproduces sweep.csv byte for
  // byte, and the report shows it.
  const auto run = nlohmann::json::parse(read_text(out / "sweep.json"))["run"];
  const std::string command = run["command"];
  EXPECT_EQ(command, "tenure sweep " + file.string() + " --set a=0.1:0.9:5 --seed 1 --paths 50");
  EXPECT_EQ(run["seed"], 1);
  EXPECT_EQ(run["worlds"], 50);
  const Outcome again =
      run_tenure(command.substr(7) + " -q --out " + (scratch_ / "again").string(), scratch_);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(read_text(scratch_ / "again" / "sweep.csv"), csv);
  const std::string report = read_text(out / "report.html");
  EXPECT_THAT(report, HasSubstr("<code>" + command + "</code>"));
  fs::remove(out / "report.html");
  ASSERT_EQ(run_tenure("report " + out.string(), scratch_).status, 0);
  EXPECT_EQ(read_text(out / "report.html"), report);
  const std::pair<const char*, const char*> cases[] = {
      {"--set a=0.5", "a sweep varies one or two variables"},
      {"--set a=0.1:0.9:1", "a grid must be LOW:HIGH:N"},
      {"--set a=0:0.9:5", "a must be from 0.1 to 0.9"}};
  expect_refused("sweep", file, cases);
}

// --precision-diff is recorded in summary.json; plan runs only its pilot and writes nothing.
TEST_F(EndToEnd, PrecisionOnTheDifferencesAndItsPlan) {
  const std::string scenario = std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml";
  const fs::path out = scratch_ / "out";
  const Outcome run = run_tenure("run " + scenario + " --precision-diff 4000 --paths 20000 " +
                                     "--baseline balanced --out " + out.string(),
                                 scratch_);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("precision reached: every NPV difference against balanced "
                                 "within +/- 4,000 (95%)"));
  const auto precision = nlohmann::json::parse(read_text(out / "summary.json"))["precision"];
  EXPECT_EQ(precision["npv_difference_ci95_half_width_target"], 4000.0);
  EXPECT_LE(precision["npv_difference_ci95_half_width"].get<double>(), 4000.0);
  EXPECT_EQ(precision["versus"], "balanced");
  const Outcome plan = run_tenure(
      "plan " + scenario + " --precision 5000 --precision-diff 1000 --pilot 300 -q", scratch_);
  ASSERT_EQ(plan.status, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("pilot: 300 worlds"));
  EXPECT_THAT(plan.out, HasSubstr("every policy's mean NPV within +/- 5,000 (95%): about "));
  EXPECT_THAT(plan.out, HasSubstr("every NPV difference against balanced within +/- 1,000"));
  EXPECT_THAT(plan.out, HasSubstr("retention-heavy minus balanced: +/- "));
  EXPECT_EQ(run_tenure("plan " + scenario, scratch_).status, 64);
}

// optimize writes optimize.json with the keys the report reads; its options are checked.
TEST_F(EndToEnd, OptimizeWritesItsOptimumAndRefusesBadOptions) {
  const fs::path file = scratch_ / "variable.yaml", out = scratch_ / "optimum";
  write_split_scenario(file, "$a", "rest");
  const Outcome optimize = run_tenure("optimize " + file.string() +
                                          " --over a --objective mean-es:0.5 --constraint "
                                          "'prob_negative<=0.5' -q --out " +
                                          out.string(),
                                      scratch_);
  ASSERT_EQ(optimize.status, 0) << optimize.err;
  const auto j = nlohmann::json::parse(read_text(out / "optimize.json"));
  for (const char* key : {"optimum", "objective", "flat_range", "start_difference", "algorithm",
                          "evaluations", "metric", "objective_kind", "policy"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["policy"], "split");
  EXPECT_EQ(j["objective_kind"], "mean-es:0.5");
  EXPECT_EQ(j["constraint"], "prob_negative<=0.5");
  EXPECT_GE(j["optimum"]["a"].get<double>(), 0.1);
  EXPECT_LE(j["optimum"]["a"].get<double>(), 0.9);
  for (const char* key : {"value", "se", "ci95_low", "ci95_high"})
    EXPECT_TRUE(j["objective"][key].is_number()) << key;
  // The trace lists every run once, in order: the start first, the optimum among them.
  ASSERT_EQ(j["trace"].size(), j["evaluations"].get<std::size_t>());
  EXPECT_EQ(j["trace"][0]["a"], j["start"]["a"]);
  bool optimum_run = false;
  for (const auto& point : j["trace"]) {
    EXPECT_EQ(point.size(), 2u);
    optimum_run |= point["a"] == j["optimum"]["a"] && point["objective"] == j["search_value"];
  }
  EXPECT_TRUE(optimum_run);
  // The run record's command, given to a shell, reproduces the optimisation byte for byte.
  const std::string command = j["run"]["command"];
  ASSERT_EQ(command.rfind("tenure optimize ", 0), 0u) << command;
  EXPECT_THAT(command, HasSubstr("--constraint 'prob_negative<=0.5'"));
  const Outcome again =
      run_tenure(command.substr(7) + " -q --out " + (scratch_ / "again").string(), scratch_);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(read_text(scratch_ / "again" / "optimize.json"), read_text(out / "optimize.json"));
  // report.html is written in the same set, and `tenure report` rebuilds it from optimize.json.
  const std::string report = read_text(out / "report.html");
  EXPECT_THAT(report, HasSubstr("<section id=\"optimum\">"));
  fs::remove(out / "report.html");
  const Outcome rebuilt = run_tenure("report " + out.string(), scratch_);
  ASSERT_EQ(rebuilt.status, 0) << rebuilt.err;
  EXPECT_EQ(read_text(out / "report.html"), report);
  const std::pair<const char*, const char*> cases[] = {
      {"--over b", "--over: the scenario has no variable 'b' (its variables: a)"},
      {"--over a,a", "--over: a is named twice"},
      {"--over a --objective median", "--objective must be mean, p05, es05 or mean-es:LAMBDA"},
      {"--over a --metric profit", "--metric must be npv or npv_with_equity"},
      {"--over a --constraint 'prob_negative<2'", "--constraint must be prob_negative<=X"},
      {"--over a --policy fixed --set a=2", "--set a=2: a must be from 0.1 to 0.9"},
      {"--over a --policy nobody", "--policy: no policy named 'nobody'"}};
  expect_refused("optimize", file, cases);
  // A variable named like the trace's objective key could not be told from it.
  std::string text = read_text(file);
  for (const auto& [from, to] : {std::pair{"  a: {", "  objective: {"}, {"$a", "$objective"}})
    text.replace(text.find(from), std::string(from).size(), to);
  std::ofstream(file) << text;
  const Outcome clash = run_tenure(
      "optimize " + file.string() + " --over objective --out " + (scratch_ / "x").string(),
      scratch_);
  EXPECT_EQ(clash.status, 64);
  EXPECT_THAT(clash.err, HasSubstr("a variable named 'objective' cannot be searched"));
}

// A results folder that cannot be written is found before the simulation, not after it.
TEST_F(EndToEnd, BadResultsFolderIsFoundBeforeTheRun) {
  const fs::path file = scratch_ / "taken";
  std::ofstream(file) << "a file";
  const std::string scenario = std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml";
  for (const fs::path& out : {file, file / "below"}) {
    const Outcome run =
        run_tenure("run " + scenario + " --paths 100000 --out " + out.string(), scratch_);
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.err, HasSubstr("cannot write results to " + out.string()));
    EXPECT_THAT(run.err, ::testing::Not(HasSubstr("simulated")));
  }
  EXPECT_EQ(read_text(file), "a file");
}

// One world: a mean, but no interval (not a zero-wide one); plural forms right.
TEST_F(EndToEnd, OneWorldHasNoInterval) {
  const fs::path file = scratch_ / "one.yaml";
  std::ofstream(file) << "name: one\nhorizon: 1\npaths: 1\n"
                         "tiers:\n  - {name: only, initial_customers: 10, margin: 5, churn: 0.1}\n"
                         "budget: {per_period: 0}\npolicies:\n  - {name: p}\n";
  const Outcome run =
      run_tenure("run " + file.string() + " --out " + (scratch_ / "o").string(), scratch_);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("one: 1 world, 1 month, seed 1"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("p +50 +n/a"));
}

// A copied scenario that keeps its name would replace the original's results: say so.
TEST_F(EndToEnd, ReplacingAnotherFilesResultsIsSaid) {
  const std::string original = std::string(TENURE_SOURCE_DIR) + "/scenarios/law-firm.yaml";
  const fs::path copy = scratch_ / "my-law-firm.yaml";
  fs::copy_file(original, copy);
  const fs::path out = scratch_ / "results";
  ASSERT_EQ(run_tenure("run " + original + " --paths 50 --out " + out.string(), scratch_).status,
            0);
  const Outcome again =
      run_tenure("run " + original + " --paths 50 --out " + out.string(), scratch_);
  EXPECT_THAT(again.out, ::testing::Not(HasSubstr("note:")));
  const Outcome copied =
      run_tenure("run " + copy.string() + " --paths 50 --out " + out.string(), scratch_);
  EXPECT_THAT(copied.out, HasSubstr("held the results of " + original));
}

TEST_F(EndToEnd, EveryShippedScenarioValidates) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(TENURE_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    const Outcome ok = run_tenure("validate " + entry.path().string(), scratch_);
    EXPECT_EQ(ok.status, 0) << entry.path() << ": " << ok.err;
    EXPECT_THAT(ok.out, HasSubstr(": ok (")) << entry.path();
  }
  EXPECT_GE(count, 6);
}

TEST_F(EndToEnd, ValidateAcceptsShippedScenarioAndHelpAndVersionWork) {
  const Outcome ok = run_tenure(
      "validate " + std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml", scratch_);
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("ok"));
  const Outcome help = run_tenure("--help", scratch_);
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("validate"));
  const Outcome version = run_tenure("--version", scratch_);
  EXPECT_EQ(version.status, 0);
  EXPECT_THAT(version.out, HasSubstr("tenure"));
  const Outcome missing = run_tenure("run /no/such/file.yaml", scratch_);
  EXPECT_NE(missing.status, 0);
  EXPECT_THAT(missing.err, HasSubstr("/no/such/file.yaml"));
}

}  // namespace
