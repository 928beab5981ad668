#include "sim/engine/metrics.hpp"

namespace tenure {

MetricLayout::MetricLayout(LayoutMembers members) : members_(std::move(members)) {
  members_.uses[static_cast<std::size_t>(Mechanism::always)] = true;
  declare_metrics();
  declare_series();
}

const std::vector<std::string>& MetricLayout::names(Members over) const {
  switch (over) {
    case Members::tiers:
      return members_.tiers;
    case Members::sources:
      return members_.sources;
    case Members::regimes:
      return members_.regimes;
  }
  return members_.tiers;
}

std::size_t MetricLayout::members(Members over) const {
  return names(over).size();
}

void MetricLayout::declare_metrics() {
  for (std::size_t i = 0; i < kMetricDecls.size(); ++i)
    if (members_.uses[static_cast<std::size_t>(kMetricDecls[i].needs)])
      metrics_.push_back({std::string(kMetricDecls[i].name), i});
  std::size_t next = kMetricDecls.size();
  for (std::size_t f = 0; f < kMetricFamilyDecls.size(); ++f) {
    metric_family_base_[f] = next;
    next += members(kMetricFamilyDecls[f].over);
  }
  metric_slots_ = next;
  auto report_family = [&](std::size_t f, std::size_t member) {
    const FamilyDecl& d = kMetricFamilyDecls[f];
    metrics_.push_back(
        {std::string(d.prefix) + names(d.over)[member], metric_family_base_[f] + member});
  };
  for (std::size_t f = 0; f < kMetricFamilyDecls.size(); ++f)
    if (kMetricFamilyDecls[f].over == Members::tiers)
      for (std::size_t member = 0; member < members(Members::tiers); ++member)
        report_family(f, member);
  for (std::size_t member = 0; member < members(Members::sources); ++member)
    for (std::size_t f = 0; f < kMetricFamilyDecls.size(); ++f)
      if (kMetricFamilyDecls[f].over == Members::sources) report_family(f, member);
  for (std::size_t f = 0; f < kMetricFamilyDecls.size(); ++f)
    if (kMetricFamilyDecls[f].over == Members::regimes)
      for (std::size_t member = 0; member < members(Members::regimes); ++member)
        report_family(f, member);
}

// Series families over tiers first, then the other series, then families over regimes.
void MetricLayout::declare_series() {
  std::size_t next = 0;
  auto families = [&](bool over_regimes) {
    for (std::size_t f = 0; f < kSeriesFamilyDecls.size(); ++f) {
      const FamilyDecl& d = kSeriesFamilyDecls[f];
      if ((d.over == Members::regimes) != over_regimes) continue;
      series_family_base_[f] = next;
      for (const std::string& name : names(d.over))
        series_.push_back({std::string(d.prefix) + name, next++});
    }
  };
  families(false);
  series_base_ = next;
  for (std::size_t i = 0; i < kSeriesDecls.size(); ++i)
    if (members_.uses[static_cast<std::size_t>(kSeriesDecls[i].needs)])
      series_.push_back({std::string(kSeriesDecls[i].name), series_base_ + i});
  next = series_base_ + kSeriesDecls.size();
  families(true);
  series_slots_ = next;
}

}  // namespace tenure
