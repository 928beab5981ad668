// The YAML toolkit of the scenario layer: problems collected with their positions, values
// with their paths, typed reads of one value, maps read with their allowed keys (duplicate
// and unknown keys found, with a did-you-mean), lists, unique names, and a guard against a
// yaml-cpp endless loop. Nothing here knows what a scenario contains: the sections' rules
// are in the read_*.cpp files beside it. Only the scenario layer includes this header.
//
// The approach: walk the YAML tree once, top to bottom, filling plain structs. Nothing
// throws on a bad value; every problem is recorded with its position in a Problems list
// and the walk goes on, so a user sees every mistake at once.
#pragma once

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/engine/limits.hpp"
#include "sim/engine/parameters.hpp"
#include "sim/scenario/diagnostics.hpp"

namespace tenure::reader {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------
// Problems: the list of diagnostics being collected.

// A number the scenario gave as a distribution, met during the walk: where it was (its path
// and position), what was said of it, and the range of the key.
struct UncertainNumber {
  std::string path;  // tiers[0].churn; the scenario layer turns it into a place
  YAML::Mark mark;
  std::string name;  // given with name:, or ""
  Distribution distribution;
  Range range;
};

// A variable declared under `variables:`, as read.
struct DeclaredVariable {
  std::string name;
  double value = 0.0, min = 0.0, max = 0.0;
  YAML::Mark mark;    // its name's
  bool valid = true;  // false: its declaration was reported; its uses are not checked
};

// A number the scenario gives as $name: where it is, and which variable.
struct VariableUse {
  std::string path;  // policies[0].schedule[1].acquisition.share; made a place later
  YAML::Mark mark;
  std::string variable;
  bool whole = false;  // read where a whole number goes (a period)
  bool valid = true;   // false: the use was reported (out of range...); it still counts as one
};

// What the walk collects: the problems, the numbers given as distributions, the variables
// declared and the numbers given as variables.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  std::vector<UncertainNumber> uncertain;
  std::vector<DeclaredVariable> variables;
  std::vector<VariableUse> variable_uses;

  const DeclaredVariable* variable(std::string_view name) const {
    for (const DeclaredVariable& v : variables)
      if (v.name == name) return &v;
    return nullptr;
  }
  // The variable a number at `path` (or a map's number just below it, as a spend line's
  // {share: $a}) was given as, if any.
  const DeclaredVariable* variable_at(const std::string& path) const {
    for (const VariableUse& use : variable_uses)
      if (!use.valid)
        continue;
      else if (use.path == path ||
               (use.path.size() > path.size() && use.path.rfind(path + ".", 0) == 0 &&
                use.path.find('.', path.size() + 1) == std::string::npos))
        return variable(use.variable);
    return nullptr;
  }

  void add(const YAML::Mark& mark, std::string message) {
    Diagnostic d;
    d.file = file_;
    if (!mark.is_null() && mark.line >= 0 && mark.column >= 0) {
      d.line = mark.line + 1;
      d.column = mark.column + 1;
    }
    d.message = std::move(message);
    list_.push_back(std::move(d));
  }

  void add_at(int line, int column, std::string message) {
    list_.push_back(Diagnostic{file_, line, column, std::move(message)});
  }

  std::size_t count() const { return list_.size(); }

  // In file order (problems without a position first); equal positions keep their order.
  std::vector<Diagnostic> take() {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return std::move(list_);
  }

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
};

// ---------------------------------------------------------------------------------------
// Small text helpers.

std::string join(const std::vector<std::string>& words, std::string_view separator = ", ");
std::string lower(std::string_view text);

std::string did_you_mean(std::string_view word, const std::vector<std::string>& options);

// How a path is named in a sentence.
std::string subject(const std::string& path);
std::string in_where(const std::string& path);
std::string child_path(const std::string& path, std::string_view key);

// ---------------------------------------------------------------------------------------
// Scalars as numbers.

enum class NumberSyntax { ok, not_a_number, non_finite, leading_zero, out_of_range };

struct ParsedNumber {
  NumberSyntax syntax = NumberSyntax::not_a_number;
  double value = 0.0;
  bool integral = false;   // digits only, no point or exponent
  std::string suggestion;  // for leading_zero: the same number without the extra zeros
};

