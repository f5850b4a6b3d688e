#include "platform/processors.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <thread>
#include <vector>

namespace bpfhost::platform {
namespace {

struct CpuListCase {
  const char *text;
  std::optional<unsigned> count; // nullopt: rejected
};

const CpuListCase kCpuLists[] = {
    {"0", 1},
    {"0\n", 1},
    {"0-3", 4},
    {"0-3\n", 4},
    {"0,2-3", 3},
    {"0-1,4-7\n", 6},
    {"5", 1},
    {"0-0", 1},
    {"", {}},
    {"\n", {}},
    {"a", {}},
    {"3-1", {}},
    {"0-", {}},
    {"-1", {}},
    {"0,,1", {}},
    {"0,", {}},
    {" 0", {}},
    {"0-3 ", {}},
    {"99999999999", {}},
    {"0-4294967295", {}},
};

TEST(ProcessorsTest, ParsesCpuLists) {
  for (const CpuListCase &row : kCpuLists) {
    SCOPED_TRACE(row.text);
    Result<unsigned> count = parse_cpu_list(row.text);
    if (row.count) {
      ASSERT_TRUE(count.ok()) << count.error().to_string();
      EXPECT_EQ(*count, *row.count);
    } else {
      ASSERT_FALSE(count.ok());
      EXPECT_EQ(count.error().code, ErrorCode::InvalidInput);
      EXPECT_NE(count.error().message.find("invalid CPU list"),
                std::string::npos);
    }
  }
}

TEST(ProcessorsTest, PossibleCoversEveryOnlineProcessor) {
  EXPECT_GE(possible_cpus(), 1u);
  EXPECT_GE(possible_cpus(), std::thread::hardware_concurrency());
  EXPECT_EQ(possible_cpus(), possible_cpus());
}

TEST(ProcessorsTest, CurrentIsAPossibleSlotOnEveryThread) {
  std::vector<std::thread> threads;
  std::vector<unsigned> seen(8);
  for (unsigned i = 0; i < seen.size(); ++i)
    threads.emplace_back([&seen, i] { seen[i] = current_cpu(); });
  for (std::thread &thread : threads)
    thread.join();
  for (unsigned cpu : seen)
    EXPECT_LT(cpu, possible_cpus());
  EXPECT_LT(current_cpu(), possible_cpus());
}

} // namespace
} // namespace bpfhost::platform
