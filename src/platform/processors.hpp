// Processor slots, as per-CPU maps and bpf_get_smp_processor_id see them.
#pragma once

#include "support/result.hpp"

#include <string_view>

namespace bpfhost::platform {

// How many processors per-CPU data needs slots for, like
// libbpf_num_possible_cpus() (Linux: the CPUs listed in
// /sys/devices/system/cpu/possible; Windows: the active processors of all
// groups); at least 1, computed once.
unsigned possible_cpus();

// Index of the processor running the caller, always below possible_cpus().
unsigned current_cpu();

// Counts the CPUs named by a Linux CPU list such as "0-3,8,10-11" (the format
// of /sys/devices/system/cpu/possible); a trailing newline is allowed.
Result<unsigned> parse_cpu_list(std::string_view text);

} // namespace bpfhost::platform
