// Variables: the levers declared under `variables:` ({value, min, max} each), the numbers the
// scenario gives as $name, and the places those numbers set (sim/engine/variables.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/engine/variables.hpp"
#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

// A variable's name: a letter or '_', then letters, digits or '_' (so that $name ends where
// the name does, and --set name=... reads back).
bool valid_variable_name(const std::string& name) {
  auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  return !name.empty() && name.size() <= 64 && letter(name[0]) &&
         std::all_of(name.begin(), name.end(), [&](char c) {
           return letter(c) || std::isdigit(static_cast<unsigned char>(c));
         });
}

const NumberRule kVariableBound{-limits::kMoney, true, limits::kMoney, true,
                                "a number from -1e15 to 1e15"};

// value, min and max: plain numbers (a variable is a decision: no distribution, no $name).
std::optional<double> plain_number(Problems& problems, MapReader& r, std::string_view key) {
  const auto item = r.require(key, kVariableBound.text);
  if (!item) return std::nullopt;
  const auto parsed = numeric_scalar(problems, *item, kVariableBound.text);
  if (!parsed) return std::nullopt;
  if (!kVariableBound.allows(parsed->value)) {
    problems.add(item->mark, fmt::format("{} must be {}, got {}", item->path, kVariableBound.text,
                                         item->node.Scalar()));
    return std::nullopt;
  }
  return parsed->value;
}

std::optional<DeclaredVariable> read_declaration(Problems& problems, const Entry& entry) {
  if (!valid_variable_name(entry.key)) {
    problems.add(entry.key_mark,
                 fmt::format("variable name '{}' must start with a letter or '_' and hold only "
                             "letters, digits and '_' (at most 64), so that ${} reads as one name",
                             entry.key, entry.key));
    return std::nullopt;
  }
  MapReader r(problems, entry.item(), keys_of("variables"));
  if (!r.valid()) return std::nullopt;
  const auto value = plain_number(problems, r, "value");
  const auto min = plain_number(problems, r, "min");
  const auto max = plain_number(problems, r, "max");
  r.finish();
  if (!value || !min || !max) return std::nullopt;
  if (*min > *max) {
    problems.add(r.key_mark("min"), fmt::format("{}: min ({}) is above max ({})", entry.path,
                                                format_sum(*min), format_sum(*max)));
    return std::nullopt;
  }
  if (*value < *min || *value > *max) {
    problems.add(r.key_mark("value"),
                 fmt::format("{}.value must be from min ({}) to max ({}), got {}", entry.path,
                             format_sum(*min), format_sum(*max), format_sum(*value)));
    return std::nullopt;
  }
  return DeclaredVariable{entry.key, *value, *min, *max, entry.key_mark};
}

// The place (sim/engine/variables.hpp) of the number at a reader's path: schedule steps and a
// policy's own lines become steps, a spend line's share/amount/per_customer is the line.
std::string lever_place(const std::string& path) {
  if (path.rfind("policies[", 0) != 0) return path;
  const std::size_t close = path.find(']');
  std::string rest = close + 2 <= path.size() ? path.substr(close + 2) : "";
  std::string step = "0";
  if (rest.rfind("schedule[", 0) == 0) {
    const std::size_t end = rest.find(']');
    step = rest.substr(9, end - 9);
    rest = end + 2 <= rest.size() ? rest.substr(end + 2) : "";
  }
  for (const char* kind : {".share", ".amount", ".per_customer"}) {
    const std::string suffix(kind);
    if (rest.size() > suffix.size() && rest.ends_with(suffix) &&
        rest.find('.') == rest.size() - suffix.size())
      rest.resize(rest.size() - suffix.size());
  }
  return path.substr(0, close + 1) + ".steps[" + step + "]." + rest;
}

}  // namespace

bool names_variable(const YAML::Node& node) {
  return node.IsScalar() && !is_quoted(node) && node.Tag() == "?" && !node.Scalar().empty() &&
         node.Scalar()[0] == '$';
}

