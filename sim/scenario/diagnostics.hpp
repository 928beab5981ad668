// Problems found in an input file, each with its position, reported all at once.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace tenure {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string message;
};

// "FILE:LINE:COLUMN: message"; the column, or the whole position, is omitted when unknown.
std::string format_diagnostic(const Diagnostic& diagnostic);

// Thrown when a scenario has one or more problems; what() lists them all, one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace tenure
