#include "sim/calibration/cohort_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <utility>

#include "sim/calibration/text.hpp"

namespace tenure {

namespace {

constexpr std::size_t kShownProblems = 100;     // listed in the error
constexpr std::size_t kStoredProblems = 10000;  // kept for sorting; the rest only counted

// ---------------------------------------------------------------------------------------
// Problems, reported all at once in line order.

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  void add(int line, std::string message) {
    if (list_.size() < kStoredProblems)
      list_.push_back(Diagnostic{file_, line, 0, std::move(message)});
    else
      ++uncounted_;
  }
  bool empty() const { return list_.empty(); }

  void throw_if_any() {
    if (list_.empty()) return;
    std::stable_sort(list_.begin(), list_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    const std::size_t hidden = list_.size() - std::min(list_.size(), kShownProblems) + uncounted_;
    if (list_.size() > kShownProblems) list_.resize(kShownProblems);
    if (hidden > 0)
      list_.push_back(Diagnostic{file_, 0, 0, fmt::format("{} more problems not shown", hidden)});
    throw CohortDataError(std::move(list_));
  }

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
  std::size_t uncounted_ = 0;
};

// ---------------------------------------------------------------------------------------
// Lines and fields (RFC 4180 quoting, within one line).

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

struct Line {
  int number = 0;
  std::string_view text;  // without the line end ("\n" or "\r\n")
};

// The non-blank lines of `text`, numbered from 1.
std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    if (!trim(line).empty()) lines.push_back({number, line});
    start = end + 1;
  }
  return lines;
}

struct Fields {
  std::vector<std::string> values;  // at most the `keep` asked for
  std::size_t count = 0;            // all fields of the line
  std::string error;                // a quoting mistake; the fields are then unusable
};

// One quoted field starting at line[i] == '"'; leaves i after the closing quote.
std::optional<std::string> read_quoted(std::string_view line, std::size_t& i) {
  std::string value;
  for (++i; i < line.size(); ++i) {
    if (line[i] != '"') {
      value += line[i];
    } else if (i + 1 < line.size() && line[i + 1] == '"') {
      value += '"';  // "" inside quotes is one quote
      ++i;
    } else {
      ++i;
      return value;
    }
  }
  return std::nullopt;
}

// Splits one line at commas. Blanks around a field are dropped; a field may be quoted
// ("a, b" or "say ""hi""") but may not span lines. Keeps at most `keep` values so that a
// line of a million commas costs no memory, but counts them all.
Fields split_fields(std::string_view line, std::size_t keep) {
  Fields out;
  out.values.reserve(std::min<std::size_t>(keep, 8));
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && is_blank(line[i])) ++i;
    std::string value;
    const std::size_t field = out.count + 1;
    if (i < line.size() && line[i] == '"') {
      auto quoted = read_quoted(line, i);
      if (!quoted) {
        out.error = fmt::format(
            "field {} opens a quote that is not closed on this line "
            "(a quoted field may not span lines)",
            field);
        return out;
      }
      while (i < line.size() && is_blank(line[i])) ++i;
      if (i < line.size() && line[i] != ',') {
        out.error = fmt::format(
            "field {} has text after its closing quote; quote the whole "
            "field, writing a quote inside it as \"\"",
            field);
        return out;
      }
      value = std::move(*quoted);
    } else {
      const std::size_t start = i;
      while (i < line.size() && line[i] != ',' && line[i] != '"') ++i;
      if (i < line.size() && line[i] == '"') {
        out.error = fmt::format(
            "field {} has a quote inside it; quote the whole field, "
            "writing a quote inside it as \"\"",
            field);
        return out;
      }
      value = std::string(trim(line.substr(start, i - start)));
    }
    if (out.values.size() < keep) out.values.push_back(std::move(value));
    ++out.count;
    if (i >= line.size()) return out;
    ++i;  // the comma
  }
}

// ---------------------------------------------------------------------------------------
// The header.

