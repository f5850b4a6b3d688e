// Helpers for the tests that read ../shared/corpus (tests/isa/asm_*_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bpfhost::isa::testing {

// $BPFHOST_CORPUS, else the folder the build was configured with.
inline std::filesystem::path corpus_dir() {
  if (const char *env = std::getenv("BPFHOST_CORPUS"); env && *env)
    return env;
  return BPFHOST_CORPUS_DIR;
}

inline bool running_in_ci() {
  const char *ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

inline std::string read_text(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The files of `dir` whose names end in `suffix`, sorted.
inline std::vector<std::filesystem::path>
files_in(const std::filesystem::path &dir, const std::string &suffix) {
  std::vector<std::filesystem::path> out;
  for (const auto &entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace bpfhost::isa::testing

// Skips the test when a corpus folder is missing, or fails it under CI=true
// (STYLE.md §6).
#define BPFHOST_REQUIRE_CORPUS(dir)                                            \
  do {                                                                         \
    if (!std::filesystem::is_directory(dir)) {                                 \
      if (::bpfhost::isa::testing::running_in_ci())                            \
        FAIL() << "corpus folder " << (dir) << " is missing (CI=true)";        \
      GTEST_SKIP() << "corpus folder " << (dir)                                \
                   << " is missing; set BPFHOST_CORPUS";                       \
    }                                                                          \
  } while (0)