// Plain decimal numbers only: [+-] digits [. digits] [e [+-] digits], or [+-] . digits ...
// Everything YAML or yaml-cpp might read differently (octal-looking 010, hex 0x10,
// .inf / .nan) is told apart so the message can say what is wrong.
ParsedNumber parse_number(std::string_view text);

bool is_quoted(const YAML::Node& node);

// What a value is, for "got ..." in messages.
std::string describe(const YAML::Node& node);

// ---------------------------------------------------------------------------------------
// Items and the typed reads of one value.

struct Item {
  YAML::Node node;
  std::string path;
  YAML::Mark mark;  // where a problem with this value is reported
};

// Allowed range of a number, and how to say it.
struct NumberRule {
  double min = -kInfinity;
  bool min_inclusive = true;
  double max = kInfinity;
  bool max_inclusive = true;
  std::string text;       // e.g. "a probability between 0 and 1"
  bool decision = false;  // a policy's choice: never uncertain

  bool allows(double v) const {
    const bool above = min_inclusive ? v >= min : v > min;
    const bool below = max_inclusive ? v <= max : v < max;
    return above && below;
  }
};

// The kinds of numbers a scenario gives, each bounded so that the engine computes with it
// exactly and without overflow (sim/engine/limits.hpp).
inline const NumberRule kProbability{0.0, true, 1.0, true, "a probability between 0 and 1"};
inline const NumberRule kMoney{0.0, true, limits::kMoney, true,
                               "an amount of money from 0 to 1e15"};
inline const NumberRule kPositive{0.0, false, 1e15, true, "a number > 0 and at most 1e15"};
inline const NumberRule kMultiplier{0.0, true, limits::kMultiplier, true,
                                    "a multiplier from 0 to 1000"};
inline const NumberRule kWeight{0.0, true, 1e6, true, "a weight from 0 to 1e6"};
inline const NumberRule kCustomerCount{0.0, true, limits::kCustomersPerPeriod, true,
                                       "a number of customers per period from 0 to 1e12"};
inline const NumberRule kGrowth{-1.0, false, limits::kAnnualGrowth, true,
                                "an annual growth rate above -1 and at most 1"};
inline const NumberRule kAnnualRate{0.0, true, 1.0, true, "an annual rate between 0 and 1"};

struct IntegerRule {
  std::uint64_t min = 0;
  std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  std::string text;  // e.g. "an integer from 1 to 10000"
};

IntegerRule at_least(std::uint64_t min,
                     std::uint64_t max = std::numeric_limits<std::int64_t>::max());
IntegerRule between(std::uint64_t min, std::uint64_t max);

// Shared checks of a scalar meant as a number; returns the parsed text when usable.
std::optional<ParsedNumber> numeric_scalar(Problems& problems, const Item& item,
                                           const std::string& expected);

// The one read of "a number of this kind": every number a scenario gives as a quantity
// (money, probabilities, rates, multipliers...) goes through here. A map with `dist:` in
// its place is an uncertain number: its distribution is checked (parameters, and that its
// draws stay within the rule's range but for a chance below 1e-9), recorded in
// problems.uncertain, and its mean, within the range, is returned as the nominal value.
std::optional<double> read_quantity(Problems& problems, const Item& item, const NumberRule& rule);

// The distribution branch of read_quantity (read_distribution.cpp).
std::optional<double> read_uncertain(Problems& problems, const Item& item, const NumberRule& rule);

// Whether a value names a variable: a plain scalar $name.
bool names_variable(const YAML::Node& node);

// The variable branch of read_quantity and read_integer (read_variables.cpp): the variable
// must be declared, its whole range [min, max] within the rule's (and whole, where a whole
// number goes); the use is recorded in problems.variable_uses and its value returned.
std::optional<double> read_variable_use(Problems& problems, const Item& item,
                                        const NumberRule& rule, bool whole);

std::optional<std::uint64_t> read_integer(Problems& problems, const Item& item,
                                          const IntegerRule& rule);

std::optional<std::string> read_string(Problems& problems, const Item& item);

// A name (of a scenario, tier, policy, source): text of at most limits::kNameBytes bytes
// without control characters, since names become folder and column names.
std::optional<std::string> read_name(Problems& problems, const Item& item);

template <typename E>
using Choices = std::vector<std::pair<std::string, E>>;

