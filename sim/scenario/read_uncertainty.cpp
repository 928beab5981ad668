// What the scenario does not know: the numbers given as distributions (collected by
// read_quantity during the walk) turned into named inputs, their correlations, the regime
// chain, and the risk settings.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sim/engine/places.hpp"
#include "sim/engine/uncertainty.hpp"
#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

// tiers[2].churn -> tiers.gold.churn: list positions become the names places use.
std::string place_of(const std::string& path, const Scenario& s) {
  auto named = [&](const std::string& list, auto name_of) -> std::optional<std::string> {
    if (path.rfind(list + "[", 0) != 0) return std::nullopt;
    const std::size_t close = path.find(']');
    const std::size_t index = std::stoul(path.substr(list.size() + 1, close - list.size() - 1));
    return name_of(index) + path.substr(close + 1);
  };
  if (auto place = named("tiers", [&](std::size_t i) {
        return "tiers." + (i < s.tiers.size() ? s.tiers[i].name : std::to_string(i));
      }))
    return *place;
  if (auto place = named("intermediaries", [&](std::size_t i) {
        return "intermediaries." +
               (i < s.intermediaries.size() ? s.intermediaries[i].name : std::to_string(i));
      }))
    return *place;
  if (auto place = named("shocks", [&](std::size_t i) {
        return i < s.shocks.size() ? shock_place(s.shocks, i) : "shocks[" + std::to_string(i) + "]";
      }))
    return *place;
  return path;
}

// How many numbers of the scenario an input's place sets.
int bound_numbers(const Scenario& s, const std::string& place) {
  Parameters copy = s;
  int count = 0;
  for_each_quantity(copy, [&](const std::string& p, double&) { count += sets_place(place, p); });
  return count;
}

}  // namespace

void read_inputs(Problems& problems, Scenario& s) {
  std::set<std::string> names;
  for (const UncertainNumber& number : problems.uncertain) {
    const std::string place = place_of(number.path, s);
    if (bound_numbers(s, place) == 0) {
      problems.add(number.mark, fmt::format("{} cannot be uncertain (it is a decision, a share "
                                            "that must add up, or a distribution's own "
                                            "parameter); give a number",
                                            number.path));
      continue;
    }
    const std::string name = number.name.empty() ? place : number.name;
    if (!names.insert(name).second) {
      problems.add(number.mark, fmt::format("{}: two uncertain inputs are named '{}'; give one a "
                                            "name: of its own",
                                            number.path, name));
      continue;
    }
    s.inputs.push_back({name, place, number.distribution, number.range});
  }
}

}  // namespace tenure::reader

namespace tenure::reader {

namespace {

// The input named `name`, reported with a did-you-mean when there is none.
std::optional<std::size_t> input_named(Problems& problems, const Item& item,
                                       const std::vector<UncertainInput>& inputs) {
  const auto name = read_string(problems, item);
  if (!name) return std::nullopt;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].name == *name) return i;
    names.push_back(inputs[i].name);
  }
  problems.add(item.mark,
               fmt::format("{}: '{}' is not an uncertain input{} (inputs: {})", item.path, *name,
                           did_you_mean(*name, names), names.empty() ? "none" : join(names)));
  return std::nullopt;
}

const NumberRule kRank{-1.0, true, 1.0, true, "a rank correlation from -1 to 1"};

// - {between: [A, B], rank: r}
void read_correlation_list(Problems& problems, const std::vector<Item>& items,
                           const std::vector<UncertainInput>& inputs,
                           std::vector<InputCorrelation>& out) {
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (const Item& item : items) {
    MapReader r(problems, item, keys_of("correlations"));
    const auto between = r.require("between", "a list of two uncertain inputs' names");
    const auto rank = r.required_number("rank", kRank);
    r.finish();
    if (!between) continue;
    const auto pair = list_items(problems, *between, "names", true, 2);
    if (!pair || pair->size() != 2) {
      if (pair) problems.add(between->mark, fmt::format("{} must name two inputs", between->path));
      continue;
    }
    const auto a = input_named(problems, (*pair)[0], inputs);
    const auto b = input_named(problems, (*pair)[1], inputs);
    if (!a || !b || !rank) continue;
    if (*a == *b)
      problems.add(between->mark,
                   fmt::format("{}: an input cannot be correlated with itself", between->path));
    else if (!seen.insert(std::minmax(*a, *b)).second)
      problems.add(between->mark, fmt::format("{}: this pair is given twice", between->path));
    else
      out.push_back({inputs[*a].name, inputs[*b].name, *rank});
  }
}

// {inputs: [A, B, ...], matrix: [[1, r, ...], ...]}: a full rank-correlation matrix.
void read_correlation_matrix(Problems& problems, const Item& item,
                             const std::vector<UncertainInput>& inputs,
                             std::vector<InputCorrelation>& out) {
  MapReader r(problems, item, keys_of("correlations.matrix"));
  std::vector<std::optional<std::size_t>> named;
  if (const auto list = r.require("inputs", "a list of uncertain inputs' names"))
    for (const Item& name :
         list_items(problems, *list, "names", true, 1000).value_or(std::vector<Item>{}))
      named.push_back(input_named(problems, name, inputs));
  const auto rows = r.require("matrix", "a list of rows, one per input");
  r.finish();
  if (!rows) return;
  const auto row_items = list_items(problems, *rows, "rows", true, 1000);
  if (!row_items || row_items->size() != named.size()) {
    if (row_items)
      problems.add(rows->mark,
                   fmt::format("{} must have one row per input ({})", rows->path, named.size()));
    return;
  }
  for (std::size_t i = 0; i < named.size(); ++i) {
    const auto row = list_items(problems, (*row_items)[i], "numbers", true, 1000);
    if (!row || row->size() != named.size()) {
      if (row)
        problems.add((*row_items)[i].mark,
                     fmt::format("{} must have {} entries", (*row_items)[i].path, named.size()));
      continue;
    }
    for (std::size_t j = 0; j < named.size(); ++j) {
      const auto value = read_quantity(problems, (*row)[j], kRank);
      if (!value) continue;
      if (i == j && *value != 1.0)
        problems.add((*row)[j].mark, fmt::format("{}: the diagonal must be 1", (*row)[j].path));
      if (j > i && named[i] && named[j])
        out.push_back({inputs[*named[i]].name, inputs[*named[j]].name, *value});
    }
  }
}

}  // namespace

