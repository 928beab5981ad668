// Golden results: every shipped scenario, at a fixed seed and a small number of worlds, must
// give byte-identical summary.json and periods.csv to the files in tests/golden/. A refactor
// proves itself by leaving them alone; a change that means to move the numbers regenerates
// them (`make golden`) in its own commit and says why.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The first line on which two texts differ, for a readable failure.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream a(expected), b(actual);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "identical";
    if (line_a != line_b || more_a != more_b)
      return "line " + std::to_string(line) + ": expected '" + line_a + "', got '" + line_b + "'";
  }
}

TEST(Golden, ShippedScenariosGiveTheGoldenBytes) {
  const fs::path source(TENURE_SOURCE_DIR);
  const fs::path scratch =
      fs::temp_directory_path() / ("tenure-golden-" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  int scenarios = 0;
  for (const auto& entry : fs::directory_iterator(source / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++scenarios;
    const std::string stem = entry.path().stem().string();
    SCOPED_TRACE(stem);
    const fs::path golden = source / "tests" / "golden" / stem;
    ASSERT_TRUE(fs::exists(golden / "summary.json")) << "no golden files; run `make golden`";
    const fs::path out = scratch / stem;
    // The same arguments as tests/golden/update.sh, from the source folder, since the
    // results name the scenario file as given.
    const std::string command = "cd " + source.string() + " && " + std::string(TENURE_BINARY) +
                                " run scenarios/" + stem + ".yaml --paths 200 --seed 2026 " +
                                "--threads 2 --quiet --out " + out.string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    for (const char* file : {"summary.json", "periods.csv"}) {
      const std::string expected = read_text(golden / file), actual = read_text(out / file);
      EXPECT_TRUE(expected == actual) << file << " differs from the golden file, first at "
                                      << first_difference(expected, actual);
    }
  }
  EXPECT_GE(scenarios, 6);
  fs::remove_all(scratch);
}

// Runs a shipped scenario through the program and returns the output folder.
fs::path run_scenario(const fs::path& scenario, const fs::path& out, int worlds) {
  const std::string command = std::string(TENURE_BINARY) + " run " + scenario.string() +
                              " --paths " + std::to_string(worlds) +
                              " --seed 2026 --threads 2 --out " + out.string() + " > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return out;
}

// The headline means of every policy agree with tests/golden/reference/ (2,000 worlds made
// by an earlier version of the engine) within 4 combined standard errors,
// sqrt(se_reference^2 + se_now^2): the check that a change to how draws are made (stream
// keys, samplers) kept the model's meaning. With 84 comparisons a correct change fails
// it about once in 190 changes; a wrong one, by more than a few standard errors, is caught.
TEST(Golden, AgreesWithTheStatisticalReference) {
  const fs::path source(TENURE_SOURCE_DIR);
  const fs::path scratch =
      fs::temp_directory_path() / ("tenure-golden-reference-" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  int compared = 0;
  for (const auto& entry : fs::directory_iterator(source / "tests" / "golden" / "reference")) {
    const std::string stem = entry.path().stem().string();
    SCOPED_TRACE(stem);
    const auto reference = nlohmann::json::parse(read_text(entry.path()));
    const fs::path out =
        run_scenario(source / "scenarios" / (stem + ".yaml"), scratch / stem, 2000);
    const auto now = nlohmann::json::parse(read_text(out / "summary.json"));
    ASSERT_EQ(reference["policies"].size(), now["policies"].size());
    for (std::size_t p = 0; p < now["policies"].size(); ++p)
      for (const char* metric :
           {"npv", "npv_with_equity", "profit", "customers_end", "acquired", "churned"}) {
        const auto& was = reference["policies"][p]["metrics"][metric];
        const auto& is = now["policies"][p]["metrics"][metric];
        const double difference = is["mean"].get<double>() - was["mean"].get<double>();
        const double se = std::hypot(was["se"].get<double>(), is["se"].get<double>());
        EXPECT_LE(std::abs(difference), 4.0 * se)
            << now["policies"][p]["name"] << " " << metric << ": reference " << was["mean"]
            << ", now " << is["mean"] << ", difference " << difference << " = " << difference / se
            << " combined SE";
        ++compared;
      }
  }
  EXPECT_GE(compared, 80);
  fs::remove_all(scratch);
}

}  // namespace
