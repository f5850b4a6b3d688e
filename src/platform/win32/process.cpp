// Child processes with CreateProcessW: anonymous pipes whose child ends are the
// only handles the child inherits (PROC_THREAD_ATTRIBUTE_HANDLE_LIST).
#include "platform/process.hpp"
#include "platform/win32/os_error.hpp"

#include <windows.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace bpfhost::platform {

struct ChildProcess::Impl {
  HANDLE process = nullptr;
  DWORD pid = 0;
  HANDLE stdin_write = nullptr;
  HANDLE stdout_read = nullptr;
  bool reaped = false;
  ExitStatus status;
  std::string path;

  ~Impl() {
    if (stdin_write != nullptr)
      CloseHandle(stdin_write);
    if (stdout_read != nullptr)
      CloseHandle(stdout_read);
    if (process != nullptr) {
      if (!reaped) {
        TerminateProcess(process, 1);
        WaitForSingleObject(process, INFINITE);
      }
      CloseHandle(process);
    }
  }
};

namespace {

// Closes a handle unless it was handed over.
struct Handle {
  HANDLE value = nullptr;
  ~Handle() {
    if (value != nullptr && value != INVALID_HANDLE_VALUE)
      CloseHandle(value);
  }
  HANDLE take() { return std::exchange(value, nullptr); }
};

// Appends `arg` quoted so that CommandLineToArgvW and the C runtime give it
// back unchanged: backslashes double only before a quote or the closing quote.
void append_quoted(std::wstring &line, const std::wstring &arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    line += arg;
    return;
  }
  line += L'"';
  std::size_t backslashes = 0;
  for (wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"')
      line.append(backslashes * 2 + 1, L'\\');
    else
      line.append(backslashes, L'\\');
    backslashes = 0;
    line += c;
  }
  line.append(backslashes * 2, L'\\');
  line += L'"';
}

// An inheritable handle for the child's stderr: ours, or the null device.
HANDLE child_stderr(bool inherit) {
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE ours = GetStdHandle(STD_ERROR_HANDLE);
  HANDLE copy = nullptr;
  if (inherit && ours != nullptr && ours != INVALID_HANDLE_VALUE &&
      DuplicateHandle(GetCurrentProcess(), ours, GetCurrentProcess(), &copy, 0,
                      TRUE, DUPLICATE_SAME_ACCESS))
    return copy;
  return CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                     &inheritable, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL,
                     nullptr);
}

} // namespace

ChildProcess::ChildProcess(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
ChildProcess::ChildProcess(ChildProcess &&) noexcept = default;
ChildProcess &ChildProcess::operator=(ChildProcess &&) noexcept = default;
ChildProcess::~ChildProcess() = default;

int ChildProcess::id() const {
  return impl_ ? static_cast<int>(impl_->pid) : -1;
}

Result<void> ChildProcess::write_stdin(std::string_view data) {
  if (!impl_ || impl_->stdin_write == nullptr)
    return make_error(ErrorCode::InvalidInput, "stdin of the child is closed");
  while (!data.empty()) {
    const DWORD chunk =
        static_cast<DWORD>(std::min<std::size_t>(data.size(), 1u << 20));
    DWORD written = 0;
    if (!WriteFile(impl_->stdin_write, data.data(), chunk, &written, nullptr))
      return win32::os_error(GetLastError(), "writing to the child's stdin",
                             impl_->path);
    data.remove_prefix(written);
  }
  return {};
}

void ChildProcess::close_stdin() {
  if (impl_ && impl_->stdin_write != nullptr)
    CloseHandle(std::exchange(impl_->stdin_write, nullptr));
}

Result<std::string> ChildProcess::read_stdout() {
  if (!impl_ || impl_->stdout_read == nullptr)
    return make_error(ErrorCode::InvalidInput, "stdout of the child is closed");
  std::string output;
  std::array<char, 65536> buffer;
  while (true) {
    DWORD got = 0;
    if (!ReadFile(impl_->stdout_read, buffer.data(),
                  static_cast<DWORD>(buffer.size()), &got, nullptr)) {
      const DWORD code = GetLastError();
      if (code == ERROR_BROKEN_PIPE) // every writer closed its end: end of file
        break;
      return win32::os_error(code, "reading the child's stdout", impl_->path);
    }
    if (got == 0)
      break;
    output.append(buffer.data(), got);
  }
  CloseHandle(std::exchange(impl_->stdout_read, nullptr));
  return output;
}

Result<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (!impl_)
    return make_error(ErrorCode::InvalidInput, "no child process");
  if (impl_->reaped)
    return impl_->status;
  // INFINITE is 0xFFFFFFFF ms; longer timeouts become INFINITE - 1 (49 days).
  const auto ms = std::clamp<long long>(timeout.count(), 0, INFINITE - 1);
  DWORD result = WaitForSingleObject(impl_->process, static_cast<DWORD>(ms));
  if (result == WAIT_TIMEOUT) {
    TerminateProcess(impl_->process, 1);
    WaitForSingleObject(impl_->process, INFINITE);
    impl_->status.timed_out = true;
  } else if (result != WAIT_OBJECT_0) {
    return win32::os_error(GetLastError(), "waiting for the child",
                           impl_->path);
  }
  DWORD code = 0;
  GetExitCodeProcess(impl_->process, &code);
  impl_->status.exit_code = static_cast<int>(code);
  impl_->reaped = true;
  return impl_->status;
}