std::vector<InputCorrelation> read_correlations(Problems& problems, MapReader& top,
                                                const std::vector<UncertainInput>& inputs) {
  std::vector<InputCorrelation> out;
  const auto item = top.item("correlations");
  if (!item) return out;
  const std::size_t before = problems.count();
  if (item->node.IsMap())
    read_correlation_matrix(problems, *item, inputs, out);
  else if (const auto items = list_items(problems, *item, "correlations", false, 10000))
    read_correlation_list(problems, *items, inputs, out);
  if (problems.count() != before) return out;
  const std::string problem = correlation_problem(inputs, normal_scale_correlation(inputs, out));
  if (!problem.empty()) problems.add(item->mark, "correlations: " + problem);
  return out;
}

namespace {

Multipliers read_multipliers(Problems& problems, const Item& item) {
  MapReader r(problems, item, keys_of("regimes.states"));
  Multipliers m;
  read_multiplier_keys(r, m);
  r.finish();
  return m;
}

// transitions: {from: {to: probability}}; each row's probabilities add up to at most 1.
void read_transitions(Problems& problems, const Item& item, Regimes& regimes,
                      const std::map<std::string, int>& index) {
  if (!item.node.IsMap()) {
    problems.add(item.mark, fmt::format("{} must be a map from regime to {{regime: "
                                        "probability}}, got {}",
                                        item.path, describe(item.node)));
    return;
  }
  std::vector<std::string> names;
  for (const auto& [name, i] : index) names.push_back(name);
  for (const Entry& from : map_entries(problems, item.node, item.path)) {
    const auto row = index.find(from.key);
    if (row == index.end()) {
      problems.add(from.key_mark,
                   fmt::format("unknown regime '{}' in {}{} (regimes: {})", from.key, item.path,
                               did_you_mean(from.key, names), join(names)));
      continue;
    }
    double sum = 0.0;
    for (const Entry& to : map_entries(problems, from.value, from.path)) {
      const auto column = index.find(to.key);
      if (column == index.end() || column->second == row->second) {
        problems.add(to.key_mark, column == index.end()
                                      ? fmt::format("unknown regime '{}' in {}{}", to.key,
                                                    from.path, did_you_mean(to.key, names))
                                      : fmt::format("{}: a regime's own share is what is left "
                                                    "of its row; remove this entry",
                                                    to.path));
        continue;
      }
      const double p = read_quantity(problems, to.item(), kProbability).value_or(0.0);
      regimes.transitions[row->second][column->second] = p;
      sum += p;
    }
    if (sum > 1.0 + kShareTolerance)
      problems.add(from.key_mark, fmt::format("{}: the transition probabilities add up to {}; at "
                                              "most 1",
                                              from.path, format_sum(sum)));
  }
}

}  // namespace

std::optional<Regimes> read_regimes(Problems& problems, MapReader& top) {
  const auto item = top.item("regimes");
  if (!item) return std::nullopt;
  MapReader r(problems, *item, keys_of("regimes"));
  Regimes regimes;
  std::map<std::string, int> index;
  if (const auto states = r.require("states", "a map from regime name to its multipliers")) {
    if (!states->node.IsMap())
      problems.add(states->mark,
                   fmt::format("{} must be a map from regime name to multipliers", states->path));
    for (const Entry& state : map_entries(problems, states->node, states->path)) {
      if (!read_name(problems, Item{YAML::Node(state.key), state.path, state.key_mark})) continue;
      index.emplace(state.key, static_cast<int>(regimes.states.size()));
      regimes.states.push_back({state.key, read_multipliers(problems, state.item())});
    }
  }
  regimes.transitions.assign(regimes.states.size(),
                             std::vector<double>(regimes.states.size(), 0.0));
  if (const auto start = r.require("start", "the regime of period 1"))
    if (const auto name = read_string(problems, *start)) {
      const auto found = index.find(*name);
      if (found != index.end())
        regimes.start = found->second;
      else if (!index.empty())
        problems.add(start->mark, fmt::format("regimes.start: unknown regime '{}'", *name));
    }
  if (const auto transitions = r.item("transitions"))
    read_transitions(problems, *transitions, regimes, index);
  r.finish();
  if (regimes.states.empty()) return std::nullopt;
  return regimes;
}

std::optional<double> read_risk(Problems& problems, MapReader& top) {
  const auto item = top.item("risk");
  if (!item) return std::nullopt;
  MapReader r(problems, *item, keys_of("risk"));
  const auto floor =
      r.required_number("cash_floor", NumberRule{-limits::kMoney, true, limits::kMoney, true,
                                                 "an amount of money from -1e15 to 1e15"});
  r.finish();
  return floor;
}

}  // namespace tenure::reader
