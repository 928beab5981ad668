#include "sim/output/formatting.hpp"

#include <fmt/format.h>

#include <cmath>

namespace tenure {

std::string number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : "nan";
}

std::string grouped(double x) {
  if (!std::isfinite(x)) return "n/a";
  if (std::abs(x) >= 1e18) return fmt::format("{:.4g}", x);  // beyond what llround can hold
  const long long rounded = std::llround(x);
  const std::string digits = std::to_string(rounded < 0 ? -rounded : rounded);
  std::string out = rounded < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string percent(double share) {
  return fmt::format("{:.1f}%", 100.0 * share);
}

std::string factor(double x) {
  return std::abs(x) < 1000.0 ? fmt::format("{:.3g}", x) : grouped(std::round(x));
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace tenure
