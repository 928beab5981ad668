// Result files are written as one set: a reader sees the old set or the new one, never a mix,
// and a failed write leaves the old set whole and no temporary files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/output/result_set.hpp"

namespace tenure {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ResultSets : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("tenure-sets-" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    ::umount((scratch_ / "disk").c_str());  // a tmpfs a failed test left mounted
    fs::remove_all(scratch_);
  }

  // Every entry of the scratch folder but the results folder itself.
  std::vector<std::string> leftovers(const std::string& keep) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(scratch_))
      if (entry.path().filename() != keep) names.push_back(entry.path().filename().string());
    return names;
  }

  static ResultSet set_of(const fs::path& folder, const std::string& tag) {
    ResultSet set(folder);
    set.add("summary.json", "{\"run\": \"" + tag + "\"}\n");
    set.add("periods.csv", "run\n" + tag + "\n");
    return set;
  }

  fs::path scratch_;
};

TEST_F(ResultSets, ANewSetReplacesTheOldOneWhole) {
  const fs::path folder = scratch_ / "results" / "baseline";
  ResultSet first(folder);
  first.add("summary.json", "first\n");
  first.add("report.html", "first report\n");
  first.commit();
  EXPECT_EQ(read_text(folder / "summary.json"), "first\n");
  set_of(folder, "second").commit();
  EXPECT_EQ(read_text(folder / "summary.json"), "{\"run\": \"second\"}\n");
  EXPECT_EQ(read_text(folder / "periods.csv"), "run\nsecond\n");
  EXPECT_FALSE(fs::exists(folder / "report.html")) << "a file of the old set survived";
  EXPECT_THAT(leftovers("results"), ::testing::IsEmpty());
  for (const auto& entry : fs::directory_iterator(scratch_ / "results"))
    EXPECT_EQ(entry.path().filename(), "baseline");
}

TEST_F(ResultSets, AFileWhereTheFolderShouldBeIsRefusedBeforeAnyWork) {
  const fs::path file = scratch_ / "taken";
  std::ofstream(file) << "not a folder";
  EXPECT_THROW(check_output_folder(file), OutputError);
  EXPECT_THROW(set_of(file, "x").commit(), OutputError);
  EXPECT_EQ(read_text(file), "not a folder");
  EXPECT_THROW(check_output_folder(file / "below"), OutputError);
  EXPECT_NO_THROW(check_output_folder(scratch_ / "new" / "deeper"));
}

TEST_F(ResultSets, LeftoversOfAKilledRunAreRemovedByTheNextOne) {
  const fs::path folder = scratch_ / "out";
  // A temporary folder of a process that no longer exists (pids are below 2^22 on Linux).
  const fs::path stale = scratch_ / ".out.tenure-99999999-abcdef";
  fs::create_directories(stale);
  std::ofstream(stale / "summary.json") << "half";
  // And one of a live process (this one), which must be left alone.
  const fs::path live = scratch_ / (".out.tenure-" + std::to_string(::getpid()) + "-ghijkl");
  fs::create_directories(live);
  set_of(folder, "new").commit();
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
}

// Two writers into one folder at once: whichever wins, the folder holds one whole set.
TEST_F(ResultSets, ConcurrentCommitsLeaveOneWholeSet) {
  const fs::path folder = scratch_ / "shared";
  for (int round = 0; round < 20; ++round) {
    const pid_t child = ::fork();
    if (child == 0) {
      try {
        set_of(folder, "child").commit();
      } catch (...) {
        ::_exit(1);
      }
      ::_exit(0);
    }
    set_of(folder, "parent").commit();
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const std::string summary = read_text(folder / "summary.json");
    const std::string tag = summary.find("child") != std::string::npos ? "child" : "parent";
    EXPECT_EQ(read_text(folder / "periods.csv"), "run\n" + tag + "\n");
    EXPECT_THAT(leftovers("shared"), ::testing::IsEmpty());
  }
}

// The disk fills up while the new set is written: the old set stays whole, and nothing else
// is left. A small tmpfs is mounted for it (needs root, or a user namespace).
TEST_F(ResultSets, AFullDiskLeavesTheOldSetWhole) {
  const fs::path disk = scratch_ / "disk";
  fs::create_directories(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here: mounting needs root";
  const fs::path folder = disk / "results";
  set_of(folder, "old").commit();
  ResultSet big(folder);
  big.add("summary.json", "{\"run\": \"new\"}\n");
  big.add("periods.csv", std::string(200 * 1024, 'x'));  // more than the disk holds
  EXPECT_THROW(big.commit(), OutputError);
  EXPECT_EQ(read_text(folder / "summary.json"), "{\"run\": \"old\"}\n");
  EXPECT_EQ(read_text(folder / "periods.csv"), "run\nold\n");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(disk)) names.push_back(entry.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"results"});
  ::umount(disk.c_str());
}

}  // namespace
}  // namespace tenure
