// Clocks with the meanings of the Linux clocks that BPF programs read.
#pragma once

#include <cstdint>

namespace bpfhost::platform {

// Nanoseconds on a clock that never goes back (CLOCK_MONOTONIC, as
// bpf_ktime_get_ns reads; Windows: QueryPerformanceCounter).
std::uint64_t monotonic_ns();

// Nanoseconds since boot, counting time spent suspended (CLOCK_BOOTTIME, as
// bpf_ktime_get_boot_ns reads; Windows: the interrupt time, see
// win32/clock.cpp).
std::uint64_t boot_ns();

} // namespace bpfhost::platform