template <typename E>
std::optional<E> read_one_of(Problems& problems, const Item& item, const Choices<E>& choices) {
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) names.push_back(name);
  if (item.node.IsScalar()) {
    for (const auto& [name, value] : choices)
      if (item.node.Scalar() == name) return value;
  }
  problems.add(
      item.mark,
      fmt::format("{} must be one of {}, got {}{}", item.path, join(names), describe(item.node),
                  item.node.IsScalar() ? did_you_mean(item.node.Scalar(), names) : std::string()));
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// Map entries, with duplicate keys found (yaml-cpp keeps them all and says nothing).

struct Entry {
  std::string key;
  YAML::Mark key_mark;
  YAML::Node value;
  std::string path;
  bool used = false;

  // Problems with a missing value (`key:` alone) point at the key, not at the next line.
  Item item() const {
    return Item{value, path, value.IsNull() || value.Mark().is_null() ? key_mark : value.Mark()};
  }
};

std::vector<Entry> map_entries(Problems& problems, const YAML::Node& map, const std::string& path);

// ---------------------------------------------------------------------------------------
// MapReader: one YAML map with its path and allowed keys.

class MapReader {
 public:
  MapReader(Problems& problems, const Item& item, std::vector<std::string> allowed)
      : problems_(problems), path_(item.path), mark_(item.mark), allowed_(std::move(allowed)) {
    if (!item.node.IsMap()) {
      problems_.add(mark_, fmt::format("{} must be a map (keys: {}), got {}", subject(path_),
                                       join(allowed_), describe(item.node)));
      return;
    }
    valid_ = true;
    entries_ = map_entries(problems_, item.node, path_);
  }

  bool valid() const { return valid_; }
  const std::string& path() const { return path_; }
  const YAML::Mark& mark() const { return mark_; }

  bool has(std::string_view key) const { return find(key) != nullptr; }

  YAML::Mark key_mark(std::string_view key) const {
    const Entry* entry = find(key);
    return entry ? entry->key_mark : mark_;
  }

  // The value of `key` if present (and marks the key as read).
  std::optional<Item> item(std::string_view key) {
    Entry* entry = find(key);
    if (entry == nullptr) return std::nullopt;
    entry->used = true;
    return entry->item();
  }

  // Same, reporting a missing key at this map; `what` says what the key should hold.
  std::optional<Item> require(std::string_view key, std::string_view what) {
    auto found = item(key);
    if (!found && valid_)
      problems_.add(mark_,
                    fmt::format("{} is missing required key '{}' ({})", subject(path_), key, what));
    return found;
  }

  // Numbers.
  std::optional<double> required_number(std::string_view key, const NumberRule& rule) {
    const auto found = require(key, rule.text);
    return found ? read_quantity(problems_, *found, rule) : std::nullopt;
  }
  double optional_number(std::string_view key, const NumberRule& rule, double fallback) {
    const auto found = item(key);
    if (!found) return fallback;
    return read_quantity(problems_, *found, rule).value_or(fallback);
  }
  std::optional<double> required_probability(std::string_view key) {
    return required_number(key, kProbability);
  }
  double optional_probability(std::string_view key, double fallback) {
    return optional_number(key, kProbability, fallback);
  }
  std::optional<double> required_money(std::string_view key) {
    return required_number(key, kMoney);
  }
  double optional_money(std::string_view key, double fallback) {
    return optional_number(key, kMoney, fallback);
  }

  // Integers.
  std::optional<std::uint64_t> required_integer(std::string_view key, const IntegerRule& rule) {
    const auto found = require(key, rule.text);
    return found ? read_integer(problems_, *found, rule) : std::nullopt;
  }
  std::uint64_t optional_integer(std::string_view key, const IntegerRule& rule,
                                 std::uint64_t fallback) {
    const auto found = item(key);
    if (!found) return fallback;
    return read_integer(problems_, *found, rule).value_or(fallback);
  }

  // Text.
  std::optional<std::string> required_string(std::string_view key) {
    const auto found = require(key, "text");
    return found ? read_string(problems_, *found) : std::nullopt;
  }
  std::optional<std::string> required_name(std::string_view key) {
    const auto found = require(key, "a name");
    return found ? read_name(problems_, *found) : std::nullopt;
  }
  std::string optional_string(std::string_view key, std::string fallback) {
    const auto found = item(key);
    if (!found) return fallback;
    return read_string(problems_, *found).value_or(std::move(fallback));
  }

