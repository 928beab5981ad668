// Reading the CSV files tenure writes (RFC 4180: fields holding a comma, quote or line break
// are quoted, inner quotes doubled), with every problem reported at its line and column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/diagnostics.hpp"

namespace tenure {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as many fields as the header
  std::vector<int> lines;                      // the line each row starts on, 1-based
  std::vector<std::vector<int>> columns;       // the column each field starts at, 1-based

  // Index of the column named `name`, if there is one.
  std::optional<std::size_t> column(std::string_view name) const;
};

// Bounds on what a results CSV may hold; a bigger file is refused rather than read.
inline constexpr std::size_t kMaxCsvRows = 1'000'000;
inline constexpr std::size_t kMaxCsvColumns = 1'000;

// Parses `text`. Problems (an unterminated quote, a row with the wrong number of fields, too
// many rows) are appended to `problems`, positioned in `file`; the rows read so far are kept.
CsvTable parse_csv(std::string_view text, const std::string& file,
                   std::vector<Diagnostic>& problems);

// A numeric field: std::nullopt for an empty field or "nan" (a figure that was undefined);
// throws std::invalid_argument for anything else that is not a finite number.
std::optional<double> parse_csv_number(std::string_view field);

}  // namespace tenure
