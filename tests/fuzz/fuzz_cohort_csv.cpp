// libFuzzer entry point for the cohort CSV reader and the sBG fit of a valid table (see
// harness.hpp). Built only by the clang fuzz build (TENURE_FUZZ); docs/hardening.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tenure::fuzz::cohort_csv_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
