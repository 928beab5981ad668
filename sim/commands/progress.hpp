// Progress on stderr while worlds are simulated: a bar with the share done, worlds per second
// and the time left when stderr is a terminal; a plain line every few seconds when it is not
// (logs); nothing when quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sim/engine/runner.hpp"

namespace tenure {

class ProgressDisplay {
 public:
  ProgressDisplay(bool quiet, std::string what);  // what: "worlds", "points"...
  ~ProgressDisplay();                             // clears the bar

  // The callback for Simulation::run_paths; counts `done` of `total`.
  Progress callback();

  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

 private:
  void show(std::int64_t done, std::int64_t total);

  bool quiet_, terminal_;
  std::string what_;
  std::chrono::steady_clock::time_point start_, last_shown_;
  bool shown_ = false;
};

// "1:05" for 65 seconds, "2:03:04" beyond an hour.
std::string clock_text(double seconds);

}  // namespace tenure