Result<ChildProcess> spawn(const std::filesystem::path &path,
                           const std::vector<std::string> &args,
                           const SpawnOptions &options) {
  const std::string program = win32::path_text(path);
  std::error_code ec;
  if (!options.working_directory.empty() &&
      !std::filesystem::is_directory(options.working_directory, ec))
    return make_error(ErrorCode::NotFound,
                      "no such working directory for " + program,
                      win32::path_text(options.working_directory));

  // Pipes start non-inheritable; only the child's ends are made inheritable.
  Handle stdin_read, stdin_write, stdout_read, stdout_write;
  if (!CreatePipe(&stdin_read.value, &stdin_write.value, nullptr, 0) ||
      !CreatePipe(&stdout_read.value, &stdout_write.value, nullptr, 0))
    return win32::os_error(GetLastError(), "cannot create pipes for the child",
                           program);
  Handle error_handle{child_stderr(options.inherit_stderr)};
  if (error_handle.value == INVALID_HANDLE_VALUE)
    return win32::os_error(GetLastError(), "cannot open the child's stderr",
                           program);
  SetHandleInformation(stdin_read.value, HANDLE_FLAG_INHERIT,
                       HANDLE_FLAG_INHERIT);
  SetHandleInformation(stdout_write.value, HANDLE_FLAG_INHERIT,
                       HANDLE_FLAG_INHERIT);

  std::array<HANDLE, 3> inherited{stdin_read.value, stdout_write.value,
                                  error_handle.value};
  SIZE_T list_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &list_size);
  std::vector<char> list_storage(list_size);
  auto *attributes =
      reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(list_storage.data());
  if (!InitializeProcThreadAttributeList(attributes, 1, 0, &list_size))
    return win32::os_error(GetLastError(), "cannot set up the child's handles",
                           program);
  struct ListGuard {
    LPPROC_THREAD_ATTRIBUTE_LIST list;
    ~ListGuard() { DeleteProcThreadAttributeList(list); }
  } list_guard{attributes};
  if (!UpdateProcThreadAttribute(
          attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited.data(),
          sizeof(HANDLE) * inherited.size(), nullptr, nullptr))
    return win32::os_error(GetLastError(), "cannot set up the child's handles",
                           program);

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof(startup);
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = stdin_read.value;
  startup.StartupInfo.hStdOutput = stdout_write.value;
  startup.StartupInfo.hStdError = error_handle.value;
  startup.lpAttributeList = attributes;

  std::wstring command_line;
  append_quoted(command_line, path.native());
  for (const std::string &arg : args) {
    command_line += L' ';
    append_quoted(command_line, win32::widen(arg));
  }
  const std::wstring directory = options.working_directory.native();

  PROCESS_INFORMATION info{};
  if (!CreateProcessW(path.c_str(), command_line.data(), nullptr, nullptr, TRUE,
                      EXTENDED_STARTUPINFO_PRESENT, nullptr,
                      directory.empty() ? nullptr : directory.c_str(),
                      &startup.StartupInfo, &info))
    return win32::os_error(GetLastError(), "cannot spawn", program);
  CloseHandle(info.hThread);

  auto impl = std::make_unique<ChildProcess::Impl>();
  impl->process = info.hProcess;
  impl->pid = info.dwProcessId;
  impl->stdin_write = stdin_write.take();
  impl->stdout_read = stdout_read.take();
  impl->path = program;
  return ChildProcess(std::move(impl));
}

Result<std::filesystem::path> current_executable() {
  std::wstring buffer(MAX_PATH, L'\0');
  while (true) {
    DWORD length = GetModuleFileNameW(nullptr, buffer.data(),
                                      static_cast<DWORD>(buffer.size()));
    if (length == 0)
      return win32::os_error(GetLastError(),
                             "cannot find the running executable");
    if (length < buffer.size()) {
      buffer.resize(length);
      return std::filesystem::path(buffer);
    }
    buffer.resize(buffer.size() * 2);
  }
}

} // namespace bpfhost::platform
