// Linux clocks read with clock_gettime (vDSO, no system call).
#include "platform/clock.hpp"

#include <ctime>

namespace bpfhost::platform {
namespace {

std::uint64_t read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

} // namespace

std::uint64_t monotonic_ns() { return read_clock(CLOCK_MONOTONIC); }

std::uint64_t boot_ns() { return read_clock(CLOCK_BOOTTIME); }

} // namespace bpfhost::platform
