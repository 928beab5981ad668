// Reading and checking a scenario file. This is the only place that touches yaml-cpp.
//
// The approach: walk the YAML tree once, top to bottom, filling the plain structs of
// scenario.hpp. Nothing here throws on a bad value; every problem is recorded with its
// position in a Problems list and the walk goes on, so a user sees every mistake at once.
// When the walk is done and the list is not empty, ScenarioError carries all of it.
//
// The building blocks, in order of appearance:
//   Problems    collects diagnostics, turning yaml-cpp's 0-based marks into 1-based ones.
//   Item        a YAML value with its path ("tiers[2].churn") and the position to blame.
//   read_*      typed readers of one value (number, integer, text), recording problems.
//   MapReader   wraps a YAML map with its path and allowed keys: finds duplicate keys,
//               offers required_/optional_ getters, and reports unknown keys in finish().
//   TierNames   resolves tier names used as keys (moves, mix, weights) with suggestions.
//   survey_documents  a bounded pass over the parser's events before loading, which guards
//               against a yaml-cpp 0.7 endless loop and finds a second document.
// To add a key: add it to the allowed list of its map and read it with a getter.
#include "sim/scenario_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace tenure {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kMixTolerance = 1e-9;     // new_customer_mix must sum to 1 within this
constexpr double kShareTolerance = 1e-12;  // shares and move probabilities: sum <= 1 + this
constexpr std::uint64_t kMaxHorizon = 10000;

// ---------------------------------------------------------------------------------------
// Problems: the list of diagnostics being collected.

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

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

std::string join(const std::vector<std::string>& words, std::string_view separator = ", ") {
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += separator;
    text += word;
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edit distance allowing insertions, deletions, substitutions and swaps of neighbours.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

// The candidate closest to `word`, if close enough to be a likely typo.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& options) {
  const std::string target = lower(word);
  const std::size_t limit = std::max<std::size_t>(1, target.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& option : options) {
    const std::size_t distance = edit_distance(target, lower(option));
    if (distance < best_distance && distance < target.size()) {
      best_distance = distance;
      best = option;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& options) {
  const auto guess = closest(word, options);
  return guess ? fmt::format("; did you mean '{}'?", *guess) : std::string();
}

// How a path is named in a sentence.
std::string subject(const std::string& path) {
  return path.empty() ? "the scenario" : path;
}
std::string in_where(const std::string& path) {
  return path.empty() ? "at the top level" : "in " + path;
}
std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

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
ParsedNumber parse_number(std::string_view text) {
  ParsedNumber result;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::string body = lower(text.substr(i));
  if (body == ".inf" || body == "inf" || body == "infinity" || body == ".nan" || body == "nan") {
    result.syntax = NumberSyntax::non_finite;
    return result;
  }
  auto digits = [&](std::size_t& k) {
    const std::size_t start = k;
    while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
    return k - start;
  };
  const std::size_t int_start = i;
  const std::size_t int_digits = digits(i);
  std::size_t frac_digits = 0;
  bool has_point = false, has_exponent = false;
  if (i < text.size() && text[i] == '.') {
    has_point = true;
    ++i;
    frac_digits = digits(i);
  }
  if (int_digits + frac_digits == 0) return result;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    has_exponent = true;
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits(i) == 0) return result;
  }
  if (i != text.size()) return result;
  if (int_digits > 1 && text[int_start] == '0') {
    result.syntax = NumberSyntax::leading_zero;
    std::size_t first = int_start;
    while (first + 1 < int_start + int_digits && text[first] == '0') ++first;
    result.suggestion = std::string(text.substr(0, int_start)) + std::string(text.substr(first));
    if (!result.suggestion.empty() && result.suggestion[0] == '+') result.suggestion.erase(0, 1);
    return result;
  }
  // from_chars takes no leading '+'.
  const std::size_t from = (text[0] == '+') ? 1 : 0;
  const auto [end, error] = std::from_chars(text.data() + from, text.data() + text.size(),
                                            result.value, std::chars_format::general);
  if (error == std::errc::result_out_of_range || !std::isfinite(result.value)) {
    result.syntax = NumberSyntax::out_of_range;
    return result;
  }
  if (error != std::errc() || end != text.data() + text.size()) return result;
  result.syntax = NumberSyntax::ok;
  result.integral = !has_point && !has_exponent;
  return result;
}

bool is_quoted(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() == "!";
}

// What a value is, for "got ..." in messages.
std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "no value";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  std::string text = node.Scalar();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  if (is_quoted(node)) return fmt::format("quoted text '{}'", text);
  if (parse_number(text).syntax == NumberSyntax::ok) return text;
  return fmt::format("text '{}'", text);
}

// ---------------------------------------------------------------------------------------
// Items and the typed readers of one value.

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
  std::string text;  // e.g. "a probability between 0 and 1"

  bool allows(double v) const {
    const bool above = min_inclusive ? v >= min : v > min;
    const bool below = max_inclusive ? v <= max : v < max;
    return above && below;
  }
};

const NumberRule kProbability{0.0, true, 1.0, true, "a probability between 0 and 1"};
const NumberRule kMoney{0.0, true, kInfinity, true, "an amount of money >= 0"};
const NumberRule kPositive{0.0, false, kInfinity, true, "a number > 0"};
const NumberRule kMultiplier{0.0, true, kInfinity, true, "a multiplier >= 0"};
const NumberRule kWeight{0.0, true, kInfinity, true, "a weight >= 0"};
const NumberRule kCustomerCount{0.0, true, kInfinity, true, "a number of customers >= 0"};
const NumberRule kGrowth{-1.0, false, kInfinity, true, "an annual growth rate > -1"};
const NumberRule kAnnualRate{0.0, true, 1.0, true, "an annual rate between 0 and 1"};

struct IntegerRule {
  std::uint64_t min = 0;
  std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  std::string text;  // e.g. "an integer from 1 to 10000"
};

