// Portable parts of ChildProcess, built on the per-platform primitives.
#include "platform/process.hpp"

#include <thread>

namespace bpfhost::platform {

// Two threads move the data while this one waits, so a child that writes more
// than a pipe holds before reading its input cannot deadlock with us. When
// wait() kills the child, its pipe ends close and both threads finish.
Result<ChildOutput>
ChildProcess::communicate(std::string_view input,
                          std::chrono::milliseconds timeout) {
  std::thread writer([this, input] {
    (void)write_stdin(input);
    close_stdin();
  });
  Result<std::string> output = std::string();
  std::thread reader([this, &output] { output = read_stdout(); });
  Result<ExitStatus> status = wait(timeout);
  writer.join();
  reader.join();
  if (!status)
    return status.error();
  if (!output)
    return output.error();
  return ChildOutput{std::move(output).value(), status.value()};
}

} // namespace bpfhost::platform
