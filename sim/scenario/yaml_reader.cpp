#include "sim/scenario/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

namespace tenure::reader {

std::string join(const std::vector<std::string>& words, std::string_view separator) {
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

namespace {

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
// Words longer than this get no suggestion: the edit-distance table grows with the product
// of the two lengths, and a key that long is no typo of a short one.
constexpr std::size_t kLongestSuggested = 64;

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& options) {
  if (word.size() > kLongestSuggested) return std::nullopt;
  const std::string target = lower(word);
  const std::size_t limit = std::max<std::size_t>(1, target.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& option : options) {
    if (option.size() > kLongestSuggested) continue;
    const std::size_t distance = edit_distance(target, lower(option));
    if (distance < best_distance && distance < target.size()) {
      best_distance = distance;
      best = option;
    }
  }
  return best;
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& options) {
  const auto guess = closest(word, options);
  return guess ? fmt::format("; did you mean '{}'?", *guess) : std::string();
}

std::string subject(const std::string& path) {
  return path.empty() ? "the scenario" : path;
}
std::string in_where(const std::string& path) {
  return path.empty() ? "at the top level" : "in " + path;
}
std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

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

IntegerRule at_least(std::uint64_t min, std::uint64_t max) {
  return {min, max, fmt::format("an integer >= {}", min)};
}
IntegerRule between(std::uint64_t min, std::uint64_t max) {
  return {min, max, fmt::format("an integer from {} to {}", min, max)};
}

// Shared checks of a scalar meant as a number; returns the parsed text when usable.
std::optional<ParsedNumber> numeric_scalar(Problems& problems, const Item& item,
                                           const std::string& expected) {
  const YAML::Node& node = item.node;
  // A number is a plain scalar: quoted text, or a value given an explicit tag (!!str 24),
  // is not one, whatever it looks like.
  const bool tagged = node.IsScalar() && !is_quoted(node) && node.Tag() != "?";
  if (!node.IsScalar() || is_quoted(node) || tagged) {
    std::string hint;
    if (is_quoted(node) && parse_number(node.Scalar()).syntax == NumberSyntax::ok)
      hint = " (remove the quotes to make it a number)";
    if (tagged) hint = fmt::format(" tagged {} (write the number without a tag)", node.Tag());
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

std::optional<double> read_quantity(Problems& problems, const Item& item, const NumberRule& rule) {
  if (item.node.IsMap() && item.node["dist"]) return read_uncertain(problems, item, rule);
  if (names_variable(item.node)) return read_variable_use(problems, item, rule, false);
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
  if (names_variable(item.node)) {
    const NumberRule range{static_cast<double>(rule.min), true, static_cast<double>(rule.max), true,
                           rule.text};
    const auto value = read_variable_use(problems, item, range, true);
    if (!value) return std::nullopt;
    return static_cast<std::uint64_t>(*value);
  }
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

std::optional<std::string> read_name(Problems& problems, const Item& item) {
  auto name = read_string(problems, item);
  if (!name) return name;
  const bool control = std::any_of(name->begin(), name->end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (control || name->size() > limits::kNameBytes) {
    problems.add(item.mark,
                 fmt::format("{} must be a name of at most {} bytes without control characters "
                             "(tabs, line breaks, NUL)",
                             item.path, limits::kNameBytes));
    return std::nullopt;
  }
  return name;
}

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

// The elements of a list, each with its path `list[i]`; nullopt if it is not a list.
std::optional<std::vector<Item>> list_items(Problems& problems, const Item& list,
                                            std::string_view what, bool non_empty,
                                            std::size_t most) {
  if (!list.node.IsSequence()) {
    problems.add(list.mark, fmt::format("{} must be a list of {}, got {}", list.path, what,
                                        describe(list.node)));
    return std::nullopt;
  }
  if (non_empty && list.node.size() == 0) {
    problems.add(list.mark, fmt::format("{} must list at least one {}", list.path, what));
    return std::nullopt;
  }
  if (list.node.size() > most) {
    problems.add(list.mark, fmt::format("{} has {} entries; at most {} are allowed", list.path,
                                        list.node.size(), most));
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

std::string format_sum(double sum) {
  return fmt::format("{:.15g}", sum);
}

namespace {

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

}  // namespace

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

}  // namespace tenure::reader
