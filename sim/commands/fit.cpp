// tenure fit: churn fitted from cohort data; tenure report: a report rebuilt from a folder.
#include <fmt/format.h>

#include <iostream>

#include "sim/calibration/cohort_csv.hpp"
#include "sim/calibration/fit_report.hpp"
#include "sim/calibration/sbg_fit.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/results_folder.hpp"
#include "sim/output/report_html.hpp"
#include "sim/output/result_set.hpp"

namespace tenure {

int fit_command(const FitArguments& a) {
  const CohortData data = load_cohort_file(a.file);
  const std::filesystem::path out =
      results_folder(a.out, "fit-" + std::filesystem::path(a.file).stem().string());
  check_output_folder(out);
  const CohortFit fit = fit_cohorts(data);
  ResultSet set(out);
  set.add("fit.json", fit_json(fit));
  set.add("fit.yaml", fit_yaml(fit, a.uncertain));
  ReportInputs inputs;
  inputs.folder = report_folder_name(out);
  inputs.fit_json = set.text("fit.json");
  set.add("report.html", render_report(inputs));
  set.commit();
  if (a.chatter.json) std::cout << set.text("fit.json");
  if (a.chatter.quiet || a.chatter.json) return kSuccess;
  std::cout << fit_text(fit);
  std::cout << fmt::format(
      "\nresults written to {}/: fit.json, fit.yaml (paste it into a scenario), report.html\n",
      out.string());
  return kSuccess;
}

int report_command(const std::string& folder) {
  const std::filesystem::path written = write_report(folder);
  std::cout << fmt::format("report written to {}\n", written.string());
  return kSuccess;
}

}  // namespace tenure
