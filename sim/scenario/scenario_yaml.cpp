// Reading a scenario file: the document, the top level, and the sections in order.
#include "sim/scenario/scenario_yaml.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/calibration/text.hpp"
#include "sim/scenario/sections.hpp"

namespace tenure {

namespace reader {
namespace {

// What the sections cannot see alone: the customers of all tiers together, and the cells a
// world needs: tiers x churn classes (20 with classes: auto) x tenure cells (at most the
// horizon plus the longest initial tenure, plus 1).
void check_sizes(Problems& problems, MapReader& top, const Scenario& s) {
  double customers = 0.0;
  int oldest = 0;
  for (const Tier& tier : s.tiers) {
    customers += static_cast<double>(tier.initial_customers);
    oldest = std::max(oldest, tier.initial_tenure.value_or(0));
    for (const TenureCohort& cohort : tier.cohorts) {
      customers += static_cast<double>(cohort.customers);
      oldest = std::max(oldest, cohort.tenure);
    }
  }
  if (customers > limits::kCustomers)
    problems.add(top.key_mark("tiers"),
                 fmt::format("the tiers start with {:.4g} customers in all; a world can count at "
                             "most 1e15 exactly",
                             customers));
  const double classes = !s.heterogeneity                ? 1
                         : s.heterogeneity->classes == 0 ? limits::kChurnClasses
                                                         : s.heterogeneity->classes;
  const double cells = static_cast<double>(s.tiers.size()) * classes * (s.horizon + oldest + 1.0);
  if (cells > static_cast<double>(limits::kCells))
    problems.add(top.key_mark("horizon"),
                 fmt::format("the scenario needs up to {:.4g} cells per world (tiers x churn "
                             "classes x (horizon + longest initial tenure + 1)); at most {:.4g} "
                             "can be simulated: fewer tiers, classes or periods",
                             cells, static_cast<double>(limits::kCells)));
}

Scenario read_scenario(Problems& problems, const YAML::Node& root, const std::string& file) {
  Scenario s;
  s.source_file = file;
  MapReader top(problems, Item{root, "", root.Mark()}, keys_of("top"));
  if (!top.valid()) return s;
  read_variables(problems, top);  // first: any number after may be $name

  if (const auto name = top.required_name("name")) {
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
  s.paths = static_cast<std::int64_t>(top.optional_integer(
      "paths", between(1, static_cast<std::uint64_t>(limits::kWorlds)), 10000));
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
  s.heterogeneity = read_heterogeneity(problems, top, s.tiers);
  const PolicyContext context{tiers,
                              top.has("acquisition"),
                              top.has("retention"),
                              top.has("service"),
                              top.has("referrals"),
                              horizon,
                              has_referral_program(top)};
  s.policies = read_policies(problems, top, context);
  s.shocks = read_shocks(problems, top, horizon);
  s.regimes = read_regimes(problems, top);
  s.cash_floor = read_risk(problems, top);
  read_inputs(problems, s);
  s.correlations = read_correlations(problems, top, s.inputs);
  read_variable_places(problems, s);
  top.finish();
  check_sizes(problems, top, s);
  return s;
}

// yaml-cpp passes any bytes through, and a name that is not UTF-8 would only fail when
// summary.json is written, after the whole run: refuse the file up front, naming each line.
void check_utf8(Problems& problems, std::string_view text) {
  int line = 1;
  for (std::size_t start = 0; start <= text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (!is_valid_utf8(text.substr(start, end - start)))
      problems.add_at(line, 0, "this line is not valid UTF-8 text; save the file as UTF-8");
    start = end + 1;
  }
}

}  // namespace
}  // namespace reader

using reader::DocumentSurvey;
using reader::Problems;

Scenario parse_scenario(std::string_view yaml_text, const std::string& file_name) {
  Problems problems(file_name);
  const std::string text(yaml_text);
  reader::check_utf8(problems, text);
  if (problems.count() > 0) throw ScenarioError(problems.take());
  YAML::Node root;
  try {
    const DocumentSurvey survey = reader::survey_documents(text);
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
    scenario = reader::read_scenario(problems, root, file_name);
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
  // Read at most one byte more than allowed, so an endless file (/dev/zero) stops too.
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) unreadable(errno != 0 ? std::strerror(errno) : "read error");
  if (static_cast<std::size_t>(in.gcount()) > kMaxScenarioBytes)
    unreadable(fmt::format("it is larger than {} MiB, the most a scenario file may be",
                           kMaxScenarioBytes >> 20));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_scenario(text, path);
}

}  // namespace tenure
