// Writes that never leave half a file behind and never replace a good file with a bad one.
#pragma once

#include <filesystem>
#include <string_view>

namespace tenure {

// Writes `contents` to a temporary file beside `path`, flushes it, then renames it over
// `path` (atomic on POSIX file systems). Throws std::runtime_error on failure, leaving any
// existing file at `path` untouched.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace tenure
