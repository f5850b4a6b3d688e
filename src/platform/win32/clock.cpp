// Windows clocks. monotonic_ns reads QueryPerformanceCounter, the standard
// high-resolution monotonic clock. boot_ns reads the interrupt time, which
// (like CLOCK_BOOTTIME, and like ebpf-for-windows' bpf_ktime_get_boot_ns)
// counts time spent in sleep: QueryInterruptTimePrecise exists from Windows 10
// on, so it is looked up at run time; older systems and Wine 8 fall back to
// QueryUnbiasedInterruptTime, which does not count sleep.
#include "platform/clock.hpp"

#include <windows.h>

namespace bpfhost::platform {
namespace {

using InterruptTimeFn = VOID(WINAPI *)(PULONGLONG);

InterruptTimeFn find_interrupt_time() {
  HMODULE kernelbase = GetModuleHandleW(L"kernelbase.dll");
  if (kernelbase == nullptr)
    return nullptr;
  FARPROC address = GetProcAddress(kernelbase, "QueryInterruptTimePrecise");
  return reinterpret_cast<InterruptTimeFn>(reinterpret_cast<void *>(address));
}

std::uint64_t performance_frequency() {
  LARGE_INTEGER frequency;
  QueryPerformanceFrequency(&frequency);
  return static_cast<std::uint64_t>(frequency.QuadPart);
}

} // namespace

std::uint64_t monotonic_ns() {
  static const std::uint64_t frequency = performance_frequency();
  LARGE_INTEGER counter;
  QueryPerformanceCounter(&counter);
  const auto ticks = static_cast<std::uint64_t>(counter.QuadPart);
  // Split to avoid overflowing ticks * 1e9.
  return ticks / frequency * 1'000'000'000u +
         ticks % frequency * 1'000'000'000u / frequency;
}

std::uint64_t boot_ns() {
  static const InterruptTimeFn interrupt_time = find_interrupt_time();
  ULONGLONG hundreds = 0; // interrupt time counts 100 ns units
  if (interrupt_time != nullptr)
    interrupt_time(&hundreds);
  else
    QueryUnbiasedInterruptTime(&hundreds);
  return static_cast<std::uint64_t>(hundreds) * 100u;
}

} // namespace bpfhost::platform
