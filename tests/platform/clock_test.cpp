#include "platform/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace bpfhost::platform {
namespace {

struct ClockCase {
  const char *name;
  std::uint64_t (*read)();
};

const ClockCase kClocks[] = {
    {"monotonic_ns", monotonic_ns},
    {"boot_ns", boot_ns},
};

TEST(ClockTest, NeverGoesBack) {
  for (const ClockCase &clock : kClocks) {
    SCOPED_TRACE(clock.name);
    std::uint64_t previous = clock.read();
    EXPECT_GT(previous, 0u);
    for (int i = 0; i < 10000; ++i) {
      std::uint64_t now = clock.read();
      ASSERT_GE(now, previous);
      previous = now;
    }
  }
}

TEST(ClockTest, AdvancesAcrossASleep) {
  // A lower bound only: the coarsest Windows fallback ticks every 15.6 ms.
  constexpr std::uint64_t kSleepNs = 50'000'000;
  for (const ClockCase &clock : kClocks) {
    SCOPED_TRACE(clock.name);
    std::uint64_t before = clock.read();
    std::this_thread::sleep_for(std::chrono::nanoseconds(kSleepNs));
    EXPECT_GE(clock.read() - before, kSleepNs - 16'000'000);
  }
}

} // namespace
} // namespace bpfhost::platform
