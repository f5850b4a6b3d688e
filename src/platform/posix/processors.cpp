// Processor slots on Linux: the possible-CPU mask, as libbpf reads it.
#include "platform/processors.hpp"

#include <sched.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

namespace bpfhost::platform {
namespace {

unsigned read_possible_cpus() {
  std::ifstream file("/sys/devices/system/cpu/possible");
  std::string text((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  if (auto count = parse_cpu_list(text); count && *count > 0)
    return *count;
  // No sysfs (some containers): the configured processors are the best guess.
  long configured = sysconf(_SC_NPROCESSORS_CONF);
  return configured > 0 ? static_cast<unsigned>(configured) : 1;
}

} // namespace

unsigned possible_cpus() {
  static const unsigned count = read_possible_cpus();
  return count;
}

unsigned current_cpu() {
  int cpu = sched_getcpu();
  if (cpu < 0)
    return 0;
  return static_cast<unsigned>(cpu) % possible_cpus();
}

} // namespace bpfhost::platform
