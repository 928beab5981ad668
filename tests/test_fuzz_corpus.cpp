// Every input of the fuzz corpora (tests/fuzz/corpus/), the findings' regression inputs among
// them, through the fuzzers' own harness: in every build, not only the clang fuzz build, so a
// saved input that once crashed, leaked or threw stays fixed (under `make sanitize`, with the
// sanitizers watching).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>

#include "tests/fuzz/harness.hpp"

namespace tenure {
namespace {

namespace fs = std::filesystem;

int replay(const std::string& corpus, const std::function<void(std::string_view)>& harness) {
  int inputs = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TENURE_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / corpus)) {
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NO_THROW(harness(text.str()));
    ++inputs;
  }
  return inputs;
}

TEST(FuzzCorpus, ScenarioInputsOnlyGiveDiagnostics) {
  // The shipped scenarios are in the corpus: a corpus that stopped being read would show here.
  EXPECT_GE(replay("scenario", fuzz::scenario_input), 6);
}

TEST(FuzzCorpus, CohortCsvInputsOnlyGiveDiagnostics) {
  EXPECT_GE(replay("cohort_csv", fuzz::cohort_csv_input), 1);
}

// The harness does reach the simulation and the fit: a valid input is not skipped.
TEST(FuzzCorpus, ValidInputsAreSimulatedAndFitted) {
  const Scenario scenario =
      load_scenario_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/baseline.yaml");
  ASSERT_TRUE(fuzz::small_enough_to_build(scenario));
  EXPECT_TRUE(fuzz::small_enough_to_simulate(build_model(scenario)));
  EXPECT_NO_THROW(fit_cohorts(
      load_cohort_file(std::string(TENURE_SOURCE_DIR) + "/scenarios/data/cohorts-sample.csv")));
}

}  // namespace
}  // namespace tenure
