// The documented key tables of docs/scenario-format.md and the keys the reader accepts are
// the same lists: every table marked <!-- keys: SECTION --> names exactly the keys of that
// section, and every section has such a table.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "sim/scenario/sections.hpp"

namespace tenure {
namespace {

// Section -> the backticked words in the first column of the table after its marker.
std::map<std::string, std::set<std::string>> documented_tables() {
  std::ifstream in(std::string(TENURE_SOURCE_DIR) + "/docs/scenario-format.md");
  std::map<std::string, std::set<std::string>> tables;
  const std::regex marker(R"(<!-- keys: ([a-z_.]+) -->)"), key("`([a-z_]+)`");
  std::string line, section;
  while (std::getline(in, line)) {
    std::smatch match;
    if (std::regex_search(line, match, marker)) {
      section = match[1];
      EXPECT_EQ(tables.count(section), 0u) << "two tables for " << section;
      tables[section];
      continue;
    }
    if (section.empty()) continue;
    if (line.rfind("|", 0) != 0) {  // the table ended
      section.clear();
      continue;
    }
    const std::string first_column = line.substr(1, line.find('|', 1) - 1);
    for (std::sregex_iterator it(first_column.begin(), first_column.end(), key), end; it != end;
         ++it)
      tables[section].insert((*it)[1]);
  }
  return tables;
}

TEST(ScenarioDocs, EachSectionAcceptsExactlyTheDocumentedKeys) {
  const auto documented = documented_tables();
  for (const reader::KeyTable& table : reader::key_tables()) {
    SCOPED_TRACE(table.section);
    ASSERT_EQ(documented.count(table.section), 1u) << "no documented table";
    const std::set<std::string> accepted(table.keys.begin(), table.keys.end());
    EXPECT_EQ(documented.at(table.section), accepted);
  }
  EXPECT_EQ(documented.size(), reader::key_tables().size());
}

}  // namespace
}  // namespace tenure
