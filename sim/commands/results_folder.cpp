#include "sim/commands/results_folder.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace tenure {

std::filesystem::path results_folder(const std::string& out, const std::string& default_name) {
  return out.empty() ? std::filesystem::path("results") / default_name : std::filesystem::path(out);
}

std::optional<std::string> results_source(const std::filesystem::path& folder) {
  std::ifstream in(folder / "summary.json");
  if (!in) return std::nullopt;
  const auto summary = nlohmann::json::parse(in, nullptr, false);
  if (summary.is_discarded() || !summary.contains("source_file") ||
      !summary["source_file"].is_string())
    return std::nullopt;
  return summary["source_file"].get<std::string>();
}

std::string replaced_note(const std::optional<std::string>& previous_source,
                          const std::string& source, const std::filesystem::path& folder) {
  if (!previous_source || *previous_source == source) return "";
  std::error_code error;
  if (std::filesystem::equivalent(*previous_source, source, error)) return "";
  return fmt::format(
      "note: {}/ held the results of {}, now replaced: a results folder is named after the "
      "scenario's name:, not its file; give a copied scenario its own name or use --out to "
      "keep both\n",
      folder.string(), *previous_source);
}

}  // namespace tenure
