// Processor slots on Windows: the active processors of every processor group,
// numbered group after group.
#include "platform/processors.hpp"

#include <windows.h>

namespace bpfhost::platform {

unsigned possible_cpus() {
  static const unsigned count = [] {
    DWORD active = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    return active > 0 ? static_cast<unsigned>(active) : 1u;
  }();
  return count;
}

unsigned current_cpu() {
  PROCESSOR_NUMBER number{};
  GetCurrentProcessorNumberEx(&number);
  unsigned index = number.Number;
  for (WORD group = 0; group < number.Group; ++group)
    index += GetActiveProcessorCount(group);
  return index % possible_cpus();
}

} // namespace bpfhost::platform
