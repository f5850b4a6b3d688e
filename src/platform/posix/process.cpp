// Child processes with posix_spawn: pipes created close-on-exec, wired to the
// child's stdin and stdout by file actions, signals reset to their defaults.
#include "platform/process.hpp"
#include "platform/posix/os_error.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <thread>
#include <utility>

extern char **environ;

namespace bpfhost::platform {

struct ChildProcess::Impl {
  pid_t pid = -1;
  int stdin_fd = -1;
  int stdout_fd = -1;
  bool reaped = false;
  ExitStatus status;
  std::string path;

  ~Impl() {
    if (stdin_fd >= 0)
      ::close(stdin_fd);
    if (stdout_fd >= 0)
      ::close(stdout_fd);
    if (!reaped && pid > 0) {
      kill(pid, SIGKILL);
      int raw = 0;
      while (waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
      }
    }
  }
};

namespace {

// Owns the descriptors of a pipe until they are handed over.
struct Pipe {
  std::array<int, 2> fds{-1, -1};
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0)
        ::close(fd);
  }
  int take(int end) { return std::exchange(fds[end], -1); }
};

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
};

ExitStatus decode_status(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw))
    status.exit_code = WEXITSTATUS(raw);
  else if (WIFSIGNALED(raw))
    status.signal = WTERMSIG(raw);
  return status;
}

bool sigpipe_pending() {
  sigset_t pending;
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

// Writes to a pipe without letting SIGPIPE kill the process: the signal is
// blocked in this thread and, if the write raised it, consumed before
// unblocking. Linux raises it also for a partial write that returns a count
// (the reader went away after some bytes went in), so pending is checked, not
// errno.
ssize_t write_no_sigpipe(int fd, const char *data, std::size_t size) {
  sigset_t pipe_only, old_mask;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  const bool was_pending = sigpipe_pending();
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
  ssize_t written;
  do {
    written = ::write(fd, data, size);
  } while (written < 0 && errno == EINTR);
  const int saved = errno;
  if (!was_pending && sigpipe_pending()) {
    const timespec zero{};
    while (sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved;
  return written;
}

} // namespace

ChildProcess::ChildProcess(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
ChildProcess::ChildProcess(ChildProcess &&) noexcept = default;
ChildProcess &ChildProcess::operator=(ChildProcess &&) noexcept = default;
ChildProcess::~ChildProcess() = default;

int ChildProcess::id() const { return impl_ ? impl_->pid : -1; }

Result<void> ChildProcess::write_stdin(std::string_view data) {
  if (!impl_ || impl_->stdin_fd < 0)
    return make_error(ErrorCode::InvalidInput, "stdin of the child is closed");
  while (!data.empty()) {
    ssize_t written =
        write_no_sigpipe(impl_->stdin_fd, data.data(), data.size());
    if (written < 0)
      return posix::os_error(errno, "writing to the child's stdin",
                             impl_->path);
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

void ChildProcess::close_stdin() {
  if (impl_ && impl_->stdin_fd >= 0)
    ::close(std::exchange(impl_->stdin_fd, -1));
}

Result<std::string> ChildProcess::read_stdout() {
  if (!impl_ || impl_->stdout_fd < 0)
    return make_error(ErrorCode::InvalidInput, "stdout of the child is closed");
  std::string output;
  std::array<char, 65536> buffer;
  while (true) {
    ssize_t got = ::read(impl_->stdout_fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return posix::os_error(errno, "reading the child's stdout", impl_->path);
    if (got == 0)
      break;
    output.append(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(std::exchange(impl_->stdout_fd, -1));
  return output;
}

// Polls waitpid with a growing sleep (1 ms up to 10 ms): portable to every
// POSIX system and leaves SIGCHLD alone for the rest of the process.
Result<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (!impl_)
    return make_error(ErrorCode::InvalidInput, "no child process");
  if (impl_->reaped)
    return impl_->status;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  int raw = 0;
  while (true) {
    pid_t done = waitpid(impl_->pid, &raw, WNOHANG);
    if (done < 0 && errno == EINTR)
      continue;
    if (done < 0)
      return posix::os_error(errno, "waiting for the child", impl_->path);
    if (done == impl_->pid) {
      impl_->status = decode_status(raw);
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      kill(impl_->pid, SIGKILL);
      while (waitpid(impl_->pid, &raw, 0) < 0 && errno == EINTR) {
      }
      impl_->status = decode_status(raw);
      impl_->status.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(10));
  }
  impl_->reaped = true;
  return impl_->status;
}

Result<ChildProcess> spawn(const std::filesystem::path &path,
                           const std::vector<std::string> &args,
                           const SpawnOptions &options) {
  const std::string program = path.string();
  const std::string directory = options.working_directory.string();
  std::error_code ec;
  if (!directory.empty() && !std::filesystem::is_directory(directory, ec))
    return make_error(ErrorCode::NotFound,
                      "no such working directory for " + program, directory);
  Pipe in, out;
  if (pipe2(in.fds.data(), O_CLOEXEC) != 0 ||
      pipe2(out.fds.data(), O_CLOEXEC) != 0)
    return posix::os_error(errno, "cannot create pipes for the child", program);

  SpawnSetup setup;
  // dup2 onto 0 and 1 clears close-on-exec for those two only.
  posix_spawn_file_actions_adddup2(&setup.actions, in.fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, out.fds[1], STDOUT_FILENO);
  if (!options.inherit_stderr)
    posix_spawn_file_actions_addopen(&setup.actions, STDERR_FILENO, "/dev/null",
                                     O_WRONLY, 0);
  if (!directory.empty())
    posix_spawn_file_actions_addchdir_np(&setup.actions, directory.c_str());
  // The child starts with no blocked signals and default dispositions, whatever
  // ours are.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  posix_spawnattr_setsigdefault(&setup.attributes, &all);
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char *> argv;
  argv.push_back(const_cast<char *>(program.c_str()));
  for (const std::string &arg : args)
    argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);

  pid_t pid = -1;
  int err = posix_spawn(&pid, program.c_str(), &setup.actions,
                        &setup.attributes, argv.data(), environ);
  if (err != 0)
    return posix::os_error(err, "cannot spawn", program);

  auto impl = std::make_unique<ChildProcess::Impl>();
  impl->pid = pid;
  impl->stdin_fd = in.take(1);
  impl->stdout_fd = out.take(0);
  impl->path = program;
  return ChildProcess(std::move(impl));
}

Result<std::filesystem::path> current_executable() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    return posix::os_error(ec.value(), "cannot read /proc/self/exe");
  return path;
}

} // namespace bpfhost::platform