IntegerRule at_least(std::uint64_t min,
                     std::uint64_t max = std::numeric_limits<std::int64_t>::max()) {
  return {min, max, fmt::format("an integer >= {}", min)};
}
IntegerRule between(std::uint64_t min, std::uint64_t max) {
  return {min, max, fmt::format("an integer from {} to {}", min, max)};
}

// Shared checks of a scalar meant as a number; returns the parsed text when usable.
std::optional<ParsedNumber> numeric_scalar(Problems& problems, const Item& item,
                                           const std::string& expected) {
  const YAML::Node& node = item.node;
  if (!node.IsScalar() || is_quoted(node)) {
    std::string hint;
    if (is_quoted(node) && parse_number(node.Scalar()).syntax == NumberSyntax::ok)
      hint = " (remove the quotes to make it a number)";
    problems.add(item.mark,
                 fmt::format("{} must be {}, got {}{}", item.path, expected, describe(node), hint));
    return std::nullopt;
  }
  ParsedNumber parsed = parse_number(node.Scalar());
  switch (parsed.syntax) {
    case NumberSyntax::ok:
      return parsed;
    case NumberSyntax::not_a_number:
      problems.add(item.mark,
                   fmt::format("{} must be {}, got {}", item.path, expected, describe(node)));
      break;
    case NumberSyntax::non_finite:
      problems.add(item.mark, fmt::format("{} must be a finite number ({}), got {}", item.path,
                                          expected, node.Scalar()));
      break;
    case NumberSyntax::leading_zero:
      problems.add(item.mark,
                   fmt::format("{} is written '{}' with a leading zero, which YAML may read as an "
                               "octal number; write {} instead",
                               item.path, node.Scalar(), parsed.suggestion));
      break;
    case NumberSyntax::out_of_range:
      problems.add(item.mark, fmt::format("{} must be {}, got {}, which is out of range", item.path,
                                          expected, node.Scalar()));
      break;
  }
  return std::nullopt;
}

std::optional<double> read_number(Problems& problems, const Item& item, const NumberRule& rule) {
  const auto parsed = numeric_scalar(problems, item, rule.text);
  if (!parsed) return std::nullopt;
  if (!rule.allows(parsed->value)) {
    problems.add(item.mark,
                 fmt::format("{} must be {}, got {}", item.path, rule.text, item.node.Scalar()));
    return std::nullopt;
  }
  return parsed->value;
}

std::optional<std::uint64_t> read_integer(Problems& problems, const Item& item,
                                          const IntegerRule& rule) {
  const auto parsed = numeric_scalar(problems, item, rule.text);
  if (!parsed) return std::nullopt;
  const std::string& text = item.node.Scalar();
  auto out_of_rule = [&] {
    problems.add(item.mark, fmt::format("{} must be {}, got {}", item.path, rule.text, text));
    return std::nullopt;
  };
  if (!parsed->integral) return out_of_rule();
  std::size_t start = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    start = 1;
  }
  std::uint64_t magnitude = 0;
  const auto [end, error] =
      std::from_chars(text.data() + start, text.data() + text.size(), magnitude);
  if (error != std::errc() || end != text.data() + text.size()) return out_of_rule();
  if (negative && magnitude != 0) return out_of_rule();
  if (magnitude < rule.min || magnitude > rule.max) return out_of_rule();
  return magnitude;
}

std::optional<std::string> read_string(Problems& problems, const Item& item) {
  if (!item.node.IsScalar()) {
    problems.add(item.mark, fmt::format("{} must be text, got {}", item.path, describe(item.node)));
    return std::nullopt;
  }
  if (item.node.Scalar().empty()) {
    problems.add(item.mark, fmt::format("{} must not be empty", item.path));
    return std::nullopt;
  }
  return item.node.Scalar();
}

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

