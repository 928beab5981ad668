// The cluster of a build without MPI: this process alone.
#include <cstdlib>
#include <string>

#include "sim/cluster/cluster.hpp"

namespace tenure {

namespace {

// The number of processes an MPI launcher started, as Open MPI's mpirun and PMI launchers
// (Slurm's srun) tell each of them; 1 when none did.
long launched_processes() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* value = std::getenv(variable)) return std::strtol(value, nullptr, 10);
  return 1;
}

}  // namespace

// Started as several ranks, a build without MPI would run the whole job once per rank, every
// copy writing the same folder: refused, before anything is read.
Cluster::Cluster(int&, char**&) {
  if (const long copies = launched_processes(); copies > 1)
    throw std::runtime_error(
        "this tenure was built without MPI (Open MPI was not found when it was configured), "
        "so under an MPI launcher each of the " +
        std::to_string(copies) +
        " processes would run the whole job; install libopenmpi-dev and rebuild (make build)");
}
Cluster::~Cluster() = default;
bool Cluster::built_with_mpi() {
  return false;
}

std::vector<double> Cluster::gather(std::span<const double> mine) const {
  return {mine.begin(), mine.end()};
}
std::int64_t Cluster::sum(std::int64_t mine) const {
  return mine;
}
std::uint64_t Cluster::sum(std::uint64_t mine) const {
  return mine;
}

void Cluster::settle(std::exception_ptr failure) const {
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tenure
