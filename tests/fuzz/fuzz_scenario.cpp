// libFuzzer entry point for the scenario reader and everything a valid scenario reaches (see
// harness.hpp). Built only by the clang fuzz build (TENURE_FUZZ); docs/hardening.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tenure::fuzz::scenario_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
