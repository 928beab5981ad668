#include "sim/commands/settings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "sim/engine/variables.hpp"

namespace tenure {

namespace {

// The whole of `text` as a finite number, if it is one.
std::optional<double> number_of(const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value))
    return std::nullopt;
  return value;
}

// The values of VALUE or LOW:HIGH:N, or what is wrong with them.
std::vector<double> values_of(const std::string& text, bool grids, std::string& problem) {
  const std::size_t first = text.find(':');
  if (first == std::string::npos) {
    if (const auto value = number_of(text)) return {*value};
    problem = fmt::format("'{}' is not a number", text);
    return {};
  }
  if (!grids) {
    problem = "takes one value here (a grid LOW:HIGH:N is for tenure sweep)";
    return {};
  }
  const std::size_t second = text.find(':', first + 1);
  const auto low = number_of(text.substr(0, first));
  const auto high = second == std::string::npos
                        ? std::nullopt
                        : number_of(text.substr(first + 1, second - first - 1));
  const auto count =
      second == std::string::npos ? std::nullopt : number_of(text.substr(second + 1));
  if (!low || !high || !count || *count != std::floor(*count) || *count < 2 ||
      *count > kMaxGridValues || !(*low < *high)) {
    problem = fmt::format(
        "a grid must be LOW:HIGH:N with LOW < HIGH and N a whole number from 2 to {}, got '{}'",
        kMaxGridValues, text);
    return {};
  }
  const int n = static_cast<int>(*count);
  std::vector<double> values;
  for (int i = 0; i < n; ++i)
    values.push_back(i + 1 == n ? *high : *low + (*high - *low) * i / (n - 1));
  return values;
}

// What is wrong with one --set ("" when nothing); fills `setting` when it is fine.
std::string setting_problem(const std::string& text, const Parameters& p, bool grids,
                            const std::vector<Setting>& earlier, Setting& setting) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) return "must be NAME=VALUE";
  const std::string name = text.substr(0, equals);
  setting.variable = variable_index(p, name);
  if (setting.variable == p.variables.size()) {
    std::vector<std::string> names;
    for (const Variable& v : p.variables) names.push_back(v.name);
    return names.empty() ? fmt::format("the scenario has no variables, so no '{}'", name)
                         : fmt::format("the scenario has no variable '{}' (its variables: {})",
                                       name, fmt::join(names, ", "));
  }
  for (const Setting& other : earlier)
    if (other.variable == setting.variable) return fmt::format("{} is set twice", name);
  std::string problem;
  setting.values = values_of(text.substr(equals + 1), grids, problem);
  for (const double value : setting.values)
    if (problem.empty()) problem = variable_value_problem(p.variables[setting.variable], value);
  return problem;
}

}  // namespace

std::vector<Setting> read_settings(const std::vector<std::string>& texts, const Parameters& p,
                                   bool grids) {
  std::vector<Setting> settings;
  std::vector<std::string> problems;
  for (const std::string& text : texts) {
    Setting setting;
    const std::string problem = setting_problem(text, p, grids, settings, setting);
    if (problem.empty())
      settings.push_back(std::move(setting));
    else
      problems.push_back(fmt::format("--set {}: {}", text, problem));
  }
  if (!problems.empty())
    throw std::invalid_argument(fmt::format("{}", fmt::join(problems, "\nerror: ")));
  return settings;
}

void apply_settings(Parameters& p, const std::vector<Setting>& settings) {
  for (const Setting& setting : settings) set_variable(p, setting.variable, setting.values.front());
}

std::optional<std::size_t> baseline_policy(const Parameters& p, const std::string& name) {
  if (name.empty()) return std::nullopt;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < p.policies.size(); ++i) {
    if (p.policies[i].name == name) return i;
    names.push_back(p.policies[i].name);
  }
  throw std::invalid_argument(fmt::format("--baseline: no policy named '{}'; the policies are {}",
                                          name, fmt::join(names, ", ")));
}

std::string settings_arguments(const std::vector<std::string>& texts) {
  std::string out;
  for (const std::string& text : texts) out += " --set " + text;
  return out;
}

}  // namespace tenure
