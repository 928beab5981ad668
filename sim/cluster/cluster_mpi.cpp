// The cluster of a build with MPI (Open MPI's C interface). Only the main thread calls MPI;
// oneTBB's workers never do, which is what MPI_THREAD_FUNNELED promises.
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <numeric>
#include <string>

#include "sim/cluster/cluster.hpp"

namespace tenure {

namespace {

// Whether an MPI launcher started this process: Open MPI's mpirun, or a PMI/PMIx launcher
// such as Slurm's srun. Started any other way the program stays a single process and never
// initialises MPI, which would otherwise cost a third of a second and need a working MPI
// runtime even for a run on a laptop.
bool launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(variable) != nullptr) return true;
  return false;
}

std::string message_of(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "an unknown error";
  }
}

}  // namespace

Cluster::Cluster(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  joined_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Cluster::~Cluster() {
  if (joined_) MPI_Finalize();
}

bool Cluster::built_with_mpi() {
  return true;
}

std::vector<double> Cluster::gather(std::span<const double> mine) const {
  if (size_ == 1) return {mine.begin(), mine.end()};
  // MPI-3 counts are ints: the callers exchange worlds in rounds small enough for that.
  if (mine.size() > static_cast<std::size_t>(INT_MAX) / static_cast<std::size_t>(size_))
    throw std::length_error("too many values to exchange between ranks at once");
  const int count = static_cast<int>(mine.size());
  std::vector<int> counts(static_cast<std::size_t>(size_)), offsets(counts.size());
  MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  std::exclusive_scan(counts.begin(), counts.end(), offsets.begin(), 0);
  std::vector<double> all(static_cast<std::size_t>(offsets.back() + counts.back()));
  MPI_Allgatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                 MPI_DOUBLE, MPI_COMM_WORLD);
  gathered_bytes_ += all.size() * sizeof(double);
  ++gathers_;
  return all;
}

std::int64_t Cluster::sum(std::int64_t mine) const {
  std::int64_t total = mine;
  if (size_ > 1) MPI_Allreduce(&mine, &total, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

std::uint64_t Cluster::sum(std::uint64_t mine) const {
  std::uint64_t total = mine;
  if (size_ > 1) MPI_Allreduce(&mine, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

void Cluster::settle(std::exception_ptr failure) const {
  if (size_ == 1) {
    if (failure) std::rethrow_exception(failure);
    return;
  }
  const int mine = failure ? rank_ : size_;
  int first_failed = size_;
  MPI_Allreduce(&mine, &first_failed, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first_failed == size_) return;
  std::string message = rank_ == first_failed ? message_of(failure) : std::string();
  int length = static_cast<int>(std::min<std::size_t>(message.size(), 4096));
  MPI_Bcast(&length, 1, MPI_INT, first_failed, MPI_COMM_WORLD);
  message.resize(static_cast<std::size_t>(length));
  MPI_Bcast(message.data(), length, MPI_CHAR, first_failed, MPI_COMM_WORLD);
  if (failure) std::rethrow_exception(failure);
  throw ClusterFailure(first_failed == 0 ? message
                                         : "rank " + std::to_string(first_failed) + ": " + message);
}

}  // namespace tenure