  // One of a fixed set of words.
  template <typename E>
  E one_of(std::string_view key, const Choices<E>& choices, E fallback) {
    const auto found = item(key);
    if (!found) return fallback;
    return read_one_of(problems_, *found, choices).value_or(fallback);
  }
  template <typename E>
  std::optional<E> required_one_of(std::string_view key, const Choices<E>& choices) {
    std::vector<std::string> names;
    for (const auto& choice : choices) names.push_back(choice.first);
    const auto found = require(key, "one of " + join(names));
    return found ? read_one_of(problems_, *found, choices) : std::nullopt;
  }

  // A key that is known but not allowed here: report it with `message` at the key.
  void reject(std::string_view key, const std::string& message) {
    Entry* entry = find(key);
    if (entry == nullptr) return;
    entry->used = true;
    problems_.add(entry->key_mark, message);
  }

  // Reports every key that is not in the allowed list. Call once, after all reads.
  void finish() {
    for (const Entry& entry : entries_) {
      if (entry.used || std::find(allowed_.begin(), allowed_.end(), entry.key) != allowed_.end())
        continue;
      problems_.add(entry.key_mark,
                    fmt::format("unknown key '{}' {}{} (allowed: {})", entry.key, in_where(path_),
                                did_you_mean(entry.key, allowed_), join(allowed_)));
    }
  }

 private:
  const Entry* find(std::string_view key) const {
    for (const Entry& entry : entries_)
      if (entry.key == key) return &entry;
    return nullptr;
  }
  Entry* find(std::string_view key) { return const_cast<Entry*>(std::as_const(*this).find(key)); }

  Problems& problems_;
  std::string path_;
  YAML::Mark mark_;
  std::vector<std::string> allowed_;
  std::vector<Entry> entries_;
  bool valid_ = false;
};

// The elements of a list, each with its path `list[i]`; nullopt if it is not a list.
// `most`: the longest list allowed (a longer one is reported, and not read).
std::optional<std::vector<Item>> list_items(
    Problems& problems, const Item& list, std::string_view what, bool non_empty,
    std::size_t most = static_cast<std::size_t>(limits::kHorizon));

// Reports a name that an earlier element of the same list already used.
class UniqueNames {
 public:
  // `in_columns`: the name also becomes part of result column names, so two names that
  // differ only in case or punctuation would collide there.
  explicit UniqueNames(std::string kind, bool in_columns = false)
      : kind_(std::move(kind)), in_columns_(in_columns) {}
  void check(Problems& problems, const std::string& name, const std::string& path,
             const YAML::Mark& mark) {
    const auto [seen, inserted] = first_.emplace(name, std::pair(path, mark.line + 1));
    if (!inserted) {
      problems.add(mark, fmt::format("duplicate {} name '{}' at {}: {} (line {}) already has it; "
                                     "names must be unique",
                                     kind_, name, path, seen->second.first, seen->second.second));
      return;
    }
    if (!in_columns_) return;
    const auto [other, fresh] = columns_.emplace(result_name(name), std::pair(name, path));
    if (!fresh)
      problems.add(mark, fmt::format("{} name '{}' at {} and '{}' at {} both appear as '{}' in "
                                     "result column names; rename one",
                                     kind_, name, path, other->second.first, other->second.second,
                                     other->first));
  }

 private:
  std::string kind_;
  bool in_columns_;
  std::map<std::string, std::pair<std::string, int>> first_;
  std::map<std::string, std::pair<std::string, std::string>> columns_;
};

std::string format_sum(double sum);

// ---------------------------------------------------------------------------------------
// Documents in the text, found by a pass over the parser's events before loading any nodes.
//
// yaml-cpp 0.7 never stops on a ',' where a document's root should be (e.g. a stray comma on
// the first line): it reports an empty document at the same place over and over, and
// YAML::LoadAll allocates until memory runs out (jbeder/yaml-cpp#1040, fixed upstream after
// 0.7). This pass looks at no more than two documents and notices that repeat, so the text
// can then be loaded with YAML::Load, which reads only the first document.

struct DocumentSurvey {
  std::optional<YAML::Mark> second_document;  // where a second document starts
  std::optional<YAML::Mark> stuck_at;         // where the parser repeats itself
};

DocumentSurvey survey_documents(const std::string& text);

}  // namespace tenure::reader
