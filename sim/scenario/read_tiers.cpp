// The tiers of the customer pyramid, loyalty with tenure and heterogeneity of churn.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

namespace {

// The first scalar `name` of a map, without any reporting (used to learn tier names early).
std::optional<std::string> peek_name(const YAML::Node& node) {
  if (!node.IsMap()) return std::nullopt;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar() || key.Scalar() != "name") continue;
    if (!value.IsScalar() || value.Scalar().empty()) return std::nullopt;
    return value.Scalar();
  }
  return std::nullopt;
}

}  // namespace

// Reads a map from tier name to number, e.g. {gold: 0.01, iron: 0.02}.
std::optional<TierMap> read_tier_map(Problems& problems, const Item& item, const TierNames& tiers,
                                     const NumberRule& rule) {
  if (!item.node.IsMap()) {
    problems.add(item.mark, fmt::format("{} must be a map from tier name to {}, got {}", item.path,
                                        rule.text, describe(item.node)));
    return std::nullopt;
  }
  TierMap result;
  const std::size_t before = problems.count();
  for (const Entry& entry : map_entries(problems, item.node, item.path)) {
    const auto found = tiers.index.find(entry.key);
    if (found == tiers.index.end()) {
      result.all_valid = false;
      if (tiers.complete)
        problems.add(
            entry.key_mark,
            fmt::format("unknown tier '{}' in {}{} (tiers: {})", entry.key, item.path,
                        did_you_mean(entry.key, tiers.distinct()), join(tiers.distinct())));
      continue;
    }
    const auto value = read_quantity(problems, entry.item(), rule);
    if (value)
      result.values.push_back(TierValue{found->second, *value, entry.key_mark, entry.path});
  }
  if (problems.count() != before) result.all_valid = false;
  return result;
}

// A per-tier number: one number for every tier, or a map from tier name to number (tiers
// not named get `fallback`).
std::vector<double> read_per_tier(Problems& problems, const Item& item, const TierNames& tiers,
                                  const NumberRule& rule, double fallback) {
  std::vector<double> values(tiers.size(), fallback);
  if (!item.node.IsMap() || item.node["dist"]) {  // one number, or one distribution, for all
    if (const auto value = read_quantity(problems, item, rule)) values.assign(tiers.size(), *value);
    return values;
  }
  if (const auto map = read_tier_map(problems, item, tiers, rule))
    for (const TierValue& v : map->values) values[v.tier] = v.value;
  return values;
}

namespace {

void read_moves(Problems& problems, const Item& moves, const TierNames& names, int tier_index,
                Tier& tier) {
  const auto map = read_tier_map(problems, moves, names, kProbability);
  if (!map) return;
  double sum = 0.0;
  bool sum_valid = map->all_valid;
  for (const TierValue& move : map->values) {
    if (move.tier == tier_index) {
      problems.add(move.key_mark,
                   fmt::format("{}: a tier cannot move to itself (customers who do not move "
                               "stay in their tier); remove this entry",
                               move.path));
      sum_valid = false;
      continue;
    }
    sum += move.value;
    tier.moves.push_back(Move{move.tier, move.value});
  }
  if (sum_valid && sum > 1.0 + kShareTolerance)
    problems.add(moves.mark, fmt::format("{}: the move probabilities add up to {}; they can add "
                                         "up to at most 1",
                                         moves.path, format_sum(sum)));
}

const IntegerRule kCustomersRule{0, static_cast<std::uint64_t>(limits::kCustomers),
                                 "a whole number of customers from 0 to 1e15"};
const IntegerRule kTenureRule{0, static_cast<std::uint64_t>(limits::kHorizon),
                              "a whole number of periods from 0 to 10000"};

// initial_customers: a number (of tenure initial_tenure), or a list of {tenure, customers}.
void read_initial_customers(Problems& problems, MapReader& t, Tier& tier) {
  const auto given = t.item("initial_customers");
  if (given && given->node.IsSequence()) {
    const auto cohorts = list_items(problems, *given, "cohort", false);
    for (const Item& item : cohorts.value_or(std::vector<Item>{})) {
      MapReader c(problems, item, keys_of("tiers.initial_customers"));
      const auto tenure = c.required_integer("tenure", kTenureRule);
      const auto customers = c.required_integer("customers", kCustomersRule);
      c.finish();
      if (tenure && customers)
        tier.cohorts.push_back({static_cast<int>(*tenure), static_cast<std::int64_t>(*customers)});
    }
    t.reject("initial_tenure",
             fmt::format("{}: initial_tenure is for initial_customers given as one number; a "
                         "list gives each cohort's tenure",
                         child_path(t.path(), "initial_tenure")));
    return;
  }
  if (given)
    tier.initial_customers =
        static_cast<std::int64_t>(read_integer(problems, *given, kCustomersRule).value_or(0));
  if (t.has("initial_tenure"))
    tier.initial_tenure = static_cast<int>(t.optional_integer("initial_tenure", kTenureRule, 0));
}

Tier read_tier(Problems& problems, const Item& item, int index, const TierNames& names,
               UniqueNames& unique) {
  MapReader t(problems, item, keys_of("tiers"));
  Tier tier;
  if (!t.valid()) return tier;
  if (const auto name = t.required_name("name")) {
    tier.name = *name;
    unique.check(problems, *name, item.path, t.item("name")->mark);
  }
  read_initial_customers(problems, t, tier);
  tier.margin = t.required_money("margin").value_or(0.0);
  tier.cost_to_serve = t.optional_money("cost_to_serve", 0.0);
  tier.churn = t.required_probability("churn").value_or(0.0);
  tier.margin_growth = t.optional_number("margin_growth", kGrowth, 0.0);
  if (t.has("concentration"))
    tier.concentration = t.optional_number("concentration", kConcentration, 1.0);
  if (const auto moves = t.item("moves")) read_moves(problems, *moves, names, index, tier);
  t.finish();
  return tier;
}

}  // namespace