std::optional<double> read_variable_use(Problems& problems, const Item& item,
                                        const NumberRule& rule, bool whole) {
  const std::string name = item.node.Scalar().substr(1);
  const DeclaredVariable* v = problems.variable(name);
  if (v == nullptr) {
    std::vector<std::string> names;
    for (const DeclaredVariable& declared : problems.variables) names.push_back(declared.name);
    problems.add(item.mark,
                 names.empty()
                     ? fmt::format("{}: unknown variable '${}'; the scenario declares none (add "
                                   "variables: {{{}: {{value: V, min: LOW, max: HIGH}}}})",
                                   item.path, name, name)
                     : fmt::format("{}: unknown variable '${}'{} (variables: {})", item.path, name,
                                   did_you_mean(name, names), join(names)));
    return std::nullopt;
  }
  if (!v->valid) {
    problems.variable_uses.push_back({item.path, item.mark, name, whole, false});
    return std::nullopt;
  }
  auto is_whole = [](double x) { return x == std::floor(x); };
  auto reported = [&](std::string message) -> std::optional<double> {
    problems.add(item.mark, std::move(message));
    problems.variable_uses.push_back({item.path, item.mark, name, whole, false});
    return std::nullopt;
  };
  if (whole && !(is_whole(v->value) && is_whole(v->min) && is_whole(v->max)))
    return reported(
        fmt::format("{} takes a whole number of periods, but variable {} is "
                    "not whole (value {}, min {}, max {})",
                    item.path, name, format_sum(v->value), format_sum(v->min), format_sum(v->max)));
  if (!rule.allows(v->min) || !rule.allows(v->max))
    return reported(
        fmt::format("{} must be {}, but variable {} goes from {} to {} (its "
                    "min and max); keep them within that",
                    item.path, rule.text, name, format_sum(v->min), format_sum(v->max)));
  problems.variable_uses.push_back({item.path, item.mark, name, whole});
  return v->value;
}

void read_variables(Problems& problems, MapReader& top) {
  const auto item = top.item("variables");
  if (!item) return;
  if (!item->node.IsMap()) {
    problems.add(item->mark, fmt::format("variables must be a map from a variable's name to "
                                         "{{value, min, max}}, got {}",
                                         describe(item->node)));
    return;
  }
  const std::vector<Entry> entries = map_entries(problems, item->node, item->path);
  if (entries.size() > limits::kVariables) {
    problems.add(item->mark, fmt::format("variables has {} entries; at most {} are allowed",
                                         entries.size(), limits::kVariables));
    return;
  }
  for (const Entry& entry : entries) {
    // A declaration that was reported still declares its name: its uses are not unknown.
    auto declared = read_declaration(problems, entry);
    if (!declared) declared = DeclaredVariable{entry.key, 0.0, 0.0, 0.0, entry.key_mark, false};
    problems.variables.push_back(std::move(*declared));
  }
}

void read_variable_places(Problems& problems, Scenario& s) {
  std::set<std::string> numbers, periods;
  for_each_lever(
      s, [&](const std::string& place, double&) { numbers.insert(place); },
      [&](const std::string& place, int&) { periods.insert(place); });
  for (const DeclaredVariable& declared : problems.variables)
    if (declared.valid)
      s.variables.push_back({declared.name, declared.value, declared.min, declared.max, false, {}});
  std::set<std::string> used;
  for (const VariableUse& use : problems.variable_uses) {
    used.insert(use.variable);
    if (!use.valid) continue;
    const std::string place = lever_place(use.path);
    const bool known = use.whole ? periods.count(place) > 0 : numbers.count(place) > 0;
    if (!known) {
      problems.add(use.mark, fmt::format("{} cannot be a variable: variables set the numbers of "
                                         "policies, schedule steps and shocks; give a number",
                                         use.path));
      continue;
    }
    Variable& variable = s.variables[variable_index(s, use.variable)];
    variable.places.push_back(place);
    variable.whole = variable.whole || use.whole;
  }
  for (const DeclaredVariable& declared : problems.variables)
    if (declared.valid && used.count(declared.name) == 0)
      problems.add(declared.mark, fmt::format("variables.{} is not used; write ${} in a policy, "
                                              "schedule step or shock, or remove it",
                                              declared.name, declared.name));
}

}  // namespace tenure::reader
