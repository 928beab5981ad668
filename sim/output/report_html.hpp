// report.html: one self-contained page that shows whichever results a folder holds (a run,
// a sweep or optimisation, a reverse stress test, a sensitivity study, a fit) as Vega-Lite
// charts. The charting libraries and the data are inlined, so the file opens offline and
// makes no network request.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/output/report_data.hpp"

namespace tenure {

// A result file bigger than this is refused rather than read (and inlined into a page).
inline constexpr std::uintmax_t kMaxReportInputBytes = 64ull << 20;

// Reads the result files present in `dir` (summary.json, periods.csv, sweep.csv,
// optimize.json, stress.json, stress.csv, sensitivity.csv, fit.json). Throws
// std::runtime_error when the folder does not exist, a file is too big or unreadable, or the
// folder holds none of summary.json, sweep.csv, stress.json and fit.json.
ReportInputs read_report_inputs(const std::filesystem::path& dir);

// The name a report gives the folder it is written to: the folder's own name ("results/x/"
// gives "x"), as read_report_inputs gives it, so that `tenure report DIR` rebuilds the same
// page a command wrote.
std::string report_folder_name(const std::filesystem::path& folder);

// The page. Throws ReportInputError listing every problem in the inputs.
std::string render_report(const ReportInputs& inputs);

// Reads `dir`, renders the page and writes it to dir/report.html (atomically: a failure
// leaves any earlier report in place). Returns the path written.
std::filesystem::path write_report(const std::filesystem::path& dir);

}  // namespace tenure
