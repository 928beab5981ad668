#include "sim/output/result_set.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace tenure {

namespace fs = std::filesystem;

namespace {

std::string reason(int error) {
  return std::strerror(error);
}

// The parent folder of a results folder ("." when it has none).
fs::path parent_of(const fs::path& folder) {
  const fs::path parent = folder.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Temporary folders are named .<name>.tenure-<pid>-XXXXXX, so leftovers of a process that
// was killed outright can be recognised and removed by a later run.
std::string temporary_prefix(const fs::path& folder) {
  return fmt::format(".{}.tenure-", folder.filename().string());
}

void remove_leftovers(const fs::path& folder) {
  const std::string prefix = temporary_prefix(folder);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(parent_of(folder), error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      fs::remove_all(entry.path(), error);
  }
}

void fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void write_file(const fs::path& path, const std::string& contents) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr)
    throw OutputError(fmt::format("cannot write {}: {}", path.string(), reason(errno)));
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const int error = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written || !flushed || !closed)
    throw OutputError(fmt::format("cannot write {}: {}", path.string(), reason(error)));
}

void write_streamed(const fs::path& path, const ResultSet::Writer& writer) {
  {
    std::ofstream out(path, std::ios::binary);
    if (out) writer(out);
    out.flush();
    if (!out) throw OutputError(fmt::format("cannot write {}: {}", path.string(), reason(errno)));
  }
  const int fd = ::open(path.c_str(), O_RDONLY);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced) throw OutputError(fmt::format("cannot write {}: {}", path.string(), reason(errno)));
}

// Puts the new folder in place of the target: a plain rename when there is no target, an
// atomic exchange when there is (the old set then sits in the temporary folder). Returns
// whether an old set now needs removing.
bool swap_into_place(const fs::path& fresh, const fs::path& folder) {
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, folder.c_str(), RENAME_NOREPLACE) == 0)
    return false;
  if (errno != EEXIST && errno != ENOTEMPTY && errno != EINVAL)
    throw OutputError(fmt::format("cannot create {}: {}", folder.string(), reason(errno)));
  if (!fs::is_directory(folder))
    throw OutputError(fmt::format("{} exists and is not a folder", folder.string()));
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, folder.c_str(), RENAME_EXCHANGE) == 0)
    return true;
  throw OutputError(
      fmt::format("cannot replace the results in {}: {}", folder.string(), reason(errno)));
}

// While the set is being put in place, the usual terminating signals are noted and delivered
// afterwards, so the folder is never left between two sets.
class DeferredSignals {
 public:
  DeferredSignals() {
    pending() = 0;
    struct sigaction deferring {};
    deferring.sa_handler = [](int signal) { pending() = signal; };
    sigemptyset(&deferring.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      ::sigaction(kSignals[i], &deferring, &previous_[i]);
  }
  ~DeferredSignals() {
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      ::sigaction(kSignals[i], &previous_[i], nullptr);
    if (const int signal = pending(); signal != 0) std::raise(signal);
  }
  DeferredSignals(const DeferredSignals&) = delete;
  DeferredSignals& operator=(const DeferredSignals&) = delete;

 private:
  static constexpr std::array<int, 4> kSignals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  static volatile std::sig_atomic_t& pending() {
    static volatile std::sig_atomic_t signal = 0;
    return signal;
  }
  std::array<struct sigaction, kSignals.size()> previous_{};
};

}  // namespace

void check_output_folder(const fs::path& folder) {
  std::error_code error;
  if (fs::exists(folder, error) && !fs::is_directory(folder, error))
    throw OutputError(
        fmt::format("cannot write results to {}: it exists and is not a folder", folder.string()));
  const fs::path parent = parent_of(folder);
  fs::create_directories(parent, error);
  if (error)
    throw OutputError(
        fmt::format("cannot write results to {}: {}", folder.string(), error.message()));
  // The set is written beside the folder first: try it now rather than after the run.
  std::string probe =
      (parent / (temporary_prefix(folder) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(probe.data()) == nullptr)
    throw OutputError(
        fmt::format("cannot write results to {}: {}", folder.string(), reason(errno)));
  ::rmdir(probe.c_str());
}

void ResultSet::add(std::string name, std::string contents) {
  files_.emplace_back(std::move(name), std::move(contents));
}

void ResultSet::add_streamed(std::string name, Writer writer) {
  streamed_.emplace_back(std::move(name), std::move(writer));
}

const std::string& ResultSet::text(const std::string& name) const {
  for (const auto& [file, contents] : files_)
    if (file == name) return contents;
  throw std::out_of_range("no result file " + name);
}

void ResultSet::commit() const {
  const DeferredSignals deferred;
  check_output_folder(folder_);
  remove_leftovers(folder_);
  std::string fresh =
      (parent_of(folder_) / (temporary_prefix(folder_) + std::to_string(::getpid()) + "-XXXXXX"))
          .string();
  if (::mkdtemp(fresh.data()) == nullptr)
    throw OutputError(
        fmt::format("cannot write results to {}: {}", folder_.string(), reason(errno)));
  try {
    // mkdtemp makes the folder private; results are ordinary files, so give it the usual mode.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(fresh.c_str(), 0777 & ~mask);
    for (const auto& [name, contents] : files_) write_file(fs::path(fresh) / name, contents);
    for (const auto& [name, writer] : streamed_) write_streamed(fs::path(fresh) / name, writer);
    fsync_path(fresh);
    const bool replaced = swap_into_place(fresh, folder_);
    fsync_path(parent_of(folder_));
    if (replaced) {  // the old set, now in the temporary folder; the new one is in place
      std::error_code ignored;
      fs::remove_all(fresh, ignored);
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(fresh, ignored);
    throw;
  }
}

}  // namespace tenure
