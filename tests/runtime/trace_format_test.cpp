#include "runtime/trace_format.hpp"

#include <gtest/gtest.h>

namespace bpfhost::runtime {
namespace {

TEST(TraceFormat, FormatsAsTheKernel) {
  struct Row {
    const char *fmt;
    std::array<uint64_t, 3> args;
    const char *expected; // nullptr: refused
  };
  const Row rows[] = {
      {"plain", {}, "plain"},
      {"%d %u", {0xffffffffu, 7}, "-1 7"},
      {"%lld", {~0ull}, "-1"},
      {"%x %llx", {0x1abcdef00ull, 0x1abcdef00ull}, "abcdef00 1abcdef00"},
      {"%c%c", {'o', 'k'}, "ok"},
      {"100%%", {}, "100%"},
      {"%d %d %d %d", {1, 2, 3}, nullptr},
      {"%s", {0}, nullptr},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.fmt);
    auto text = format_trace(row.fmt, row.args);
    if (row.expected == nullptr) {
      EXPECT_FALSE(text.ok());
    } else {
      ASSERT_TRUE(text.ok()) << text.error().to_string();
      EXPECT_EQ(*text, row.expected);
    }
  }
}

} // namespace
} // namespace bpfhost::runtime
