// Golden results: every shipped scenario, at a fixed seed and a small number of worlds, must
// give byte-identical summary.json and periods.csv to the files in tests/golden/. A refactor
// proves itself by leaving them alone; a change that means to move the numbers regenerates
// them (`make golden`) in its own commit and says why.
#include <gtest/gtest.h>

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
  const fs::path scratch = fs::temp_directory_path() / "tenure-golden";
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
    // The same arguments as tests/golden/update.sh.
    const std::string command = std::string(TENURE_BINARY) + " run " + entry.path().string() +
                                " --paths 200 --seed 2026 --threads 2 --out " + out.string() +
                                " > /dev/null";
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

}  // namespace
