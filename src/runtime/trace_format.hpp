// bpf_trace_printk's format language (kernel/bpf/helpers.c
// bpf_bprintf_prepare): %d %i %u %x %X %c %p with optional l/ll, and %%; at
// most three arguments.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "support/result.hpp"

namespace bpfhost::runtime {

// The formatted text, or InvalidInput for a conversion Linux refuses (or
// %s, which needs reading kernel or user memory: not supported yet).
Result<std::string> format_trace(const char *fmt, std::array<uint64_t, 3> args);

} // namespace bpfhost::runtime
