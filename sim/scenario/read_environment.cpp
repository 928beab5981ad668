// The environment: scheduled shocks.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/scenario/sections.hpp"

namespace tenure::reader {

std::vector<Shock> read_shocks(Problems& problems, MapReader& top, std::optional<int> horizon) {
  std::vector<Shock> shocks;
  const auto list = top.item("shocks");
  if (!list) return shocks;
  const auto items = list_items(problems, *list, "shocks", false, limits::kShocks);
  if (!items) return shocks;
  for (const Item& item : *items) {
    MapReader r(problems, item, keys_of("shocks"));
    if (!r.valid()) continue;
    Shock shock;
    shock.name = r.optional_string("name", "");
    const IntegerRule from_rule =
        horizon ? between(1, static_cast<std::uint64_t>(*horizon))
                : IntegerRule{1, kMaxHorizon, "an integer from 1 to the horizon"};
    const auto from = r.required_integer("from", from_rule);
    shock.from_period = static_cast<int>(from.value_or(1));
    const std::uint64_t to_end =
        (horizon && from) ? static_cast<std::uint64_t>(*horizon - shock.from_period + 1) : 1;
    shock.periods =
        static_cast<int>(r.optional_integer("periods", between(1, kMaxHorizon), to_end));
    read_multiplier_keys(r, shock.multipliers);
    r.finish();
    shocks.push_back(std::move(shock));
  }
  return shocks;
}

}  // namespace tenure::reader