std::vector<Entry> map_entries(Problems& problems, const YAML::Node& map, const std::string& path) {
  std::vector<Entry> entries;
  std::map<std::string, int> first_line;
  for (auto it = map.begin(); it != map.end(); ++it) {
    // Copies: the iterator hands out a temporary pair, so references to it would dangle.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar()) {
      problems.add(key.Mark(), fmt::format("keys {} must be plain names, got {}", in_where(path),
                                           describe(key)));
      continue;
    }
    const auto [seen, inserted] = first_line.emplace(key.Scalar(), key.Mark().line + 1);
    if (!inserted) {
      problems.add(key.Mark(), fmt::format("duplicate key '{}' {}; it was first given on line {} "
                                           "(each key may appear only once)",
                                           key.Scalar(), in_where(path), seen->second));
      continue;
    }
    entries.push_back(Entry{key.Scalar(), key.Mark(), value, child_path(path, key.Scalar())});
  }
  return entries;
}

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
    return found ? read_number(problems_, *found, rule) : std::nullopt;
  }
  double optional_number(std::string_view key, const NumberRule& rule, double fallback) {
    const auto found = item(key);
    if (!found) return fallback;
    return read_number(problems_, *found, rule).value_or(fallback);
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
std::optional<std::vector<Item>> list_items(Problems& problems, const Item& list,
                                            std::string_view what, bool non_empty) {
  if (!list.node.IsSequence()) {
    problems.add(list.mark, fmt::format("{} must be a list of {}, got {}", list.path, what,
                                        describe(list.node)));
    return std::nullopt;
  }
  if (non_empty && list.node.size() == 0) {
    problems.add(list.mark, fmt::format("{} must list at least one {}", list.path, what));
    return std::nullopt;
  }
  std::vector<Item> items;
  for (std::size_t i = 0; i < list.node.size(); ++i) {
    const YAML::Node element = list.node[i];
    const YAML::Mark mark =
        element.IsNull() || element.Mark().is_null() ? list.mark : element.Mark();
    items.push_back(Item{element, fmt::format("{}[{}]", list.path, i), mark});
  }
  return items;
}

// ---------------------------------------------------------------------------------------
// Tier names, used as keys in moves, new_customer_mix and retention_weights.

struct TierNames {
  std::vector<std::string> names;  // one per tier item, in order ("" if it had no usable name)
  std::map<std::string, int> index;
  bool complete = false;  // every tier has a usable name: only then are unknown names reported

  int size() const { return static_cast<int>(names.size()); }

  // The distinct names, in order, for suggestions and messages.
  std::vector<std::string> distinct() const {
    std::vector<std::string> out;
    for (const auto& name : names)
      if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
        out.push_back(name);
    return out;
  }
};

// A value of a tier-keyed map, resolved to its tier index.
struct TierValue {
  int tier = 0;
  double value = 0.0;
  YAML::Mark key_mark;
  std::string path;
};

struct TierMap {
  std::vector<TierValue> values;
  bool all_valid = true;  // every key resolved and every value in range
};

// Reads a map from tier name to number, e.g. {gold: 0.01, iron: 0.02}.
std::optional<TierMap> read_tier_map(Problems& problems, const Item& item, const TierNames& tiers,
                                     const NumberRule& rule) {
  if (!item.node.IsMap()) {
    problems.add(item.mark, fmt::format("{} must be a map from tier name to {}, got {}", item.path,
                                        rule.text, describe(item.node)));
    return std::nullopt;
  }
  TierMap result;
  const std::size_t before = problems.count();
  for (const Entry& entry : map_entries(problems, item.node, item.path)) {
    const auto found = tiers.index.find(entry.key);
    if (found == tiers.index.end()) {
      result.all_valid = false;
      if (tiers.complete)
        problems.add(
            entry.key_mark,
            fmt::format("unknown tier '{}' in {}{} (tiers: {})", entry.key, item.path,
                        did_you_mean(entry.key, tiers.distinct()), join(tiers.distinct())));
      continue;
    }
    const auto value = read_number(problems, entry.item(), rule);
    if (value)
      result.values.push_back(TierValue{found->second, *value, entry.key_mark, entry.path});
  }
  if (problems.count() != before) result.all_valid = false;
  return result;
}

std::string format_sum(double sum) {
  return fmt::format("{:.15g}", sum);
}

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

class DocumentEvents : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    start = mark;
    events = 0;
    null_root.reset();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (events++ == 0) null_root = mark;
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    ++events;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnMapEnd() override {}

  YAML::Mark start;
  int events = 0;
  std::optional<YAML::Mark> null_root;  // set when the document is a lone null
};

DocumentSurvey survey_documents(const std::string& text) {
  DocumentSurvey survey;
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentEvents events;
  std::optional<YAML::Mark> previous_null;
  for (int document = 0; document < 3 && parser.HandleNextDocument(events); ++document) {
    const bool lone_null = events.events == 1 && events.null_root.has_value();
    if (lone_null && previous_null && previous_null->pos == events.null_root->pos) {
      survey.stuck_at = events.null_root;
      survey.second_document.reset();
      return survey;
    }
    previous_null = lone_null ? events.null_root : std::nullopt;
    if (document == 1) survey.second_document = events.start;
  }
  return survey;
}

// ---------------------------------------------------------------------------------------
// The sections of a scenario.

const std::vector<std::string> kTopKeys = {
    "name",      "description",    "horizon",      "period", "discount_rate", "paths",
    "seed",      "tiers",          "loyalty",      "budget", "fixed_costs",   "acquisition",
    "retention", "policies",       "shocks",       "market", "service",       "word_of_mouth",
    "referrals", "intermediaries", "heterogeneity"};
const std::vector<std::string> kTierKeys = {
    "name", "initial_customers", "margin", "cost_to_serve", "churn", "moves", "margin_growth"};
const std::vector<std::string> kPolicyKeys = {
    "name",     "acquisition",    "retention", "retention_weights",
    "recovery", "recovery_tiers", "referral",  "schedule"};
const std::vector<std::string> kStepKeys = {
    "from",     "acquisition",    "retention", "retention_weights",
    "recovery", "recovery_tiers", "referral"};
const std::vector<std::string> kShockKeys = {"name",  "from",        "periods", "budget",
                                             "churn", "acquisition", "margin",  "costs"};

// The first scalar `name` of a map, without any reporting (used to learn tier names early).
std::optional<std::string> peek_name(const YAML::Node& node) {
  if (!node.IsMap()) return std::nullopt;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar() || key.Scalar() != "name") continue;
    if (!value.IsScalar() || value.Scalar().empty()) return std::nullopt;
    return value.Scalar();
  }
  return std::nullopt;
}

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

TierNames read_tiers(Problems& problems, MapReader& top, Scenario& s) {
  TierNames names;
  const auto list = top.require("tiers", "a non-empty list of customer tiers, best first");
  if (!list) return names;
  const auto items = list_items(problems, *list, "tier", true);
  if (!items) return names;

  // First pass, quietly: names, so that moves can point at tiers listed later.
  names.complete = true;
  for (const Item& item : *items) {
    const auto name = peek_name(item.node);
    names.names.push_back(name.value_or(""));
    if (!name) names.complete = false;
    if (name) names.index.emplace(*name, static_cast<int>(names.names.size()) - 1);
  }

  UniqueNames unique("tier", true);
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Item& item = (*items)[i];
    MapReader t(problems, item, kTierKeys);
    Tier tier;
    if (t.valid()) {
      if (const auto name = t.required_string("name")) {
        tier.name = *name;
        unique.check(problems, *name, item.path, t.item("name")->mark);
      }
      tier.initial_customers =
          static_cast<std::int64_t>(t.optional_integer("initial_customers", at_least(0), 0));
      tier.margin = t.required_money("margin").value_or(0.0);
      tier.cost_to_serve = t.optional_money("cost_to_serve", 0.0);
      tier.churn = t.required_probability("churn").value_or(0.0);
      tier.margin_growth = t.optional_number("margin_growth", kGrowth, 0.0);
      if (const auto moves = t.item("moves")) {
        if (const auto map = read_tier_map(problems, *moves, names, kProbability)) {
          double sum = 0.0;
          bool sum_valid = map->all_valid;
          for (const TierValue& move : map->values) {
            if (move.tier == static_cast<int>(i)) {
              problems.add(move.key_mark,
                           fmt::format("{}: a tier cannot move to itself (customers who do not "
                                       "move stay in their tier); remove this entry",
                                       move.path));
              sum_valid = false;
              continue;
            }
            sum += move.value;
            tier.moves.push_back(Move{move.tier, move.value});
          }
          if (sum_valid && sum > 1.0 + kShareTolerance)
            problems.add(moves->mark,
                         fmt::format("{}: the move probabilities add up to {}; they can add up to "
                                     "at most 1",
                                     moves->path, format_sum(sum)));
        }
      }
      t.finish();
    }
    s.tiers.push_back(std::move(tier));
  }
  return names;
}

