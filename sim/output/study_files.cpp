#include "sim/output/study_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/output/formatting.hpp"
#include "sim/output/result_files.hpp"

namespace tenure {

std::string sensitivity_csv(const Sensitivity& s) {
  std::string out = "input,policy,rank_corr_npv,rank_corr_difference,versus,npv_low,npv_high\n";
  for (const InputSensitivity& row : s.rows)
    out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(row.input), csv_field(row.policy),
                       number(row.rank_corr_npv),
                       row.rank_corr_difference ? number(*row.rank_corr_difference) : "",
                       csv_field(row.versus), number(row.npv_low), number(row.npv_high));
  return out;
}

nlohmann::ordered_json sensitivity_json(const Sensitivity& s) {
  nlohmann::ordered_json j;
  j["swing_worlds"] = s.swing_worlds;
  j["rows"] = nlohmann::ordered_json::array();
  for (const InputSensitivity& row : s.rows) {
    nlohmann::ordered_json r;
    r["input"] = row.input;
    r["policy"] = row.policy;
    r["rank_corr_npv"] = row.rank_corr_npv;
    r["rank_corr_difference"] =
        row.rank_corr_difference ? nlohmann::ordered_json(*row.rank_corr_difference) : nullptr;
    r["versus"] = row.versus;
    r["input_p10"] = row.input_low;
    r["input_p90"] = row.input_high;
    r["npv_low"] = row.npv_low;
    r["npv_high"] = row.npv_high;
    j["rows"].push_back(std::move(r));
  }
  return j;
}

std::string sensitivity_text(const Sensitivity& s, std::size_t most) {
  std::vector<const InputSensitivity*> best;  // rows of the best policy (no versus)
  std::vector<const InputSensitivity*> deciding;
  for (const InputSensitivity& row : s.rows)
    (row.rank_corr_difference ? deciding : best).push_back(&row);
  std::sort(best.begin(), best.end(), [](auto a, auto b) {
    return std::abs(a->npv_high - a->npv_low) > std::abs(b->npv_high - b->npv_low);
  });
  std::sort(deciding.begin(), deciding.end(), [](auto a, auto b) {
    return std::abs(*a->rank_corr_difference) > std::abs(*b->rank_corr_difference);
  });
  if (best.empty()) return "";
  std::string out = fmt::format(
      "\nwhat moves {}'s NPV most (each input at its 10th and 90th "
      "percentile, on the same {} worlds):\n",
      best.front()->policy, grouped(static_cast<double>(s.swing_worlds)));
  for (std::size_t i = 0; i < std::min(most, best.size()); ++i)
    out += fmt::format("  {}: {:.4g} to {:.4g}, NPV {} to {}\n", best[i]->input, best[i]->input_low,
                       best[i]->input_high, grouped(best[i]->npv_low), grouped(best[i]->npv_high));
  for (std::size_t i = 0; i < std::min(most, deciding.size()); ++i)
    out += fmt::format("  {} decides {} against {} most: rank correlation {:.2f} with the gap\n",
                       deciding[i]->input, deciding[i]->versus, deciding[i]->policy,
                       *deciding[i]->rank_corr_difference);
  return out;
}

std::string stress_json(const StressRequest& request, const std::string& policy,
                        const StressResult& result, const std::string& command) {
  nlohmann::ordered_json j;
  j["vary"] = request.vary;
  j["metric"] = request.figure.metric + "." + request.figure.statistic;
  j["policy"] = policy;
  j["limit"] = request.limit;
  j["found"] = result.found;
  auto or_null = [&](double x) {
    return result.found ? nlohmann::ordered_json(x) : nlohmann::ordered_json();
  };
  j["threshold"] = or_null(result.threshold);
  j["ci95_low"] = or_null(result.ci95_low);
  j["ci95_high"] = or_null(result.ci95_high);
  j["range"] = {request.low, request.high};
  j["worlds"] = request.worlds;
  j["seed"] = request.seed;
  j["run"] = run_record_json(command, request.seed, request.worlds);
  return j.dump(2) + "\n";
}

std::string stress_csv(const StressResult& result) {
  std::string out = "multiplier,value,se\n";
  for (const StressPoint& p : result.curve)
    out += fmt::format("{},{},{}\n", number(p.multiplier), number(p.value), number(p.se));
  return out;
}

std::string stress_text(const StressRequest& request, const std::string& policy,
                        const StressResult& result) {
  const std::string figure =
      fmt::format("{} of {} ({})", request.figure.statistic, request.figure.metric, policy);
  if (!result.found)
    return fmt::format(
        "{} does not cross {} for {} multiplied by {} to {} (the curve is in "
        "stress.csv)\n",
        figure, number(request.limit), request.vary, number(request.low), number(request.high));
  auto change = [](double x) { return fmt::format("{:+.1f}%", 100 * (x - 1)); };
  return fmt::format(
      "{} reaches {} when {} is multiplied by {:.4g} ({}; 95% CI {:.4g} to {:.4g}, {} to {})\n",
      figure, number(request.limit), request.vary, result.threshold, change(result.threshold),
      result.ci95_low, result.ci95_high, change(result.ci95_low), change(result.ci95_high));
}

}  // namespace tenure
