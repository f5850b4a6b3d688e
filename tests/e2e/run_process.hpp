// Runs a command in a separate process and captures what it prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bpfhost::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with the arguments (through /bin/sh, each argument quoted).
ProcessResult run_process(const std::vector<std::string> &argv);

// A fresh temporary directory for this process's files.
std::string temp_dir();

void write_bytes(const std::string &path, const std::vector<uint8_t> &bytes);
std::vector<uint8_t> read_bytes(const std::string &path);

} // namespace bpfhost::test
