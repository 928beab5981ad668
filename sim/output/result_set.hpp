// A run's result files written as one set. A reader of the results folder sees either the
// old set or the new one, never a mix; a failed or interrupted write leaves the old set as
// it was and no temporary files behind.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tenure {

// A results folder that cannot be written; the message says why.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks, before any work, that a set can be written to `folder`: it is a folder or does not
// exist yet, and its parent can be created and written. Throws OutputError.
void check_output_folder(const std::filesystem::path& folder);

class ResultSet {
 public:
  // Writes a large file straight to its stream, so it need not be held in memory.
  using Writer = std::function<void(std::ostream&)>;

  explicit ResultSet(std::filesystem::path folder) : folder_(std::move(folder)) {}

  void add(std::string name, std::string contents);
  void add_streamed(std::string name, Writer writer);
  const std::filesystem::path& folder() const { return folder_; }
  const std::vector<std::pair<std::string, std::string>>& files() const { return files_; }
  // The text of a file added as text; throws std::out_of_range for another.
  const std::string& text(const std::string& name) const;

  // Writes every file into a new folder beside the target (flushed to disk), then puts it in
  // place of the target in one rename (an exchange when the target exists), and removes the
  // old set. Signals that would end the program (interrupt, terminate, hang-up) wait until
  // the set is in place. Two runs committing to one folder at once: the later wins, whole.
  // Throws OutputError, leaving the old set untouched.
  void commit() const;

 private:
  std::filesystem::path folder_;
  std::vector<std::pair<std::string, std::string>> files_;
  std::vector<std::pair<std::string, Writer>> streamed_;
};

}  // namespace tenure
