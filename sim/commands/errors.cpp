#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <new>

#include "sim/commands/commands.hpp"
#include "sim/engine/resources.hpp"
#include "sim/output/result_set.hpp"
#include "sim/scenario/diagnostics.hpp"

namespace tenure {

int with_error_reporting(const std::function<int()>& command) {
  try {
    return command();
  } catch (const ScenarioError& error) {
    std::cerr << error.what() << '\n';
    const std::size_t count = error.diagnostics().size();
    std::cerr << fmt::format("{} problem{} found; nothing was run.\n", count,
                             count == 1 ? "" : "s");
    return kBadInput;
  } catch (const std::invalid_argument& error) {  // a command-line value found wrong late
    std::cerr << "error: " << error.what() << '\n';
    return kUsage;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: ran out of memory; run fewer worlds (--paths)\n";
    return kFailed;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << '\n';
    return kFailed;
  }
}

std::string whole_number_problem(const std::string& text, std::uint64_t min, std::uint64_t max) {
  const std::string expected = fmt::format("a whole number from {} to {}", min, max);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return fmt::format("must be {}, got '{}'", expected, text);
  std::uint64_t value = 0;
  for (const char digit : text) {
    const std::uint64_t d = static_cast<std::uint64_t>(digit - '0');
    if (value > (max - d) / 10) return fmt::format("must be {}, got {}", expected, text);
    value = value * 10 + d;
  }
  if (value < min) return fmt::format("must be {}, got {}", expected, text);
  return "";
}

std::string positive_number_problem(const std::string& text) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value) || value <= 0.0)
    return fmt::format("must be a positive number, got '{}'", text);
  return "";
}

}  // namespace tenure
