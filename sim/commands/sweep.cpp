// tenure sweep: the scenario at every point of a grid of one or two variables, on the same
// worlds.
#include <fmt/format.h>

#include <iostream>
#include <stdexcept>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/progress.hpp"
#include "sim/commands/results_folder.hpp"
#include "sim/commands/settings.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/resources.hpp"
#include "sim/output/decision_files.hpp"
#include "sim/output/report_html.hpp"
#include "sim/output/result_set.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "sim/studies/sweep.hpp"

namespace tenure {

namespace {

// The grids among the settings become the sweep's axes; single values are applied.
std::vector<SweepAxis> sweep_axes(Scenario& scenario, const std::vector<std::string>& texts) {
  std::vector<SweepAxis> axes;
  std::vector<Setting> fixed;
  for (const Setting& setting : read_settings(texts, scenario, true)) {
    if (setting.values.size() > 1)
      axes.push_back({setting.variable, setting.values});
    else
      fixed.push_back(setting);
  }
  apply_settings(scenario, fixed);
  if (axes.empty() || axes.size() > 2)
    throw std::invalid_argument(fmt::format(
        "a sweep varies one or two variables, each given as --set NAME=LOW:HIGH:N; got {}",
        axes.size()));
  if (sweep_points(axes).size() > kMaxSweepPoints)
    throw std::invalid_argument(fmt::format("a sweep runs at most {} points; got {}",
                                            kMaxSweepPoints,
                                            axes[0].values.size() * axes.back().values.size()));
  return axes;
}

// The command line that reproduces a sweep: its grid and every other choice spelt out.
std::string reproducing_command(const SweepArguments& a, const SweepRequest& request) {
  return fmt::format("tenure sweep {}{} --seed {} --paths {}", a.file, settings_arguments(a.set),
                     request.seed, request.worlds);
}

}  // namespace

int sweep_command(const SweepArguments& a, const Cluster& cluster) {
  Scenario scenario = load_scenario_file(a.file);
  SweepRequest request;
  request.axes = sweep_axes(scenario, a.set);
  if (a.paths) scenario.paths = *a.paths;
  if (a.seed) scenario.seed = *a.seed;
  request.worlds = scenario.paths;
  request.seed = scenario.seed;
  request.workers = Workers(a.threads, &cluster);
  const std::size_t points = sweep_points(request.axes).size();
  cluster.on_every_rank([&] {
    check_memory(build_model(scenario), request.worlds, a.threads,
                 sweep_bytes_per_world(points, scenario.policies.size()));
  });
  const std::filesystem::path out = results_folder(a.out, scenario.name + "-sweep");
  cluster.on_leader([&] { check_output_folder(out); });

  SweepResult result;
  {
    ProgressDisplay display(a.chatter.quiet, "worlds");
    result = run_sweep(scenario, request, display.callback());
  }
  cluster.on_leader([&] {  // every rank holds the same result; one writes it
    ResultSet set(out);
    set.add("sweep.csv", sweep_csv(result));
    set.add("sweep.json", sweep_json(request, reproducing_command(a, request)));
    ReportInputs inputs;
    inputs.folder = report_folder_name(out);
    inputs.sweep_csv = set.text("sweep.csv");
    inputs.sweep_json = set.text("sweep.json");
    set.add("report.html", render_report(inputs));
    set.commit();
    if (a.chatter.quiet) return;
    std::cout << sweep_text(result);
    std::cout << fmt::format(
        "\nresults written to {}/ (sweep.csv, sweep.json; open report.html in a browser)\n",
        out.string());
  });
  return kSuccess;
}

}  // namespace tenure
