// Counter-based random streams keyed by logical ids, never by thread.
//
// Every draw of a run is a pure function of (seed, path, stream, period, cell, index):
// Philox4x64-10 with key (seed, path) and counter (stream, period, cell, block). So
// results are bit-identical whatever the number of threads or the order in which paths
// run, and every policy of a run sees the same random worlds (common random numbers):
// the same (path, stream, period, cell) gives the same uniforms under every policy.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace tenure {

// The registry of stream ids. Each kind of random event has its own id so that adding a
// mechanism never shifts the numbers another mechanism sees. Ids must be unique (tested).
enum class Stream : std::uint64_t {
  acquisition = 1,          // paid-marketing new customers (Poisson)
  new_customer_mix = 2,     // tiers of new customers (multinomial)
  churn_and_migration = 3,  // per (segment, tenure) cell: churn, then the survivors' moves
  churn_classes = 5,        // split of customers over churn classes (period 0: initial ones)
  failures = 6,             // service failures per cell
  recovery = 7,             // recovery success per cell
  defection = 8,            // defection of unresolved failures per cell
  referrals = 9,            // customer referrals per tier
  intermediaries = 10,      // referrals from intermediary sources
  benchmark = 999,          // reserved for benchmarks and tests
};

inline constexpr std::array<Stream, 10> kAllStreams = {
    Stream::acquisition,   Stream::new_customer_mix, Stream::churn_and_migration,
    Stream::churn_classes, Stream::failures,         Stream::recovery,
    Stream::defection,     Stream::referrals,        Stream::intermediaries,
    Stream::benchmark};

// A stream of uniforms for one (seed, path, stream, period, cell). Cheap to construct
// (no state beyond two small arrays), so the kernel makes one per cell per period.
class RandomStream {
 public:
  using Generator = r123::Philox4x64;

  RandomStream(std::uint64_t seed, std::uint64_t path, Stream stream, std::uint64_t period,
               std::uint64_t cell)
      : key_{{seed, path}}, counter_{{static_cast<std::uint64_t>(stream), period, cell, 0}} {}

  // Next raw 64-bit word.
  std::uint64_t next_u64() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  // Uniform on the open interval (0, 1): 53 random bits, centred in their cell, so
  // log(u) and 1/u are always finite.
  double uniform() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

  // Number of Philox blocks generated so far (each gives four 64-bit words).
  std::uint64_t blocks() const { return counter_.v[3]; }

 private:
  void refill() {
    block_ = Generator()(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
  }

  Generator::key_type key_;
  Generator::ctr_type counter_;
  Generator::ctr_type block_{};
  int used_ = 4;
};

}  // namespace tenure
