// Shared by the tests that parse scenario text: a one-place edit of a base text, and the
// diagnostics a text produces.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario_yaml.hpp"

namespace tenure::test {

// `text` with `from` replaced by `to`; `from` must occur exactly once.
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "not unique: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Every diagnostic as "FILE:LINE:COLUMN: message"; empty if the text parses.
inline std::vector<std::string> diagnostics_of(const std::string& yaml, const std::string& file) {
  std::vector<std::string> out;
  try {
    parse_scenario(yaml, file);
  } catch (const ScenarioError& error) {
    for (const Diagnostic& d : error.diagnostics()) out.push_back(format_diagnostic(d));
  }
  return out;
}

}  // namespace tenure::test
