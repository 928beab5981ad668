// tenure optimize: the values of some variables that maximise an objective of one policy.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <stdexcept>

#include "sim/cluster/cluster.hpp"
#include "sim/commands/commands.hpp"
#include "sim/commands/progress.hpp"
#include "sim/commands/results_folder.hpp"
#include "sim/commands/settings.hpp"
#include "sim/engine/model.hpp"
#include "sim/engine/resources.hpp"
#include "sim/engine/variables.hpp"
#include "sim/output/decision_files.hpp"
#include "sim/output/report_html.hpp"
#include "sim/output/result_set.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "sim/studies/optimize.hpp"

namespace tenure {

namespace {

[[noreturn]] void usage(const std::string& message) {
  throw std::invalid_argument(message);
}

// --over a,b: the variables searched, each known and named once.
std::vector<std::size_t> over_variables(const Parameters& p, const std::string& text) {
  std::vector<std::size_t> out;
  std::vector<std::string> known;
  for (const Variable& v : p.variables) known.push_back(v.name);
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    const std::string name = text.substr(from, comma - from);
    const std::size_t k = variable_index(p, name);
    if (k == p.variables.size())
      usage(fmt::format("--over: the scenario has no variable '{}' (its variables: {})", name,
                        known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
    if (std::find(out.begin(), out.end(), k) != out.end())
      usage(fmt::format("--over: {} is named twice", name));
    // optimize.json's trace holds {<variable>: value, "objective": value} per run.
    if (name == "objective")
      usage(
          "--over: a variable named 'objective' cannot be searched (optimize.json's trace "
          "uses that key for the objective); rename the variable");
    out.push_back(k);
    from = comma + 1;
  }
  return out;
}

// --policy, or the first policy the variables move.
std::size_t optimized_policy(const Parameters& p, const std::vector<std::size_t>& over,
                             const std::string& name) {
  if (!name.empty()) {
    for (std::size_t i = 0; i < p.policies.size(); ++i)
      if (p.policies[i].name == name) return i;
    usage(fmt::format("--policy: no policy named '{}'", name));
  }
  std::vector<std::string> names;
  for (const std::size_t v : over) names.push_back(p.variables[v].name);
  const std::vector<std::size_t> moved = policies_moved_by(p, names);
  if (moved.empty()) usage("--over: no policy uses these variables");
  return moved.front();
}

// --constraint prob_negative<=X, X a share from 0 to 1.
std::optional<double> max_prob_negative(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const std::string prefix = "prob_negative<=";
  std::size_t used = 0;
  double x = -1.0;
  try {
    if (text.rfind(prefix, 0) == 0) x = std::stod(text.substr(prefix.size()), &used);
  } catch (const std::exception&) {
  }
  if (used == 0 || prefix.size() + used != text.size() || !(x >= 0.0 && x <= 1.0))
    usage(fmt::format("--constraint must be prob_negative<=X with X from 0 to 1; got '{}'", text));
  return x;
}

OptimizeRequest optimize_request(const Scenario& scenario, const OptimizeArguments& a) {
  OptimizeRequest request;
  request.variables = over_variables(scenario, a.over);
  request.policy = optimized_policy(scenario, request.variables, a.policy);
  if (a.metric != "npv" && a.metric != "npv_with_equity")
    usage(fmt::format("--metric must be npv or npv_with_equity; got '{}'", a.metric));
  const auto objective = parse_objective(a.objective, a.metric);
  if (!objective)
    usage(
        fmt::format("--objective must be mean, p05, es05 or mean-es:LAMBDA (LAMBDA from 0 to "
                    "1000); got '{}'",
                    a.objective));
  request.objective = *objective;
  request.max_prob_negative = max_prob_negative(a.constraint);
  request.worlds = scenario.paths;
  request.seed = scenario.seed;
  return request;
}

// The command line that reproduces an optimisation: every choice spelt out.
std::string reproducing_command(const OptimizeArguments& a, const OptimizeRequest& request) {
  std::string command =
      fmt::format("tenure optimize {}{} --over {} --objective {} --metric {}", a.file,
                  settings_arguments(a.set), a.over, a.objective, a.metric);
  if (!a.constraint.empty()) command += " --constraint '" + a.constraint + "'";  // < for a shell
  if (!a.policy.empty()) command += " --policy " + a.policy;
  return command + fmt::format(" --seed {} --paths {}", request.seed, request.worlds);
}

}  // namespace

int optimize_command(const OptimizeArguments& a, const Cluster& cluster) {
  Scenario scenario = load_scenario_file(a.file);
  apply_settings(scenario, read_settings(a.set, scenario, false));
  if (a.paths) scenario.paths = *a.paths;
  if (a.seed) scenario.seed = *a.seed;
  OptimizeRequest request = optimize_request(scenario, a);
  request.workers = Workers(a.threads, &cluster);
  cluster.on_every_rank([&] { check_memory(build_model(scenario), request.worlds, a.threads); });
  const std::filesystem::path out = results_folder(a.out, scenario.name + "-optimize");
  cluster.on_leader([&] { check_output_folder(out); });
  Optimum result;
  {
    ProgressDisplay display(a.quiet, "runs");
    result = optimize(scenario, request, display.callback());
  }
  OptimizeContext context{
      {}, scenario.policies[request.policy].name, a.constraint, reproducing_command(a, request)};
  for (const std::size_t v : request.variables)
    context.variables.push_back(scenario.variables[v].name);
  cluster.on_leader([&] {  // every rank holds the same result; one writes it
    ResultSet set(out);
    set.add("optimize.json", optimize_json(request, context, result));
    ReportInputs inputs;
    inputs.folder = report_folder_name(out);
    inputs.optimize_json = set.text("optimize.json");
    set.add("report.html", render_report(inputs));
    set.commit();
    if (a.quiet) return;
    std::cout << optimize_text(request, context, result);
    std::cout << fmt::format(
        "results written to {}/ (optimize.json; open report.html in a browser)\n", out.string());
  });
  return kSuccess;
}

}  // namespace tenure
