#include "sim/scenario/diagnostics.hpp"

#include <fmt/format.h>

namespace tenure {

std::string format_diagnostic(const Diagnostic& d) {
  if (d.line > 0 && d.column > 0)
    return fmt::format("{}:{}:{}: {}", d.file, d.line, d.column, d.message);
  if (d.line > 0) return fmt::format("{}:{}: {}", d.file, d.line, d.message);
  return fmt::format("{}: {}", d.file, d.message);
}

static std::string join_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += format_diagnostic(d);
  }
  return text;
}

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace tenure