TierNames read_tiers(Problems& problems, MapReader& top, Scenario& s) {
  TierNames names;
  const auto list = top.require("tiers", "a non-empty list of customer tiers, best first");
  if (!list) return names;
  const auto items = list_items(problems, *list, "tier", true, limits::kTiers);
  if (!items) return names;

  // First pass, quietly: names, so that moves can point at tiers listed later.
  names.complete = true;
  for (const Item& item : *items) {
    const auto name = peek_name(item.node);
    names.names.push_back(name.value_or(""));
    if (!name) names.complete = false;
    if (name) names.index.emplace(*name, static_cast<int>(names.names.size()) - 1);
  }
  UniqueNames unique("tier", true);
  for (std::size_t i = 0; i < items->size(); ++i)
    s.tiers.push_back(read_tier(problems, (*items)[i], static_cast<int>(i), names, unique));
  return names;
}

std::optional<Loyalty> read_loyalty(Problems& problems, MapReader& top) {
  const auto item = top.item("loyalty");
  if (!item) return std::nullopt;
  MapReader r(problems, *item, keys_of("loyalty"));
  Loyalty loyalty;
  loyalty.floor = r.required_probability("floor").value_or(1.0);
  loyalty.half_life = r.required_number("half_life", kPositive).value_or(1.0);
  r.finish();
  return loyalty;
}

std::optional<Heterogeneity> read_heterogeneity(Problems& problems, MapReader& top,
                                                const std::vector<Tier>& tiers) {
  const auto item = top.item("heterogeneity");
  if (!item) {
    for (std::size_t i = 0; i < tiers.size(); ++i)
      if (tiers[i].concentration)
        problems.add(top.key_mark("tiers"),
                     fmt::format("tiers[{}].concentration needs a 'heterogeneity' section (it "
                                 "says how churn varies within the tier)",
                                 i));
    return std::nullopt;
  }
  Heterogeneity h;
  MapReader r(problems, *item, keys_of("heterogeneity"));
  if (const auto classes = r.item("classes");
      classes && !(classes->node.IsScalar() && classes->node.Scalar() == "auto"))
    h.classes = static_cast<int>(
        read_integer(problems, *classes,
                     IntegerRule{1, static_cast<std::uint64_t>(limits::kChurnClasses),
                                 "auto, or an integer from 1 to 20"})
            .value_or(1));
  h.concentration = std::nullopt;
  if (r.has("concentration"))
    h.concentration = r.optional_number("concentration", kConcentration, 1.0);
  h.tolerance = r.optional_number(
      "tolerance", NumberRule{0.0, false, 0.5, true, "a relative error > 0 and at most 0.5"},
      0.001);
  std::vector<std::string> without;
  for (const Tier& tier : tiers)
    if (!tier.concentration) without.push_back(tier.name);
  if (!h.concentration && !without.empty() && r.valid())
    problems.add(r.mark(), fmt::format("heterogeneity is missing required key 'concentration' "
                                       "(a number > 0 and at most 1e6: the default for tiers "
                                       "without their own; tiers without one: {})",
                                       join(without)));
  r.finish();
  return h;
}

}  // namespace tenure::reader
