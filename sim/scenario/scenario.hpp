// A scenario as the YAML layer produces it: the model's parameters (parameters.hpp) plus
// what identifies the scenario and how to run it. Plain structs; nothing here knows YAML.
#pragma once

#include <cstdint>
#include <string>

#include "sim/engine/parameters.hpp"

namespace tenure {

struct Scenario : Parameters {
  std::string name;
  std::string description;
  std::string source_file;  // where it was read from, for messages
  std::int64_t paths = 10000;
  std::uint64_t seed = 1;
};

}  // namespace tenure
