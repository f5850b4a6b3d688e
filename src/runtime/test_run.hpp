// BPF_PROG_TEST_RUN for program types whose context describes a packet
// (net/bpf/test_run.c): the data is copied into a frame with the type's
// headroom, the host context points into it, the program runs `repeat`
// times on the same buffer and context (maps keep their state, and what one
// run writes to the packet the next one sees, as in the kernel), and the
// packet as the last run left it comes back with the average duration.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/runtime.hpp"
#include "support/result.hpp"

namespace bpfhost::runtime {

struct TestRunOptions {
  std::vector<uint8_t> data_in;
  // The program's context (e.g. struct xdp_md) for VALUE fields; without
  // it each field gets its test_run_default. Packet fields are ignored.
  std::optional<std::vector<uint8_t>> ctx_in;
  uint32_t repeat = 1; // 0 means 1, as in the kernel
};

struct TestRunResult {
  uint32_t retval = 0; // the kernel reports r0 as a u32
  std::vector<uint8_t> data_out;
  uint64_t duration_ns = 0; // average over the repeats
};

// InvalidInput when the type has no packet or data_in is shorter than an
// Ethernet header (ETH_HLEN, as bpf_test_init requires); OutOfRange when it
// does not fit the frame; the run's error when the program fails.
Result<TestRunResult> test_run(Runtime &runtime, const LoadedProgram &program,
                               const TestRunOptions &options);

} // namespace bpfhost::runtime