std::optional<Loyalty> read_loyalty(Problems& problems, MapReader& top) {
  const auto item = top.item("loyalty");
  if (!item) return std::nullopt;
  MapReader r(problems, *item, {"floor", "half_life"});
  Loyalty loyalty;
  loyalty.floor = r.required_probability("floor").value_or(1.0);
  loyalty.half_life = r.required_number("half_life", kPositive).value_or(1.0);
  r.finish();
  return loyalty;
}

Budget read_budget(Problems& problems, MapReader& top) {
  Budget budget;
  const auto item =
      top.require("budget", "a map with per_period (and optional growth) or share_of_revenue");
  if (!item) return budget;
  MapReader r(problems, *item, {"per_period", "growth", "share_of_revenue"});
  if (!r.valid()) return budget;
  const bool fixed = r.has("per_period"), share = r.has("share_of_revenue");
  if (fixed && share)
    problems.add(r.key_mark("share_of_revenue"),
                 "budget takes either per_period or share_of_revenue, not both");
  if (!fixed && !share)
    problems.add(r.mark(),
                 "budget needs one of per_period (an amount of money per period) or "
                 "share_of_revenue (a share of the previous period's revenue, 0 to 1)");
  if (fixed) budget.per_period = r.required_money("per_period").value_or(0.0);
  if (share) budget.share_of_revenue = r.required_probability("share_of_revenue");
  if (share && !fixed)
    r.reject("growth",
             "budget.growth applies only with per_period; a budget given as share_of_revenue "
             "follows revenue");
  else
    budget.growth = r.optional_number("growth", kGrowth, 0.0);
  r.finish();
  return budget;
}

AcquisitionResponse read_acquisition_response(Problems& problems, const Item& item) {
  AcquisitionResponse response;
  MapReader r(problems, item, {"shape", "max_customers", "scale", "half_saturation", "slope"});
  if (!r.valid()) return response;
  const Choices<ResponseShape> shapes = {{"exponential", ResponseShape::exponential},
                                         {"hill", ResponseShape::hill}};
  const auto shape = r.required_one_of("shape", shapes);
  response.max_customers = r.required_number("max_customers", kCustomerCount).value_or(0.0);
  if (shape == ResponseShape::exponential) {
    response.shape = ResponseShape::exponential;
    response.scale = r.required_number("scale", kPositive).value_or(1.0);
    for (const char* key : {"half_saturation", "slope"})
      r.reject(key, fmt::format("{} belongs to shape hill, not exponential (exponential takes "
                                "max_customers and scale)",
                                child_path(r.path(), key)));
  } else if (shape == ResponseShape::hill) {
    response.shape = ResponseShape::hill;
    response.half_saturation = r.required_number("half_saturation", kPositive).value_or(1.0);
    response.slope = r.required_number("slope", kPositive).value_or(1.0);
    r.reject("scale", fmt::format("{} belongs to shape exponential, not hill (hill takes "
                                  "max_customers, half_saturation and slope)",
                                  child_path(r.path(), "scale")));
  }
  r.finish();
  return response;
}

std::optional<Acquisition> read_acquisition(Problems& problems, MapReader& top,
                                            const TierNames& tiers) {
  const auto item = top.item("acquisition");
  if (!item) return std::nullopt;
  Acquisition acquisition;
  acquisition.new_customer_mix.assign(tiers.size(), 0.0);
  MapReader r(problems, *item, {"response", "new_customer_mix", "adstock"});
  acquisition.adstock = r.optional_number(
      "adstock",
      NumberRule{0.0, true, 1.0, false, "a carry-over share from 0 up to (not including) 1"}, 0.0);
  if (const auto response =
          r.require("response", "a map with shape, max_customers and the shape's parameters"))
    acquisition.response = read_acquisition_response(problems, *response);
  if (const auto mix =
          r.require("new_customer_mix", "a map from tier name to share of new customers")) {
    if (const auto map = read_tier_map(problems, *mix, tiers, kProbability)) {
      double sum = 0.0;
      for (const TierValue& share : map->values) {
        acquisition.new_customer_mix[share.tier] = share.value;
        sum += share.value;
      }
      if (map->all_valid && std::abs(sum - 1.0) > kMixTolerance)
        problems.add(mix->mark, fmt::format("{}: the shares add up to {}; they must add up to 1 "
                                            "(tiers not named get 0)",
                                            mix->path, format_sum(sum)));
    }
  }
  r.finish();
  return acquisition;
}

// {max_uplift, scale} of a saturating uplift 1 + max_uplift (1 - exp(-spend / scale)).
std::pair<double, double> read_uplift(Problems& problems, const Item& item) {
  MapReader r(problems, item, {"max_uplift", "scale"});
  const double max_uplift =
      r.required_number("max_uplift", NumberRule{0.0, true, kInfinity, true, "a number >= 0"})
          .value_or(0.0);
  const double scale = r.required_number("scale", kPositive).value_or(1.0);
  r.finish();
  return {max_uplift, scale};
}

