// Counter-based random streams keyed by what a draw is about, never by thread or position.
//
// Every draw of a run is a pure function of (seed, world, mechanism, period, subject, index):
// Philox4x64-10 with key (seed, world) and a counter made of the mechanism and period, the
// subject (which tier or source, which tenure, which churn class) and a block number. So
// results are bit-identical whatever the number of threads or the order in which worlds
// run, and every policy of a run, every point of a sweep, sees the same random worlds
// (common random numbers): the same draw of the same world gets the same uniforms. Tiers
// and sources are identified by their names, not by their place in a list, so changing a
// half-life, the horizon or one tier's parameters leaves every other draw of a world alone.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace tenure {

// The registry of stream ids. Each kind of random event has its own id so that adding a
// mechanism never shifts the numbers another mechanism sees. Ids must be unique (tested).
enum class Stream : std::uint64_t {
  acquisition = 1,          // paid-marketing new customers (Poisson)
  new_customer_mix = 2,     // tiers of new customers (multinomial)
  churn_and_migration = 3,  // per segment, each tenure cell's churn, then its survivors' moves
  churn_classes = 5,        // split of customers over churn classes (period 0: initial ones)
  failures = 6,             // service failures, per segment, a word a cell
  recovery = 7,             // recovery success, per segment, a word a cell
  defection = 8,            // defection of unresolved failures, per segment, a word a cell
  referrals = 9,            // customer referrals per tier
  intermediaries = 10,      // referrals from intermediary sources
  inputs = 11,              // uncertain inputs, once per world (subject: the input's name)
  regimes = 12,             // the regime chain's moves, per period
  benchmark = 999,          // reserved for benchmarks and tests
};

inline constexpr std::array<Stream, 12> kAllStreams = {
    Stream::acquisition,   Stream::new_customer_mix, Stream::churn_and_migration,
    Stream::churn_classes, Stream::failures,         Stream::recovery,
    Stream::defection,     Stream::referrals,        Stream::intermediaries,
    Stream::inputs,        Stream::regimes,          Stream::benchmark};

// A stable 64-bit id of a name (FNV-1a), for tiers and intermediary sources: the same name
// gives the same id in every scenario, on every machine.
constexpr std::uint64_t stable_id(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// What a draw is about, beyond its mechanism and period.
struct Subject {
  std::uint64_t entity = 0;       // stable_id of the tier or source; 0 when none
  std::uint32_t tenure = 0;       // periods since acquisition, or kPooledTenure
  std::uint32_t churn_class = 0;  // the churn class within the tier
};
// The tenure of a cell that pools every tenure from some point on (at the loyalty floor),
// or that holds the customers a scenario starts with.
inline constexpr std::uint32_t kPooledTenure = 0xffffffffu;

// A stream of uniforms for one draw. Cheap to construct (no state beyond two small arrays),
// so the kernel makes one per cell per period.
class RandomStream {
 public:
  using Generator = r123::Philox4x64;

  // Periods fit in 48 bits and mechanisms in 16: the first counter word holds both.
  RandomStream(std::uint64_t seed, std::uint64_t world, Stream stream, std::uint64_t period,
               Subject subject = {})
      : key_{{seed, world}}, counter_(block_counter(counter(stream, period, subject))) {}

  // The counter of such a stream's first block; block b has b as its last word. The key is
  // (seed, world).
  static std::array<std::uint64_t, 4> counter(Stream stream, std::uint64_t period,
                                              Subject subject) {
    return {static_cast<std::uint64_t>(stream) << 48 | period, subject.entity,
            static_cast<std::uint64_t>(subject.tenure) << 32 | subject.churn_class, 0};
  }

  // Next raw 64-bit word.
  std::uint64_t next_u64() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  // Uniform on the open interval (0, 1): 52 random bits j, u = (2j + 1) 2^-53. Every value
  // is an exact double, never 0 or 1, and the set is symmetric: 1 - u is again one of them,
  // exactly, so a sampler may count failures at 1 - u without rounding. (A 53rd bit could
  // not be centred: (k + 1/2) 2^-53 is not a double above 1/2, and rounds to 1 at the top.)
  // 52 bits resolve probabilities to 2^-52, finer than the rounding of any computed one.
  // Complementing the word gives 1 - u.
  double uniform() { return to_uniform(next_u64()); }
  static constexpr double to_uniform(std::uint64_t word) {
    return static_cast<double>((word >> 11) | 1) * 0x1.0p-53;
  }

  // Number of Philox blocks generated so far (each gives four 64-bit words).
  std::uint64_t blocks() const { return counter_.v[3]; }

 private:
  static Generator::ctr_type block_counter(const std::array<std::uint64_t, 4>& words) {
    return {{words[0], words[1], words[2], words[3]}};
  }
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
