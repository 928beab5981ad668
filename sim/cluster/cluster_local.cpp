// The cluster of a build without MPI: this process alone.
#include "sim/cluster/cluster.hpp"

namespace tenure {

Cluster::Cluster(int&, char**&) {}
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
