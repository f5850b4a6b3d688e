// Child processes with piped standard input and output, such as the sandboxed
// verifier (posix_spawn with file actions, never a bare fork; CreateProcessW).
#pragma once

#include "support/result.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bpfhost::platform {

// Options of spawn(); the defaults suit a helper process.
struct SpawnOptions {
  // Directory the child starts in; default (empty): the caller's.
  std::filesystem::path working_directory;
  // When true (default) the child's stderr is the caller's; when false it is
  // discarded.
  bool inherit_stderr = true;
};

// How a child process ended.
struct ExitStatus {
  // The code the child exited with (Windows: also after being terminated).
  int exit_code = 0;
  // The POSIX signal that ended the child, 0 if it exited (always 0 on
  // Windows).
  int signal = 0;
  // Whether the child was killed because its time was up.
  bool timed_out = false;

  // Whether the child exited by itself with code 0.
  bool success() const { return exit_code == 0 && signal == 0 && !timed_out; }
  bool operator==(const ExitStatus &) const = default;
};

// What communicate() collected from a child.
struct ChildOutput {
  // Everything the child wrote to its stdout.
  std::string stdout_data;
  // How the child ended.
  ExitStatus status;
};

// A running (or finished) child process started by spawn(); move-only. The
// destructor kills and reaps a child that was not waited for.
class ChildProcess {
public:
  // Platform state: pid and pipe descriptors, or handles.
  struct Impl;

  // Wraps the state spawn() built.
  explicit ChildProcess(std::unique_ptr<Impl> impl);
  // Takes over the child of `other`.
  ChildProcess(ChildProcess &&other) noexcept;
  // Kills and reaps this object's child if still running, then takes over that
  // of `other`.
  ChildProcess &operator=(ChildProcess &&other) noexcept;
  // Closes the pipes; kills and reaps the child unless wait() already did.
  ~ChildProcess();

  // Writes all of `data` to the child's stdin (an error if the child closed
  // it).
  Result<void> write_stdin(std::string_view data);

  // Closes the child's stdin so that it reads end of file; idempotent.
  void close_stdin();

  // Reads the child's stdout until end of file, which usually means until it
  // exits.
  Result<std::string> read_stdout();

  // Waits up to `timeout` for the child to end, killing it if it has not
  // (then `timed_out` is set); later calls return the same status.
  Result<ExitStatus> wait(std::chrono::milliseconds timeout);

  // Writes `input` and closes stdin, reads all of stdout and waits, all at once
  // so that no pipe fills up; kills the child after `timeout`. Failing to write
  // (the child exited without reading) is not an error: the status tells.
  Result<ChildOutput> communicate(std::string_view input,
                                  std::chrono::milliseconds timeout);

  // The OS process id.
  int id() const;

private:
  std::unique_ptr<Impl> impl_;
};

// Starts the executable at `path` (no PATH search) with `args` after argv[0],
// its stdin and stdout connected to pipes held by the returned ChildProcess;
// a missing executable is NotFound naming the path.
Result<ChildProcess> spawn(const std::filesystem::path &path,
                           const std::vector<std::string> &args,
                           const SpawnOptions &options = {});

// The absolute path of the running executable (to find programs installed
// beside it).
Result<std::filesystem::path> current_executable();

} // namespace bpfhost::platform
