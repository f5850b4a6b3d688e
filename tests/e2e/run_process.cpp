#include "e2e/run_process.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace bpfhost::test {

std::string temp_dir() {
  static const std::string dir = [] {
    auto path = std::filesystem::temp_directory_path() /
                ("bpfhost-e2e-" + std::to_string(getpid()));
    std::filesystem::create_directories(path);
    return path.string();
  }();
  return dir;
}

ProcessResult run_process(const std::vector<std::string> &argv) {
  std::string command;
  for (const auto &arg : argv) {
    std::string quoted = "'";
    for (char ch : arg)
      quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    command += quoted + "' ";
  }
  const std::string err_path = temp_dir() + "/stderr";
  command += "2>'" + err_path + "'";
  ProcessResult result;
  FILE *pipe = popen(command.c_str(), "r");
  if (pipe == nullptr)
    return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0)
    result.out.append(buf, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  result.err.assign(std::istreambuf_iterator<char>(err), {});
  return result;
}

void write_bytes(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> read_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

} // namespace bpfhost::test
