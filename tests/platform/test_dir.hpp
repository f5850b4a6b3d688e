// Where the platform tests find their helper programs and files.
#pragma once

#include "platform/process.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace bpfhost::platform::test {

// The folder of the running test executable, where the helpers are built.
inline std::filesystem::path test_dir() {
  auto self = current_executable();
  EXPECT_TRUE(self.ok()) << (self.ok() ? "" : self.error().to_string());
  return self.ok() ? self->parent_path() : std::filesystem::current_path();
}

} // namespace bpfhost::platform::test