std::optional<RetentionResponse> read_retention(Problems& problems, MapReader& top,
                                                std::optional<UpgradeResponse>& upgrade) {
  const auto item = top.item("retention");
  if (!item) return std::nullopt;
  RetentionResponse response;
  MapReader r(problems, *item, {"response", "upgrade"});
  if (const auto up = r.item("upgrade")) {
    const auto [max_uplift, scale] = read_uplift(problems, *up);
    upgrade = UpgradeResponse{max_uplift, scale};
  }
  if (const auto inner = r.require("response", "a map with max_reduction and scale")) {
    MapReader in(problems, *inner, {"max_reduction", "scale"});
    response.max_reduction = in.required_probability("max_reduction").value_or(0.0);
    response.scale = in.required_number("scale", kPositive).value_or(1.0);
    in.finish();
  }
  r.finish();
  return response;
}

// What the policies need to know about the rest of the scenario.
struct PolicyContext {
  const TierNames& tiers;
  bool has_acquisition = false;
  bool has_retention = false;
  bool has_service = false;
  bool has_referrals = false;
  std::optional<int> horizon;         // when valid
  bool has_referral_program = false;  // referrals.program says what programme spend does
};

// A spend line: a bare share, or {share: x}, {amount: x} or {per_customer: x}.
std::optional<SpendLine> read_spend_line(Problems& problems, const Item& item, bool acquisition) {
  const std::vector<std::string> kinds =
      acquisition ? std::vector<std::string>{"share", "amount"}
                  : std::vector<std::string>{"share", "amount", "per_customer"};
  if (!item.node.IsMap()) {
    const NumberRule bare{0.0, true, 1.0, true,
                          fmt::format("a share of the budget between 0 and 1, or a map with one "
                                      "of {}",
                                      join(kinds))};
    const auto value = read_number(problems, item, bare);
    if (!value) return std::nullopt;
    return SpendLine{SpendLine::Kind::share, *value};
  }
  MapReader r(problems, item, kinds);
  if (acquisition)
    r.reject("per_customer",
             fmt::format("{}: acquisition cannot be spent per customer (per_customer is for "
                         "retention, recovery and referral lines); use {{share: x}} or "
                         "{{amount: x}}",
                         child_path(item.path, "per_customer")));
  std::vector<std::string> given;
  for (const auto& kind : kinds)
    if (r.has(kind)) given.push_back(kind);
  std::optional<SpendLine> line;
  const std::size_t before = problems.count();
  if (given.size() > 1) {
    problems.add(r.key_mark(given[1]),
                 fmt::format("{} takes exactly one of {}; found both '{}' and '{}'", item.path,
                             join(kinds), given[0], given[1]));
  } else if (given.empty() && !r.has("per_customer")) {
    problems.add(item.mark, fmt::format("{} needs exactly one of {}", item.path, join(kinds)));
  }
  for (const auto& kind : given) {
    std::optional<double> value;
    SpendLine::Kind k = SpendLine::Kind::share;
    if (kind == "share") {
      value = r.required_number(
          kind, NumberRule{0.0, true, 1.0, true, "a share of the budget between 0 and 1"});
    } else if (kind == "amount") {
      k = SpendLine::Kind::amount;
      value = r.required_money(kind);
    } else {
      k = SpendLine::Kind::per_customer;
      value = r.required_number(
          kind, NumberRule{0.0, true, kInfinity, true, "an amount of money per customer >= 0"});
    }
    if (value) line = SpendLine{k, *value};
  }
  r.finish();
  if (problems.count() != before) return std::nullopt;
  return line;
}

