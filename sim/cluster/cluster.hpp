// The processes a run is spread over: one, or the ranks of an MPI job (docs/scaling.md).
// Every rank runs the same program on the same input and takes the same decisions; the worlds
// are shared out between them and their results exchanged, so every rank ends a run holding
// the results of all worlds, in world order, exactly as one process would. The engine sees
// only this interface; whether MPI is behind it is decided when the program is built.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace tenure {

// A contiguous range of worlds [first, last).
struct WorldRange {
  std::int64_t first = 0, last = 0;
  std::int64_t size() const { return last - first; }
};

// Rank `rank`'s share of `worlds` among `ranks`: contiguous, in rank order, sizes differing
// by at most one, so that the shares concatenated in rank order are the worlds in order.
WorldRange rank_share(WorldRange worlds, int rank, int ranks);

// Thrown on every rank when some rank failed: the message of the lowest failing rank.
class ClusterFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Cluster {
 public:
  // Joins the MPI job when the program was started by an MPI launcher (mpirun, srun), and
  // otherwise is a cluster of one process, without touching MPI at all.
  Cluster(int& argc, char**& argv);
  ~Cluster();  // leaves the MPI job
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  // The one rank that writes the result files and the terminal: rank 0.
  bool leader() const { return rank_ == 0; }
  // Whether this build can join an MPI job (Open MPI found when it was configured).
  static bool built_with_mpi();

  // This rank's share of `worlds` (rank_share).
  WorldRange share(WorldRange worlds) const { return rank_share(worlds, rank_, size_); }

  // Every rank's `mine`, concatenated in rank order; every rank receives the whole.
  std::vector<double> gather(std::span<const double> mine) const;
  // What this rank has received from gathers so far, in bytes, and in how many: the
  // communication a run costs (docs/scaling.md).
  std::uint64_t gathered_bytes() const { return gathered_bytes_; }
  std::uint64_t gathers() const { return gathers_; }
  // The sum over the ranks, the same on every rank.
  std::int64_t sum(std::int64_t mine) const;
  std::uint64_t sum(std::uint64_t mine) const;

  // Called by every rank after a stretch of work that may have failed on some ranks only
  // (`failure` empty where it did not): returns when no rank failed; otherwise throws on
  // every rank, so that they stop together instead of waiting for each other. A failing rank
  // rethrows its own exception; the others throw a ClusterFailure with the message of the
  // lowest failing rank.
  void settle(std::exception_ptr failure) const;

  // Runs `work` on every rank, then settles: for checks whose outcome may differ between
  // ranks (the memory each has), so that one rank's refusal stops them all.
  template <class Work>
  void on_every_rank(Work&& work) const {
    std::exception_ptr failure;
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
    settle(failure);
  }

  // Runs `work` on the leader only (checks of the results folder, writing files), then
  // settles, so that a failure there stops every rank.
  template <class Work>
  void on_leader(Work&& work) const {
    std::exception_ptr failure;
    if (leader()) try {
        work();
      } catch (...) {
        failure = std::current_exception();
      }
    settle(failure);
  }

 private:
  int rank_ = 0;
  int size_ = 1;
  bool joined_ = false;  // MPI was initialised by this object, and is finalised by it
  mutable std::uint64_t gathered_bytes_ = 0, gathers_ = 0;  // counts, not state of the run
};

}  // namespace tenure
