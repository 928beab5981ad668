// The metric layout: every figure declared once, with a slot of its own.
#include <gtest/gtest.h>

#include <set>

#include "sim/engine/metrics.hpp"
#include "sim/engine/model.hpp"
#include "sim/scenario/scenario.hpp"

namespace tenure {
namespace {

LayoutMembers two_tiers_two_sources(bool with_service) {
  LayoutMembers members;
  members.tiers = {"gold", "iron"};
  members.sources = {"agents", "staff"};
  members.uses[static_cast<std::size_t>(Mechanism::service)] = with_service;
  members.uses[static_cast<std::size_t>(Mechanism::intermediaries)] = true;
  return members;
}

TEST(MetricLayout, EverySlotIsDistinctAndInRange) {
  const MetricLayout layout(two_tiers_two_sources(true));
  std::set<std::size_t> metric_slots, series_slots;
  std::set<std::string> names;
  for (const ReportedSlot& figure : layout.reported_metrics()) {
    EXPECT_LT(figure.slot, layout.metric_slots()) << figure.name;
    EXPECT_TRUE(metric_slots.insert(figure.slot).second) << figure.name;
    EXPECT_TRUE(names.insert(figure.name).second) << figure.name;
  }
  for (const ReportedSlot& figure : layout.reported_series()) {
    EXPECT_LT(figure.slot, layout.series_slots()) << figure.name;
    EXPECT_TRUE(series_slots.insert(figure.slot).second) << figure.name;
  }
  EXPECT_EQ(layout.slot(metric_family("npv_"), 1), layout.slot(metric_family("npv_"), 0) + 1);
}

TEST(MetricLayout, ReportsOnlyTheMechanismsInUseInDeclaredOrder) {
  const MetricLayout without(two_tiers_two_sources(false));
  std::vector<std::string> names;
  for (const ReportedSlot& figure : without.reported_metrics()) names.push_back(figure.name);
  const std::vector<std::string> expected = {"npv",
                                             "profit",
                                             "customers_end",
                                             "acquired",
                                             "churned",
                                             "cash_trough",
                                             "acquisition_spend",
                                             "retention_spend",
                                             "equity_end",
                                             "npv_with_equity",
                                             "intermediary_won",
                                             "commissions",
                                             "customers_end_gold",
                                             "customers_end_iron",
                                             "npv_gold",
                                             "npv_iron",
                                             "won_agents",
                                             "commission_agents",
                                             "won_staff",
                                             "commission_staff"};
  EXPECT_EQ(names, expected);
  std::vector<std::string> series;
  for (const ReportedSlot& figure : without.reported_series()) series.push_back(figure.name);
  EXPECT_EQ(series, (std::vector<std::string>{"customers_gold", "customers_iron", "customers",
                                              "cash_cumulative"}));
  const MetricLayout with(two_tiers_two_sources(true));
  EXPECT_EQ(with.reported_metrics().size(), without.reported_metrics().size() + 4);
}

TEST(MetricLayout, FoldsAsDeclared) {
  double sum = 1.0, discounted = 1.0, minimum = 0.0, last = 5.0;
  fold_into(sum, Fold::sum, 2.0, 0.5);
  fold_into(discounted, Fold::discounted_sum, 2.0, 0.5);
  fold_into(minimum, Fold::minimum, 3.0, 0.5);
  fold_into(last, Fold::last, 7.0, 0.5);
  EXPECT_EQ(sum, 3.0);
  EXPECT_EQ(discounted, 2.0);
  EXPECT_EQ(minimum, 0.0);  // counting 0 before period 1
  EXPECT_EQ(last, 7.0);
  fold_into(minimum, Fold::minimum, -4.0, 0.5);
  EXPECT_EQ(minimum, -4.0);
}

}  // namespace
}  // namespace tenure
