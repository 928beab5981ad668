#include "sim/output/csv_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace tenure {

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

namespace {

// Walks the text one record at a time, keeping the position for messages.
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems)
      : text_(text), file_(file), problems_(problems) {}

  bool done() const { return at_ >= text_.size(); }
  int line() const { return line_; }

  // The fields of the next record; false (with a problem recorded) if it is malformed.
  bool next_record(std::vector<std::string>& fields, std::vector<int>& starts) {
    fields.assign(1, std::string());
    starts.assign(1, column_);
    while (!done()) {
      const char c = text_[at_];
      if (c == '\n' || c == '\r') {
        end_of_line();
        return true;
      }
      if (c == ',') {
        if (fields.size() >= kMaxCsvColumns) return fail("more than 1,000 fields in a row");
        fields.emplace_back();
        advance();
        starts.push_back(column_);
      } else if (c == '"' && fields.back().empty()) {
        if (!quoted_field(fields.back())) return false;
      } else {
        fields.back() += c;
        advance();
      }
    }
    return true;
  }

  // Skips to the start of the next line (after a malformed record).
  void skip_line() {
    while (!done() && text_[at_] != '\n') advance();
    if (!done()) end_of_line();
  }

 private:
  void advance() {
    ++at_;
    ++column_;
  }
  void end_of_line() {
    if (text_[at_] == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++at_;
    ++at_;
    ++line_;
    column_ = 1;
  }
  bool fail(const std::string& message) {
    problems_.push_back({file_, line_, column_, message});
    return false;
  }
  // A field in double quotes: "" stands for one quote; commas and line breaks are literal.
  bool quoted_field(std::string& field) {
    const int start_line = line_, start_column = column_;
    advance();
    while (!done()) {
      const char c = text_[at_];
      if (c == '"' && at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
        field += '"';
        advance();
        advance();
      } else if (c == '"') {
        advance();
        if (done() || text_[at_] == ',' || text_[at_] == '\n' || text_[at_] == '\r') return true;
        return fail(
            "unexpected character after a closing quote (a quote inside a field is "
            "written twice)");
      } else if (c == '\n') {
        field += c;
        ++at_;
        ++line_;
        column_ = 1;
      } else {
        field += c;
        advance();
      }
    }
    problems_.push_back({file_, start_line, start_column, "quoted field is never closed"});
    return false;
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<Diagnostic>& problems_;
  std::size_t at_ = 0;
  int line_ = 1, column_ = 1;
};

}  // namespace

CsvTable parse_csv(std::string_view text, const std::string& file,
                   std::vector<Diagnostic>& problems) {
  CsvTable table;
  CsvReader reader(text, file, problems);
  std::vector<std::string> fields;
  std::vector<int> starts;
  bool have_header = false;
  while (!reader.done()) {
    const int line = reader.line();
    if (!reader.next_record(fields, starts)) {
      reader.skip_line();
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (!have_header) {
      table.header = fields;
      have_header = true;
    } else if (fields.size() != table.header.size()) {
      problems.push_back(
          {file, line, 1,
           fmt::format("{} fields where the header has {}", fields.size(), table.header.size())});
    } else if (table.rows.size() >= kMaxCsvRows) {
      problems.push_back({file, line, 1, "more than 1,000,000 rows"});
      break;
    } else {
      table.rows.push_back(fields);
      table.lines.push_back(line);
      table.columns.push_back(starts);
    }
  }
  if (!have_header) problems.push_back({file, 0, 0, "empty file: expected a header line"});
  return table;
}

std::optional<double> parse_csv_number(std::string_view field) {
  if (field.empty() || field == "nan" || field == "-nan" || field == "NaN") return std::nullopt;
  double value = 0.0;
  const char* end = field.data() + field.size();
  const auto [stop, error] = std::from_chars(field.data(), end, value);
  if (error != std::errc() || stop != end || std::isinf(value))
    throw std::invalid_argument(fmt::format("'{}' is not a number", field));
  if (std::isnan(value)) return std::nullopt;
  return value;
}

}  // namespace tenure
