// The one-process side of the cluster layer; the MPI side is tested end to end under mpirun
// (tests/mpi/check_ranks.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "sim/cluster/cluster.hpp"

namespace tenure {
namespace {

TEST(RankShare, SharesConcatenateToTheWorldsInOrderAndDifferByAtMostOne) {
  for (const WorldRange worlds : {WorldRange{0, 0}, WorldRange{0, 2}, WorldRange{0, 10},
                                  WorldRange{1000, 1007}, WorldRange{5, 100'000'005}}) {
    for (int ranks = 1; ranks <= 9; ++ranks) {
      std::int64_t next = worlds.first, smallest = worlds.size(), largest = 0;
      for (int rank = 0; rank < ranks; ++rank) {
        const WorldRange share = rank_share(worlds, rank, ranks);
        EXPECT_EQ(share.first, next) << "rank " << rank << " of " << ranks;
        next = share.last;
        smallest = std::min(smallest, share.size());
        largest = std::max(largest, share.size());
      }
      EXPECT_EQ(next, worlds.last);
      EXPECT_LE(largest - smallest, 1);
    }
  }
}

TEST(Cluster, AloneOutsideAnMpiLauncher) {
  int argc = 1;
  char name[] = "tenure";
  char* args[] = {name, nullptr};
  char** argv = args;
  const Cluster cluster(argc, argv);
  EXPECT_EQ(cluster.size(), 1);
  EXPECT_TRUE(cluster.leader());
  const std::vector<double> mine{1.0, 2.0};
  EXPECT_EQ(cluster.gather(mine), mine);
  EXPECT_EQ(cluster.sum(std::int64_t{7}), 7);
  EXPECT_NO_THROW(cluster.settle(nullptr));
  EXPECT_THROW(cluster.settle(std::make_exception_ptr(std::out_of_range("x"))), std::out_of_range);
  int ran = 0;
  EXPECT_THROW(cluster.on_leader([&] {
    ++ran;
    throw std::runtime_error("folder not writable");
  }),
               std::runtime_error);
  EXPECT_EQ(ran, 1);
}

// Under mpirun a build without MPI would run the whole job once per rank: refused. (The MPI
// build joins the job instead, which tests/mpi/check_ranks.sh tests.)
TEST(Cluster, ABuildWithoutMpiRefusesToBeSeveralRanks) {
  if (Cluster::built_with_mpi()) GTEST_SKIP() << "this build joins MPI jobs";
  ::setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
  int argc = 1;
  char name[] = "tenure";
  char* args[] = {name, nullptr};
  char** argv = args;
  EXPECT_THROW(Cluster(argc, argv), std::runtime_error);
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
}

}  // namespace
}  // namespace tenure
