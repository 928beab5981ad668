// The sections of a scenario file: what each reader checks and fills. Private to the
// scenario layer; the public entry points are in scenario_yaml.hpp.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace tenure::reader {

inline constexpr double kMixTolerance = 1e-9;     // new_customer_mix must sum to 1 within this
inline constexpr double kShareTolerance = 1e-12;  // shares and move probabilities: sum <= 1 + this
inline constexpr std::uint64_t kMaxHorizon = limits::kHorizon;
inline const NumberRule kConcentration{0.0, false, 1e6, true, "a number > 0 and at most 1e6"};

// The keys each map of the format allows, by section. docs/scenario-format.md documents
// each section in a table of exactly these keys (a test holds the two together).
struct KeyTable {
  std::string section;  // as marked in the documentation: <!-- keys: section -->
  std::vector<std::string> keys;
};
const std::vector<KeyTable>& key_tables();
// The keys of one section; the section must be one of key_tables().
const std::vector<std::string>& keys_of(std::string_view section);

// ---------------------------------------------------------------------------------------
// Tier names, used as keys in moves, new_customer_mix and retention_weights.

struct TierNames {
  std::vector<std::string> names;  // one per tier item, in order ("" if it had no usable name)
  std::map<std::string, int> index;
  bool complete = false;  // every tier has a usable name: only then are unknown names reported

  int size() const { return static_cast<int>(names.size()); }

  // The distinct names, in order, for suggestions and messages.
  std::vector<std::string> distinct() const {
    std::vector<std::string> out;
    for (const auto& name : names)
      if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
        out.push_back(name);
    return out;
  }
};

// A value of a tier-keyed map, resolved to its tier index.
struct TierValue {
  int tier = 0;
  double value = 0.0;
  YAML::Mark key_mark;
  std::string path;
};

struct TierMap {
  std::vector<TierValue> values;
  bool all_valid = true;  // every key resolved and every value in range
};

// Reads a map from tier name to number, e.g. {gold: 0.01, iron: 0.02}.
std::optional<TierMap> read_tier_map(Problems& problems, const Item& item, const TierNames& tiers,
                                     const NumberRule& rule);

// A per-tier number: one number for every tier, or a map from tier name to number (tiers
// not named get `fallback`).
std::vector<double> read_per_tier(Problems& problems, const Item& item, const TierNames& tiers,
                                  const NumberRule& rule, double fallback);

// The corners of the box a few variables span: every combination of each one's min and max.
// A condition linear in the variables (shares adding up to at most 1, steps in order) holds
// over the whole box when it holds at every corner.
class Corners {
 public:
  explicit Corners(std::vector<const DeclaredVariable*> variables) {
    for (const DeclaredVariable* v : variables)
      if (v != nullptr && std::find(variables_.begin(), variables_.end(), v) == variables_.end())
        variables_.push_back(v);
  }
  std::size_t count() const { return std::size_t{1} << variables_.size(); }
  // The value at `corner` of `v` (one of the variables), or `fixed` when v is none.
  double value(std::size_t corner, const DeclaredVariable* v, double fixed) const {
    for (std::size_t i = 0; i < variables_.size(); ++i)
      if (variables_[i] == v) return (corner >> i & 1) ? v->max : v->min;
    return fixed;
  }
  // " at a = 1 (its max) and b = 0 (its min)"; "" without variables.
  std::string describe(std::size_t corner) const {
    std::vector<std::string> at;
    for (std::size_t i = 0; i < variables_.size(); ++i)
      at.push_back(fmt::format("{} = {} (its {})", variables_[i]->name,
                               format_sum(value(corner, variables_[i], 0.0)),
                               (corner >> i & 1) ? "max" : "min"));
    return at.empty() ? "" : " at " + join(at, " and ");
  }

 private:
  std::vector<const DeclaredVariable*> variables_;
};

// ---------------------------------------------------------------------------------------
// The section readers, one per top-level key (read_tiers.cpp, read_marketing.cpp,
// read_policies.cpp, read_relationships.cpp, read_environment.cpp).

TierNames read_tiers(Problems& problems, MapReader& top, Scenario& s);

std::optional<Loyalty> read_loyalty(Problems& problems, MapReader& top);

// Needs the tiers, whose own concentrations it completes.
std::optional<Heterogeneity> read_heterogeneity(Problems& problems, MapReader& top,
                                                const std::vector<Tier>& tiers);

Budget read_budget(Problems& problems, MapReader& top);

std::optional<Acquisition> read_acquisition(Problems& problems, MapReader& top,
                                            const TierNames& tiers);

// {max_uplift, scale} of a saturating uplift 1 + max_uplift (1 - exp(-spend / scale)).
std::pair<double, double> read_uplift(Problems& problems, const Item& item);

std::optional<RetentionResponse> read_retention(Problems& problems, MapReader& top,
                                                std::optional<UpgradeResponse>& upgrade);

// What the policies need to know about the rest of the scenario.
struct PolicyContext {
  const TierNames& tiers;
  bool has_acquisition = false;
  bool has_retention = false;
  bool has_service = false;
  bool has_referrals = false;
  std::optional<int> horizon;         // when valid
  bool has_referral_program = false;  // referrals.program says what programme spend does
};

std::vector<Policy> read_policies(Problems& problems, MapReader& top, const PolicyContext& context);

std::optional<double> read_market(Problems& problems, MapReader& top);

std::optional<Service> read_service(Problems& problems, MapReader& top, const TierNames& tiers);

std::optional<WordOfMouth> read_word_of_mouth(Problems& problems, MapReader& top);

std::optional<CustomerReferrals> read_referrals(Problems& problems, MapReader& top,
                                                const TierNames& tiers);

// Whether referrals (when given as a map) has a program; a broken section counts as having
// one, so its own problems are not followed by a second, derived one.
bool has_referral_program(MapReader& top);

std::vector<Intermediary> read_intermediaries(Problems& problems, MapReader& top);

// read_uncertainty.cpp: the numbers given as distributions become the scenario's inputs
// (named by their places), then their correlations; the regime chain; the risk settings.
void read_inputs(Problems& problems, Scenario& s);
std::vector<InputCorrelation> read_correlations(Problems& problems, MapReader& top,
                                                const std::vector<UncertainInput>& inputs);
std::optional<Regimes> read_regimes(Problems& problems, MapReader& top);
std::optional<double> read_risk(Problems& problems, MapReader& top);

std::vector<Shock> read_shocks(Problems& problems, MapReader& top, std::optional<int> horizon);

// The multiplier keys a shock and a regime share (budget, churn, acquisition, margin, costs;
// each 1 when absent).
inline void read_multiplier_keys(MapReader& r, Multipliers& into) {
  for_each_multiplier(into, [&](const char* key, double& multiplier) {
    multiplier = r.optional_number(key, kMultiplier, 1.0);
  });
}

// read_variables.cpp: the variables declared (read first, so that $name can be read anywhere
// after), then, once every section is read, the places their uses set, into s.variables.
void read_variables(Problems& problems, MapReader& top);
void read_variable_places(Problems& problems, Scenario& s);

}  // namespace tenure::reader
