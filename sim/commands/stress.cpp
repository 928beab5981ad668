// tenure stress: the multiplier at which a risk figure crosses a limit.
#include <fmt/format.h>

#include <iostream>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/progress.hpp"
#include "sim/commands/results_folder.hpp"
#include "sim/commands/settings.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/resources.hpp"
#include "sim/output/report_html.hpp"
#include "sim/output/result_set.hpp"
#include "sim/output/study_files.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "sim/studies/stress.hpp"

namespace tenure {

namespace {

// A command-line value that is wrong: reported like a usage error.
[[noreturn]] void usage(const std::string& message) {
  throw std::invalid_argument(message);
}

// --metric: STATISTIC or METRIC.STATISTIC, the metric one the run reports.
RunFigure parse_figure(const std::string& text, const Model& model, const std::string& policy) {
  RunFigure figure;
  const std::size_t dot = text.rfind('.');
  figure.statistic = dot == std::string::npos ? text : text.substr(dot + 1);
  if (dot != std::string::npos) figure.metric = text.substr(0, dot);
  const auto& statistics = figure_statistics();
  if (std::find(statistics.begin(), statistics.end(), figure.statistic) == statistics.end())
    usage(fmt::format("--metric: '{}' is not a statistic; use one of {}", figure.statistic,
                      fmt::join(statistics, ", ")));
  bool known = false;
  for (const ReportedSlot& m : model.layout.reported_metrics()) known |= m.name == figure.metric;
  if (!known) usage(fmt::format("--metric: the run reports no metric '{}'", figure.metric));
  for (std::size_t p = 0; p < model.policies.size(); ++p)
    if (model.policies[p].name == policy) figure.policy = p;
  if (!policy.empty() && model.policies[figure.policy].name != policy)
    usage(fmt::format("--policy: no policy named '{}'", policy));
  return figure;
}

std::pair<double, double> parse_range(const std::string& text) {
  const std::size_t colon = text.find(':');
  try {
    if (colon != std::string::npos) {
      const double low = std::stod(text.substr(0, colon)), high = std::stod(text.substr(colon + 1));
      if (std::isfinite(low) && std::isfinite(high) && 0 <= low && low < high && high <= 1000)
        return {low, high};
    }
  } catch (const std::exception&) {
  }
  usage(fmt::format("--range must be LOW:HIGH, multipliers with 0 <= LOW < HIGH <= 1000; got '{}'",
                    text));
}

// The command line that reproduces a stress search: every choice spelt out.
std::string reproducing_command(const StressArguments& a, const StressRequest& request) {
  std::string command = fmt::format("tenure stress {}{} --vary {} --metric {} --limit {}", a.file,
                                    settings_arguments(a.set), a.vary, a.metric, a.limit);
  if (!a.policy.empty()) command += " --policy " + a.policy;
  return command +
         fmt::format(" --range {} --seed {} --paths {}", a.range, request.seed, request.worlds);
}

}  // namespace

int stress_command(const StressArguments& a, const Cluster& cluster) {
  Scenario scenario = load_scenario_file(a.file);
  apply_settings(scenario, read_settings(a.set, scenario, false));
  if (a.paths) scenario.paths = *a.paths;
  if (a.seed) scenario.seed = *a.seed;
  if (const std::string problem = vary_problem(scenario, a.vary); !problem.empty()) usage(problem);
  const Model model = build_model(scenario);
  StressRequest request{a.vary, parse_figure(a.metric, model, a.policy), a.limit};
  std::tie(request.low, request.high) = parse_range(a.range);
  request.worlds = scenario.paths;
  request.seed = scenario.seed;
  request.workers = Workers(a.threads, &cluster);
  cluster.on_every_rank([&] { check_memory(model, request.worlds, a.threads); });
  const std::filesystem::path out = results_folder(a.out, scenario.name + "-stress");
  cluster.on_leader([&] { check_output_folder(out); });
  StressResult result;
  {
    ProgressDisplay display(a.chatter.quiet, "worlds");
    result = reverse_stress(scenario, request, display.callback());
  }
  const std::string policy = model.policies[request.figure.policy].name;
  cluster.on_leader([&] {  // every rank holds the same result; one writes it
    ResultSet set(out);
    set.add("stress.json", stress_json(request, policy, result, reproducing_command(a, request)));
    set.add("stress.csv", stress_csv(result));
    ReportInputs inputs;
    inputs.folder = report_folder_name(out);
    inputs.stress_json = set.text("stress.json");
    inputs.stress_csv = set.text("stress.csv");
    set.add("report.html", render_report(inputs));
    set.commit();
    if (a.chatter.json) std::cout << set.text("stress.json");
    if (a.chatter.quiet || a.chatter.json) return;
    std::cout << stress_text(request, policy, result);
    std::cout << fmt::format("results written to {}/\n", out.string());
  });
  return kSuccess;
}

}  // namespace tenure