// acquisition, retention and retention_weights of a policy or of one schedule step.
void read_split(Problems& problems, MapReader& r, const PolicyContext& context, PolicyStep& step) {
  const std::size_t before = problems.count();
  const auto acquisition_item = r.item("acquisition");
  const auto retention_item = r.item("retention");
  const auto recovery_item = r.item("recovery");
  const auto referral_item = r.item("referral");
  std::optional<SpendLine> acquisition, retention, recovery, referral;
  if (recovery_item) {
    recovery = read_spend_line(problems, *recovery_item, false);
    if (recovery) step.recovery = *recovery;
  }
  if (referral_item) {
    referral = read_spend_line(problems, *referral_item, false);
    if (referral) step.referral = *referral;
  }
  if (acquisition_item) {
    acquisition = read_spend_line(problems, *acquisition_item, true);
    if (acquisition) step.acquisition = *acquisition;
  }
  if (retention_item) {
    retention = read_spend_line(problems, *retention_item, false);
    if (retention) step.retention = *retention;
  }
  if (problems.count() == before) {
    double shares = 0.0;
    std::vector<std::string> terms;
    for (const auto& [name, line] :
         {std::pair("acquisition", step.acquisition), std::pair("retention", step.retention),
          std::pair("recovery", step.recovery), std::pair("referral", step.referral)}) {
      if (line.kind != SpendLine::Kind::share || line.value == 0.0) continue;
      shares += line.value;
      terms.push_back(fmt::format("{} {}", name, format_sum(line.value)));
    }
    if (shares > 1.0 + kShareTolerance)
      problems.add(r.mark(), fmt::format("{}: the shares of the budget add up to {} ({}); they "
                                         "can add up to at most 1",
                                         r.path(), format_sum(shares), join(terms, " + ")));
  }
  if (acquisition && acquisition->value > 0.0 && !context.has_acquisition)
    problems.add(acquisition_item->mark,
                 fmt::format("{} spends on acquisition, but the scenario has no 'acquisition' "
                             "section (add one with response and new_customer_mix, or spend 0)",
                             acquisition_item->path));
  if (retention && retention->value > 0.0 && !context.has_retention)
    problems.add(retention_item->mark,
                 fmt::format("{} spends on retention, but the scenario has no 'retention' "
                             "section (add one with a response, or spend 0)",
                             retention_item->path));

  if (recovery && recovery->value > 0.0 && !context.has_service)
    problems.add(recovery_item->mark,
                 fmt::format("{} funds service recovery, but the scenario has no 'service' "
                             "section (add one with failure, concession and defection, or spend 0)",
                             recovery_item->path));
  if (referral && referral->value > 0.0 && !context.has_referrals)
    problems.add(referral_item->mark,
                 fmt::format("{} spends on a referral programme, but the scenario has no "
                             "'referrals' section (add one with rate and conversion, or spend 0)",
                             referral_item->path));
  else if (referral && referral->value > 0.0 && !context.has_referral_program)
    problems.add(referral_item->mark,
                 fmt::format("{} spends on a referral programme, but referrals has no 'program' "
                             "saying what the spend does (add program: {{max_uplift: x, scale: "
                             "y}}, or spend 0)",
                             referral_item->path));
  if (const auto eligible = r.item("recovery_tiers")) {
    if (eligible->node.IsScalar() && eligible->node.Scalar() == "all") {
      step.recovery_tiers.clear();
    } else if (const auto names = list_items(problems, *eligible, "tier names", true)) {
      step.recovery_tiers.assign(context.tiers.size(), false);
      for (const Item& name_item : *names) {
        const auto name = read_string(problems, name_item);
        if (!name) continue;
        const auto found = context.tiers.index.find(*name);
        if (found != context.tiers.index.end()) {
          step.recovery_tiers[found->second] = true;
        } else if (context.tiers.complete) {
          problems.add(name_item.mark, fmt::format("unknown tier '{}' in {}{} (tiers: {}; or write "
                                                   "recovery_tiers: all)",
                                                   *name, name_item.path,
                                                   did_you_mean(*name, context.tiers.distinct()),
                                                   join(context.tiers.distinct())));
        }
      }
    }
  }

  step.retention_weights.assign(context.tiers.size(), 1.0);
  if (const auto weights = r.item("retention_weights")) {
    if (const auto map = read_tier_map(problems, *weights, context.tiers, kWeight)) {
      for (const TierValue& weight : map->values)
        step.retention_weights[weight.tier] = weight.value;
      const bool all_zero =
          std::all_of(step.retention_weights.begin(), step.retention_weights.end(),
                      [](double w) { return w == 0.0; });
      if (map->all_valid && all_zero && step.retention.value > 0.0)
        problems.add(weights->mark,
                     fmt::format("{}: every weight is 0, so the retention spend could not go to "
                                 "any tier; give at least one tier a weight above 0",
                                 weights->path));
    }
  }
}

Policy read_policy(Problems& problems, const Item& item, const PolicyContext& context,
                   UniqueNames& unique) {
  Policy policy;
  MapReader r(problems, item, kPolicyKeys);
  if (!r.valid()) return policy;
  if (const auto name = r.required_string("name")) {
    policy.name = *name;
    unique.check(problems, *name, item.path, r.item("name")->mark);
  }
  const auto schedule = r.item("schedule");
  if (!schedule) {
    PolicyStep step;
    step.from_period = 1;
    read_split(problems, r, context, step);
    policy.steps.push_back(std::move(step));
    r.finish();
    return policy;
  }
  for (const char* key :
       {"acquisition", "retention", "retention_weights", "recovery", "recovery_tiers", "referral"})
    r.reject(key, fmt::format("{} cannot be combined with schedule; give it in each schedule "
                              "step instead",
                              child_path(item.path, key)));
  r.finish();

  const auto steps = list_items(problems, *schedule, "steps", true);
  if (!steps) return policy;
  std::optional<int> previous_from;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const Item& step_item = (*steps)[i];
    MapReader s(problems, step_item, kStepKeys);
    PolicyStep step;
    if (!s.valid()) continue;
    const IntegerRule from_rule =
        context.horizon ? between(1, static_cast<std::uint64_t>(*context.horizon))
                        : IntegerRule{1, kMaxHorizon, "an integer from 1 to the horizon"};
    const auto from = s.required_integer("from", from_rule);
    if (from) {
      step.from_period = static_cast<int>(*from);
      const YAML::Mark from_mark = s.item("from")->mark;
      if (i == 0 && *from != 1)
        problems.add(from_mark,
                     fmt::format("{}.from must be 1: the first step says what happens from the "
                                 "first period, got {}",
                                 step_item.path, *from));
      else if (previous_from && step.from_period <= *previous_from)
        problems.add(from_mark,
                     fmt::format("{}.from must be greater than the previous step's from ({}), "
                                 "got {}; steps go in increasing order",
                                 step_item.path, *previous_from, *from));
      previous_from = step.from_period;
    }
    read_split(problems, s, context, step);
    s.finish();
    policy.steps.push_back(std::move(step));
  }
  return policy;
}

std::vector<Policy> read_policies(Problems& problems, MapReader& top,
                                  const PolicyContext& context) {
  std::vector<Policy> policies;
  const auto list = top.require("policies", "a non-empty list of policies to compare");
  if (!list) return policies;
  const auto items = list_items(problems, *list, "policy", true);
  if (!items) return policies;
  UniqueNames unique("policy");
  for (const Item& item : *items) policies.push_back(read_policy(problems, item, context, unique));
  return policies;
}

