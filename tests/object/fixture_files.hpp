// Test helper: reading objects from the build's fixture folder and the
// shared corpus, skipping (or failing under CI=true) when they are absent.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "object/load_object.hpp"

namespace bpfhost::object::testing {

inline bool running_in_ci() {
  const char *ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// $BPFHOST_CORPUS, else the folder the build was configured with.
inline std::filesystem::path corpus_dir() {
  if (const char *env = std::getenv("BPFHOST_CORPUS"); env && *env)
    return env;
  return BPFHOST_CORPUS_DIR;
}

inline std::vector<uint8_t> read_bytes(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Skips the test (fails it under CI=true) when `path` does not exist.
#define BPFHOST_REQUIRE_PATH(path, why)                                        \
  if (!std::filesystem::exists(path)) {                                        \
    if (running_in_ci())                                                       \
      FAIL() << (path).string() << " is missing: " << (why);                   \
    GTEST_SKIP() << (path).string() << " is missing: " << (why);               \
  }

} // namespace bpfhost::object::testing
