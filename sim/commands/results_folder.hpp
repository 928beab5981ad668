// Where a command's results go, and what a user should know about the folder it replaces.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tenure {

// The folder asked for with --out, or results/<default_name>.
std::filesystem::path results_folder(const std::string& out, const std::string& default_name);

// The scenario file whose results `folder` holds now (from its summary.json), if any.
std::optional<std::string> results_source(const std::filesystem::path& folder);

// A note for the end of a run when its results replaced another scenario file's, which
// happens when a copied scenario keeps the original's name: "" when there is nothing to say.
std::string replaced_note(const std::optional<std::string>& previous_source,
                          const std::string& source, const std::filesystem::path& folder);

}  // namespace tenure
