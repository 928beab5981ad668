// The files of the studies run on top of a simulation: sensitivity.csv (and its section of
// summary.json), and later sweep, optimisation and stress results.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/studies/sensitivity.hpp"
#include "sim/studies/stress.hpp"

namespace tenure {

// input,policy,rank_corr_npv,rank_corr_difference,versus,npv_low,npv_high
std::string sensitivity_csv(const Sensitivity& sensitivity);
nlohmann::ordered_json sensitivity_json(const Sensitivity& sensitivity);

// The inputs that move the best policy's NPV most (the widest swings) and those whose rank
// correlation with its lead over each other policy is strongest: a few lines for a terminal.
std::string sensitivity_text(const Sensitivity& sensitivity, std::size_t most = 3);

// stress.json: vary, metric, policy, limit, threshold, ci95_low, ci95_high, found, and the
// range and worlds; stress.csv: multiplier,value,se of every multiplier tried.
// `command`: the command line that reproduces it.
std::string stress_json(const StressRequest& request, const std::string& policy,
                        const StressResult& result, const std::string& command);
std::string stress_csv(const StressResult& result);
// "prob_negative of npv reaches 0.5 when costs is multiplied by 1.25 (+25%; 95% CI ...)".
std::string stress_text(const StressRequest& request, const std::string& policy,
                        const StressResult& result);

}  // namespace tenure