enum Column { kCohort, kPeriod, kActive, kTier, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {"cohort", "period", "active",
                                                                 "tier"};
constexpr std::string_view kAllowedColumns =
    "the columns are cohort, period and active, and optionally tier";

struct Header {
  std::array<int, kColumns> index{-1, -1, -1, -1};  // field of each column, -1 if absent
  std::size_t count = 0;                            // fields per row
  std::string names;                                // "cohort, period, active" in file order
};

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Places the header's field `position` (0-based) with name `raw`, or reports why not.
void place_column(std::string_view raw, int position, int line, Header& header,
                  Problems& problems) {
  const std::string name = lower_ascii(raw);
  const auto known = std::find(kColumnNames.begin(), kColumnNames.end(), name);
  if (name.empty()) {
    problems.add(line, fmt::format("column {} of the header has no name; {}", position + 1,
                                   kAllowedColumns));
  } else if (known == kColumnNames.end()) {
    problems.add(line, fmt::format("unknown column '{}' (column {}); {}", shown_text(raw),
                                   position + 1, kAllowedColumns));
  } else if (int& slot = header.index[known - kColumnNames.begin()]; slot >= 0) {
    problems.add(line, fmt::format("column '{}' appears twice (columns {} and {}); each column "
                                   "may appear once",
                                   name, slot + 1, position + 1));
  } else {
    slot = position;
  }
}

std::optional<Header> parse_header(const Line& line, Problems& problems) {
  constexpr std::size_t kMaxHeaderFields = 64;
  Fields fields = split_fields(line.text, kMaxHeaderFields);
  if (!fields.error.empty()) {
    problems.add(line.number, "in the header: " + fields.error);
    return std::nullopt;
  }
  if (fields.count > kMaxHeaderFields) {
    problems.add(line.number,
                 fmt::format("the header has {} columns; {}", fields.count, kAllowedColumns));
    return std::nullopt;
  }
  Header header;
  header.count = fields.count;
  for (std::size_t j = 0; j < fields.values.size(); ++j)
    place_column(fields.values[j], static_cast<int>(j), line.number, header, problems);
  for (int column : {kCohort, kPeriod, kActive})
    if (header.index[column] < 0)
      problems.add(line.number,
                   fmt::format("the header has no '{}' column; the first line must name the "
                               "columns cohort, period and active (and optionally tier)",
                               kColumnNames[column]));
  if (!problems.empty()) return std::nullopt;
  for (const auto& value : fields.values)
    header.names += (header.names.empty() ? "" : ", ") + lower_ascii(value);
  return header;
}

// ---------------------------------------------------------------------------------------
// Rows.

// One valid row of a cohort.
struct Entry {
  int period = 0;
  std::int64_t active = 0;
  int line = 0;
};

// A whole number from 0 to `max` written with digits only, or nothing.
std::optional<std::int64_t> parse_whole(std::string_view text, std::int64_t max) {
  if (text.empty() || text.size() > 40) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (text.front() < '0' || text.front() > '9') return std::nullopt;  // from_chars took no sign
  if (value > static_cast<std::uint64_t>(max)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

// Why a cohort id or tier name is unusable, or empty when it is fine.
std::string name_problem(std::string_view name, std::string_view what) {
  if (name.empty()) return fmt::format("the {} is empty", what);
  if (name.size() > kMaxCohortNameBytes)
    return fmt::format("the {} '{}' is {} bytes long; at most {} are allowed", what,
                       shown_text(name), name.size(), kMaxCohortNameBytes);
  if (!is_valid_utf8(name))
    return fmt::format("the {} '{}' is not valid UTF-8 text; save the file as UTF-8", what,
                       shown_text(name));
  if (has_control_character(name))
    return fmt::format("the {} '{}' contains a control character", what, shown_text(name));
  return {};
}

// The problems of a row's fields, in column order; `entry` receives the period and count.
std::vector<std::string> field_problems(const std::vector<std::string>& values,
                                        const Header& header, Entry& entry) {
  const auto field = [&](Column c) -> const std::string& { return values[header.index[c]]; };
  std::vector<std::string> issues;
  if (auto p = name_problem(field(kCohort), "cohort id"); !p.empty()) issues.push_back(p);
  if (header.index[kTier] >= 0)
    if (auto p = name_problem(field(kTier), "tier name"); !p.empty()) issues.push_back(p);
  const auto period = parse_whole(field(kPeriod), kMaxCohortPeriod);
  if (period)
    entry.period = static_cast<int>(*period);
  else
    issues.push_back(fmt::format("period must be a whole number from 0 to {}, got '{}'",
                                 kMaxCohortPeriod, shown_text(field(kPeriod))));
  const auto active = parse_whole(field(kActive), kMaxCustomerCount);
  if (active)
    entry.active = *active;
  else
    issues.push_back(
        fmt::format("active must be a whole number of customers from 0 to 1e15, "
                    "got '{}'",
                    shown_text(field(kActive))));
  return issues;
}

// Reads one data row; reports its problems and returns nothing when it has any. `owner`
// receives the row's (tier, cohort) whenever those fields could be read, so that a cohort
// with a bad row is not also blamed for the gap the row leaves.
std::optional<Entry> parse_row(const Line& line, const Header& header, Problems& problems,
                               std::optional<std::pair<std::string, std::string>>& owner) {
  Fields fields = split_fields(line.text, header.count);
  if (!fields.error.empty()) {
    problems.add(line.number, fields.error);
    return std::nullopt;
  }
  if (fields.count != header.count) {
    problems.add(line.number, fmt::format("expected {} fields ({}), got {}", header.count,
                                          header.names, fields.count));
    return std::nullopt;
  }
  Entry entry{0, 0, line.number};
  std::vector<std::string> issues = field_problems(fields.values, header, entry);
  const auto field = [&](Column c) -> std::string& { return fields.values[header.index[c]]; };
  owner.emplace(header.index[kTier] >= 0 ? std::move(field(kTier)) : std::string(kDefaultTierName),
                std::move(field(kCohort)));
  for (auto& issue : issues) problems.add(line.number, std::move(issue));
  if (!issues.empty()) return std::nullopt;
  return entry;
}

// ---------------------------------------------------------------------------------------
// Cohorts: rows gathered by (tier, cohort), then checked as series.

struct CohortRows {
  std::string tier, id;
  std::vector<Entry> entries;
  bool has_bad_row = false;  // then its series is not checked: the bad row left a hole
};

std::string describe(const CohortRows& rows, bool has_tier) {
  if (!has_tier) return fmt::format("cohort '{}'", shown_text(rows.id));
  return fmt::format("cohort '{}' of tier '{}'", shown_text(rows.id), shown_text(rows.tier));
}

// What is wrong with `entry` following `previous` (nullptr for the first) in a cohort's
// series sorted by period, or empty when nothing is.
std::string series_problem(const Entry* previous, const Entry& entry, const std::string& who) {
  if (previous == nullptr && entry.period != 0)
    return fmt::format(
        "{} starts at period {}; its first row must be period 0 (its size when "
        "acquired)",
        who, entry.period);
  if (previous == nullptr && entry.active == 0)
    return fmt::format(
        "{} has 0 customers at period 0; a cohort needs at least one customer "
        "(leave empty cohorts out)",
        who);
  if (previous == nullptr) return {};
  if (entry.period == previous->period)
    return fmt::format("duplicate row for {}, period {} (first given on line {})", who,
                       entry.period, previous->line);
  if (entry.period > previous->period + 1)
    return fmt::format(
        "{} has no row for period {}: it jumps from period {} (line {}) to "
        "period {}; periods must run 0, 1, 2, ... without gaps",
        who, previous->period + 1, previous->period, previous->line, entry.period);
  if (entry.active > previous->active)
    return fmt::format(
        "{} grows from {} active at period {} (line {}) to {} at period {}; "
        "a cohort can only keep or lose customers",
        who, previous->active, previous->period, previous->line, entry.active, entry.period);
  return {};
}

// Checks one cohort's rows as a series 0, 1, 2, ... that never grows.
std::optional<Cohort> build_cohort(CohortRows& rows, bool has_tier, Problems& problems) {
  if (rows.has_bad_row || rows.entries.empty()) return std::nullopt;
  std::stable_sort(rows.entries.begin(), rows.entries.end(),
                   [](const Entry& a, const Entry& b) { return a.period < b.period; });
  const std::string who = describe(rows, has_tier);
  bool ok = true;
  const Entry* previous = nullptr;
  for (const Entry& entry : rows.entries) {
    if (std::string problem = series_problem(previous, entry, who); !problem.empty()) {
      problems.add(entry.line, std::move(problem));
      ok = false;
    }
    // A duplicate is compared with the first row of its period, not made the reference.
    if (previous == nullptr || entry.period != previous->period) previous = &entry;
  }
  if (!ok) return std::nullopt;
  Cohort cohort{rows.id, {}, rows.entries.front().line};
  for (const Entry& entry : rows.entries) cohort.active.push_back(entry.active);
  return cohort;
}

// Rows gathered by (tier, cohort), in the order each cohort first appears.
class CohortTable {
 public:
  CohortRows& at(const std::pair<std::string, std::string>& key) {
    // Rows of a cohort usually follow each other: try the last one before the index.
    if (!rows_.empty() && rows_[last_].id == key.second && rows_[last_].tier == key.first)
      return rows_[last_];
    const auto [it, added] = index_.try_emplace(key, rows_.size());
    if (added) rows_.push_back(CohortRows{key.first, key.second, {}, false});
    last_ = it->second;
    return rows_[last_];
  }
  std::vector<CohortRows>& rows() { return rows_; }

 private:
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
  std::vector<CohortRows> rows_;
  std::size_t last_ = 0;
};

// Reads every data row after the header into the table, up to kMaxCohortRows.
void read_rows(const std::vector<Line>& lines, const Header& header, CohortTable& table,
               Problems& problems) {
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (i > kMaxCohortRows) {
      problems.add(lines[i].number,
                   fmt::format("more than {} data rows, the limit of a cohort file; the rest "
                               "of the file was not read",
                               kMaxCohortRows));
      return;
    }
    std::optional<std::pair<std::string, std::string>> owner;
    const std::optional<Entry> entry = parse_row(lines[i], header, problems, owner);
    if (!owner) continue;
    CohortRows& rows = table.at(*owner);
    if (entry)
      rows.entries.push_back(*entry);
    else
      rows.has_bad_row = true;
  }
}

// Groups the checked cohorts into tiers (in order of first appearance) and checks that no
// tier's cohorts add up to more than kMaxCustomerCount, so sums never overflow.
std::vector<CohortTier> group_tiers(CohortTable& table, bool has_tier, Problems& problems) {
  struct Tally {
    std::size_t slot = 0;
    std::int64_t customers = 0;
    bool over_limit = false;  // reported once
  };
  std::vector<CohortTier> tiers;
  std::map<std::string, Tally> tallies;
  for (CohortRows& rows : table.rows()) {
    std::optional<Cohort> cohort = build_cohort(rows, has_tier, problems);
    if (!cohort) continue;
    auto [it, added] = tallies.try_emplace(rows.tier, Tally{tiers.size()});
    if (added) tiers.push_back(CohortTier{rows.tier, {}});
    Tally& tally = it->second;
    if (tally.over_limit) continue;
    if (tally.customers > kMaxCustomerCount - cohort->active[0]) {
      problems.add(cohort->line, fmt::format("the cohorts of tier '{}' add up to more than "
                                             "1e15 customers, the limit",
                                             shown_text(rows.tier)));
      tally.over_limit = true;
      continue;
    }
    tally.customers += cohort->active[0];
    tiers[tally.slot].cohorts.push_back(std::move(*cohort));
  }
  return tiers;
}

std::string too_large_message() {
  return fmt::format("the file is larger than {} MiB, the limit of a cohort file",
                     kMaxCohortFileBytes >> 20);
}

}  // namespace

CohortData parse_cohort_csv(std::string_view text, const std::string& file) {
  if (text.size() > kMaxCohortFileBytes)
    throw CohortDataError({Diagnostic{file, 0, 0, too_large_message()}});
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte-order mark
  Problems problems(file);
  const std::vector<Line> lines = split_lines(text);
  if (lines.empty()) {
    problems.add(1,
                 "the file is empty; a cohort file starts with a header line naming the "
                 "columns cohort, period and active (and optionally tier)");
    problems.throw_if_any();
  }
  const std::optional<Header> header = parse_header(lines.front(), problems);
  problems.throw_if_any();  // rows cannot be read without their columns
  if (lines.size() == 1) {
    problems.add(lines.front().number, "the header is not followed by any data rows");
    problems.throw_if_any();
  }
  CohortTable table;
  read_rows(lines, *header, table, problems);
  const bool has_tier = header->index[kTier] >= 0;
  CohortData data{file, has_tier, group_tiers(table, has_tier, problems)};
  problems.throw_if_any();
  return data;
}

CohortData load_cohort_file(const std::string& path) {
  const auto fail = [&](const std::string& message) {
    throw CohortDataError({Diagnostic{path, 0, 0, message}});
  };
  std::error_code code;
  if (std::filesystem::is_directory(path, code)) fail("cannot read file: it is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(std::string("cannot read file: ") + (errno ? std::strerror(errno) : "cannot open it"));
  std::string text;
  std::array<char, 1 << 16> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    text.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxCohortFileBytes) fail(too_large_message());
  }
  if (in.bad())
    fail(std::string("cannot read file: ") + (errno ? std::strerror(errno) : "read error"));
  return parse_cohort_csv(text, path);
}

}  // namespace tenure