std::vector<Shock> read_shocks(Problems& problems, MapReader& top, std::optional<int> horizon) {
  std::vector<Shock> shocks;
  const auto list = top.item("shocks");
  if (!list) return shocks;
  const auto items = list_items(problems, *list, "shocks", false);
  if (!items) return shocks;
  for (const Item& item : *items) {
    MapReader r(problems, item, kShockKeys);
    if (!r.valid()) continue;
    Shock shock;
    shock.name = r.optional_string("name", "");
    const IntegerRule from_rule =
        horizon ? between(1, static_cast<std::uint64_t>(*horizon))
                : IntegerRule{1, kMaxHorizon, "an integer from 1 to the horizon"};
    const auto from = r.required_integer("from", from_rule);
    shock.from_period = static_cast<int>(from.value_or(1));
    const std::uint64_t to_end =
        (horizon && from) ? static_cast<std::uint64_t>(*horizon - shock.from_period + 1) : 1;
    shock.periods =
        static_cast<int>(r.optional_integer("periods", between(1, kMaxHorizon), to_end));
    shock.budget = r.optional_number("budget", kMultiplier, 1.0);
    shock.churn = r.optional_number("churn", kMultiplier, 1.0);
    shock.acquisition = r.optional_number("acquisition", kMultiplier, 1.0);
    shock.margin = r.optional_number("margin", kMultiplier, 1.0);
    shock.costs = r.optional_number("costs", kMultiplier, 1.0);
    r.finish();
    shocks.push_back(std::move(shock));
  }
  return shocks;
}

// A per-tier number: one number for every tier, or a map from tier name to number (tiers
// not named get `fallback`).
std::vector<double> read_per_tier(Problems& problems, const Item& item, const TierNames& tiers,
                                  const NumberRule& rule, double fallback) {
  std::vector<double> values(tiers.size(), fallback);
  if (!item.node.IsMap()) {
    if (const auto value = read_number(problems, item, rule)) values.assign(tiers.size(), *value);
    return values;
  }
  if (const auto map = read_tier_map(problems, item, tiers, rule))
    for (const TierValue& v : map->values) values[v.tier] = v.value;
  return values;
}

std::optional<double> read_market(Problems& problems, MapReader& top) {
  const auto item = top.item("market");
  if (!item) return std::nullopt;
  MapReader r(problems, *item, {"prospects"});
  const auto prospects = r.required_number(
      "prospects", NumberRule{1.0, true, 1e15, true, "a number of prospects from 1 to 1e15"});
  r.finish();
  return prospects ? std::optional<double>(std::floor(*prospects)) : std::optional<double>(1.0);
}

std::optional<Service> read_service(Problems& problems, MapReader& top, const TierNames& tiers) {
  const auto item = top.item("service");
  if (!item) return std::nullopt;
  Service service;
  MapReader r(problems, *item, {"failure", "concession", "success", "defection"});
  if (!r.valid()) return service;
  if (const auto failure = r.require(
          "failure", "a probability of a failure per period, or a map from tier to probability"))
    service.failure = read_per_tier(problems, *failure, tiers, kProbability, 0.0);
  service.concession = r.optional_money("concession", 0.0);
  service.recovery_success = r.optional_probability("success", 1.0);
  if (const auto defection =
          r.require("defection",
                    "a probability of defecting after an unresolved failure, or a map from "
                    "tier to probability"))
    service.defection = read_per_tier(problems, *defection, tiers, kProbability, 0.0);
  r.finish();
  return service;
}

std::optional<WordOfMouth> read_word_of_mouth(Problems& problems, MapReader& top) {
  const auto item = top.item("word_of_mouth");
  if (!item) return std::nullopt;
  WordOfMouth wom;
  MapReader r(problems, *item, {"reach", "trust", "decay"});
  wom.reach = r.required_number(
                   "reach", NumberRule{0.0, true, kInfinity, true, "a number of prospects >= 0"})
                  .value_or(0.0);
  wom.trust = r.optional_probability("trust", 0.9);
  wom.decay = r.optional_probability("decay", 0.0);
  r.finish();
  if (!top.has("market"))
    problems.add(item->mark,
                 "word_of_mouth damages the prospect pool, so it needs a 'market' "
                 "section with prospects (the size of the pool)");
  if (!top.has("service"))
    problems.add(item->mark,
                 "word_of_mouth spreads from customers who defect after an "
                 "unresolved service failure, so it needs a 'service' section");
  return wom;
}

std::optional<CustomerReferrals> read_referrals(Problems& problems, MapReader& top,
                                                const TierNames& tiers) {
  const auto item = top.item("referrals");
  if (!item) return std::nullopt;
  CustomerReferrals referrals;
  MapReader r(problems, *item, {"rate", "conversion", "reward", "program"});
  if (!r.valid()) return referrals;
  if (const auto rate = r.require(
          "rate", "referred prospects per customer per period, or a map from tier to that"))
    referrals.rate = read_per_tier(problems, *rate, tiers,
                                   NumberRule{0.0, true, kInfinity, true, "a rate >= 0"}, 0.0);
  referrals.conversion = r.required_probability("conversion").value_or(0.0);
  referrals.reward = r.optional_money("reward", 0.0);
  if (const auto program = r.item("program")) {
    const auto [max_uplift, scale] = read_uplift(problems, *program);
    referrals.max_uplift = max_uplift;
    referrals.scale = scale;
  }
  r.finish();
  return referrals;
}

std::vector<Intermediary> read_intermediaries(Problems& problems, MapReader& top) {
  std::vector<Intermediary> sources;
  const auto list = top.item("intermediaries");
  if (!list) return sources;
  const auto items = list_items(problems, *list, "intermediaries", false);
  if (!items) return sources;
  if (!top.has("acquisition"))
    problems.add(list->mark,
                 "intermediaries' customers are split over tiers by "
                 "acquisition.new_customer_mix, so they need an 'acquisition' section");
  UniqueNames unique("intermediary", true);
  for (const Item& item : *items) {
    MapReader r(problems, item, {"name", "prospects", "conversion", "commission"});
    if (!r.valid()) continue;
    Intermediary source;
    if (const auto name = r.required_string("name")) {
      source.name = *name;
      unique.check(problems, *name, item.path, r.item("name")->mark);
    }
    source.prospects = r.required_number("prospects", NumberRule{0.0, true, kInfinity, true,
                                                                 "prospects per period >= 0"})
                           .value_or(0.0);
    source.conversion = r.required_probability("conversion").value_or(0.0);
    source.commission = r.optional_money("commission", 0.0);
    r.finish();
    sources.push_back(std::move(source));
  }
  return sources;
}

