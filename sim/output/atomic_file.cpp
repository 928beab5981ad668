#include "sim/output/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace tenure {

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  // The temporary name carries the process id so two runs writing the same folder do not
  // trample each other's temporary files.
  const std::filesystem::path temporary =
      path.parent_path() / fmt::format(".{}.{}.tmp", path.filename().string(), ::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr)
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", temporary.string(), std::strerror(errno)));
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  if (!written || !flushed || !closed) {
    const int error = errno;
    std::filesystem::remove(temporary);
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", path.string(), std::strerror(error)));
  }
  std::error_code rename_error;
  std::filesystem::rename(temporary, path, rename_error);
  if (rename_error) {
    std::filesystem::remove(temporary);
    throw std::runtime_error(
        fmt::format("cannot replace {}: {}", path.string(), rename_error.message()));
  }
}

}  // namespace tenure
