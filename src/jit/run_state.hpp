// The block of memory generated code works on during one run: its inputs,
// the bookkeeping of a checked run, and how the run ended if it ended early.
// The code reaches every field at a fixed offset from one host register.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vm/vm.hpp"

namespace bpfhost::jit::detail {

// Why generated code left through its abort path.
enum class ExitKind : uint32_t {
  None,          // a normal exit, or LD_ABS/LD_IND out of bounds (r0 = 0)
  ErrorSet,      // a runtime routine already stored the error (RunState::error)
  Misaligned,    // atomic access at exit_value, exit_size bytes
  UnknownHelper, // helper id exit_value
  TooManyFrames, // a BPF-to-BPF call beyond vm::kMaxFrames
  StackTooDeep,  // the call chain would use exit_value stack bytes
  Budget,        // the instruction budget ran out
  HelperEnded,   // the helper called last stopped or failed the run
};

struct RunState {
  // Inputs.
  uint64_t r1 = 0;
  uint64_t r2 = 0;
  uint64_t stack_top = 0; // r10 of the entry function
  const vm::HelperFn *helpers = nullptr;
  uint64_t helper_count = 0;
  const uint8_t *packet = nullptr;
  uint64_t packet_len = 0;
  vm::RunContext *ctx = nullptr;
  Error *error = nullptr; // where runtime routines store an error
  // Checked runs: the lowest byte of the current frame, the calls in
  // progress and the stack bytes of the chain (adjacent: a BPF-to-BPF call
  // saves both with one push).
  uint64_t stack_low = 0;
  uint32_t depth = 0;
  uint32_t chain_depth = 0;
  // Counting runs: instructions left; checked runs fail when it would go
  // below zero.
  uint64_t remaining = 0;
  // The host stack pointer just before the entry function was called.
  uint64_t saved_rsp = 0;
  // The early exit, if any.
  ExitKind exit_kind = ExitKind::None;
  uint32_t exit_insn = 0; // slot of the instruction
  uint64_t exit_value = 0;
  uint64_t exit_size = 0;
};
static_assert(offsetof(RunState, chain_depth) == offsetof(RunState, depth) + 4);

// Called by checked code for an access outside the current stack: 0 when the
// run may access [addr, addr + size) (size in bits 0..7, write in bit 8),
// else stores the error for instruction `insn` and returns 1.
uint64_t check_access(RunState *state, uint64_t addr, uint64_t size_write,
                      uint64_t insn);

} // namespace bpfhost::jit::detail