std::optional<Heterogeneity> read_heterogeneity(Problems& problems, MapReader& top) {
  const auto item = top.item("heterogeneity");
  if (!item) return std::nullopt;
  Heterogeneity h;
  MapReader r(problems, *item, {"classes", "concentration"});
  h.classes = static_cast<int>(r.optional_integer("classes", between(1, 20), 5));
  h.concentration = r.required_number("concentration", kPositive).value_or(10.0);
  r.finish();
  return h;
}

// Whether referrals (when given as a map) has a program; a broken section counts as having
// one, so its own problems are not followed by a second, derived one.
bool has_referral_program(MapReader& top) {
  const auto referrals = top.item("referrals");
  if (!referrals || !referrals->node.IsMap()) return true;
  for (auto it = referrals->node.begin(); it != referrals->node.end(); ++it) {
    const YAML::Node key = it->first;
    if (key.IsScalar() && key.Scalar() == "program") return true;
  }
  return false;
}

Scenario read_scenario(Problems& problems, const YAML::Node& root, const std::string& file) {
  Scenario s;
  s.source_file = file;
  MapReader top(problems, Item{root, "", root.Mark()}, kTopKeys);
  if (!top.valid()) return s;

  if (const auto name = top.required_string("name")) {
    s.name = *name;
    if (s.name == "." || s.name == ".." || s.name.find_first_of("/\\") != std::string::npos)
      problems.add(top.item("name")->mark,
                   fmt::format("name '{}' is used as the results folder name, so it cannot "
                               "contain '/' or '\\' or be '.' or '..'",
                               s.name));
  }
  s.description = top.optional_string("description", "");
  std::optional<int> horizon;
  if (const auto h = top.required_integer("horizon", between(1, kMaxHorizon))) {
    s.horizon = static_cast<int>(*h);
    horizon = s.horizon;
  }
  const Choices<PeriodUnit> periods = {
      {"month", PeriodUnit::month}, {"quarter", PeriodUnit::quarter}, {"year", PeriodUnit::year}};
  s.period = top.one_of("period", periods, PeriodUnit::month);
  s.discount_rate = top.optional_number("discount_rate", kAnnualRate, 0.0);
  s.paths = static_cast<std::int64_t>(top.optional_integer("paths", at_least(1), 10000));
  s.seed = top.optional_integer("seed", between(0, std::numeric_limits<std::uint64_t>::max()), 1);

  const TierNames tiers = read_tiers(problems, top, s);
  s.loyalty = read_loyalty(problems, top);
  s.budget = read_budget(problems, top);
  s.fixed_costs = top.optional_money("fixed_costs", 0.0);
  s.acquisition = read_acquisition(problems, top, tiers);
  s.retention = read_retention(problems, top, s.upgrade);
  s.prospect_pool = read_market(problems, top);
  s.service = read_service(problems, top, tiers);
  s.word_of_mouth = read_word_of_mouth(problems, top);
  s.referrals = read_referrals(problems, top, tiers);
  s.intermediaries = read_intermediaries(problems, top);
  s.heterogeneity = read_heterogeneity(problems, top);
  const PolicyContext context{tiers,
                              top.has("acquisition"),
                              top.has("retention"),
                              top.has("service"),
                              top.has("referrals"),
                              horizon,
                              has_referral_program(top)};
  s.policies = read_policies(problems, top, context);
  s.shocks = read_shocks(problems, top, horizon);
  top.finish();
  return s;
}

}  // namespace

Scenario parse_scenario(std::string_view yaml_text, const std::string& file_name) {
  Problems problems(file_name);
  const std::string text(yaml_text);
  YAML::Node root;
  try {
    const DocumentSurvey survey = survey_documents(text);
    if (survey.stuck_at) {
      const auto pos = static_cast<std::size_t>(std::max(0, survey.stuck_at->pos));
      const std::string what =
          pos < text.size() ? fmt::format("'{}'", text[pos]) : std::string("character");
      problems.add(*survey.stuck_at,
                   fmt::format("YAML syntax error: unexpected {} here (a ',' may only separate "
                               "entries inside [ ] or {{ }})",
                               what));
      throw ScenarioError(problems.take());
    }
    if (survey.second_document)
      problems.add(*survey.second_document,
                   "a scenario file holds one YAML document, but a second one starts here");
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    problems.add(error.mark, "YAML syntax error: " + error.msg);
    throw ScenarioError(problems.take());
  }
  if (root.IsNull()) {
    problems.add_at(1, 1,
                    "the scenario is empty; expected a map with at least name, horizon, tiers, "
                    "budget and policies");
    throw ScenarioError(problems.take());
  }

  Scenario scenario;
  try {
    scenario = read_scenario(problems, root, file_name);
  } catch (const YAML::Exception& error) {
    // Not expected: the readers only inspect nodes. Reported rather than lost.
    problems.add(error.mark, "could not read the YAML: " + error.msg);
  }
  if (problems.count() > 0) throw ScenarioError(problems.take());
  return scenario;
}

Scenario load_scenario_file(const std::string& path) {
  auto unreadable = [&](const std::string& reason) {
    throw ScenarioError({Diagnostic{path, 0, 0, "cannot read file: " + reason}});
  };
  std::error_code code;
  if (std::filesystem::is_directory(path, code)) unreadable("it is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) unreadable(errno != 0 ? std::strerror(errno) : "cannot open it");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) unreadable(errno != 0 ? std::strerror(errno) : "read error");
  return parse_scenario(text.str(), path);
}

}  // namespace tenure
