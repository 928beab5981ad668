#include "sim/commands/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "sim/output/formatting.hpp"

namespace tenure {

namespace {

constexpr double kTerminalInterval = 0.1;  // seconds between redraws of the bar
constexpr double kLogInterval = 5.0;       // seconds between lines in a log
constexpr int kBarWidth = 30;

}  // namespace

std::string clock_text(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  if (total >= 3600)
    return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

ProgressDisplay::ProgressDisplay(bool quiet, std::string what)
    : quiet_(quiet),
      terminal_(::isatty(::fileno(stderr)) != 0),
      what_(std::move(what)),
      start_(std::chrono::steady_clock::now()),
      last_shown_(start_) {}

ProgressDisplay::~ProgressDisplay() {
  if (shown_ && terminal_) std::fprintf(stderr, "\r%*s\r", kBarWidth + 60, "");
}

Progress ProgressDisplay::callback() {
  if (quiet_) return {};
  return [this](std::int64_t done, std::int64_t total) { show(done, total); };
}

void ProgressDisplay::show(std::int64_t done, std::int64_t total) {
  const auto now = std::chrono::steady_clock::now();
  const double since_shown = std::chrono::duration<double>(now - last_shown_).count();
  if (since_shown < (terminal_ ? kTerminalInterval : kLogInterval) && done < total) return;
  last_shown_ = now;
  shown_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  if (terminal_) {
    const int filled = static_cast<int>(share * kBarWidth);
    std::fprintf(stderr, "\r  [%s%s] %5.1f%%  %s %s/s  %s left ", std::string(filled, '#').c_str(),
                 std::string(kBarWidth - filled, '-').c_str(), 100.0 * share, grouped(rate).c_str(),
                 what_.c_str(), clock_text(left).c_str());
  } else {
    std::fprintf(stderr, "  simulated %s / %s %s (%.0f%%), %s %s/s, about %s left\n",
                 grouped(static_cast<double>(done)).c_str(),
                 grouped(static_cast<double>(total)).c_str(), what_.c_str(), 100.0 * share,
                 grouped(rate).c_str(), what_.c_str(), clock_text(left).c_str());
  }
  std::fflush(stderr);
}

}  // namespace tenure
