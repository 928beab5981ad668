// The one layer that reads YAML. It turns a scenario file into plain structs
// (scenario.hpp) and checks everything before anything runs; nothing else includes yaml-cpp.
#pragma once

#include <string>
#include <string_view>

#include "sim/scenario/diagnostics.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {

// A scenario file larger than this is refused before it is parsed.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{1} << 20;

// Reads and validates a scenario file. Throws ScenarioError listing every problem found,
// each as FILE:LINE:COLUMN: message (an unreadable file gives one diagnostic without position).
Scenario load_scenario_file(const std::string& path);

// Same, from text; `file_name` is used in messages.
Scenario parse_scenario(std::string_view yaml_text, const std::string& file_name);

}  // namespace tenure
