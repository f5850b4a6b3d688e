// What the JIT's runtime needs of vm::RunContext beyond its public surface:
// creating one for a run, keeping its frame bookkeeping in step with the
// generated code, reading how a helper ended the run, and the interpreter's
// own error texts (one spelling of each message for both engines).
//
// vm::RunContext grants this to the interpreter only (`friend class
// Interpreter`). Until vm.hpp names the JIT as a friend too (TODO(#5)), the
// implementation reaches it through the interpreter's friendship, in one
// place: run_context_access.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "support/result.hpp"
#include "vm/vm.hpp"

namespace bpfhost::jit::detail {

// How the helper called last left the run.
enum class HelperStatus : uint8_t { Running, Stopped, Failed };

class ContextAccess {
public:
  using Body = Result<uint64_t> (*)(vm::RunContext &ctx, void *arg);

  // Creates the RunContext of one run (stack frames end at `stack_top`) and
  // calls body(ctx, arg) with it.
  static Result<uint64_t>
  with_context(const vm::RunEnv &env, uint64_t stack_top, Body body, void *arg);
  // Where the current frame starts (lowest byte) and its r10.
  static void set_frame(vm::RunContext &ctx, uint64_t stack_low,
                        uint64_t frame_pointer);
  // Whether a checked run may access [addr, addr + size).
  static bool allowed(const vm::RunContext &ctx, uint64_t addr, uint64_t size,
                      bool write);
  static HelperStatus status(const vm::RunContext &ctx);
  static uint64_t stop_value(const vm::RunContext &ctx);

  // Byte offsets of fields the generated code reads or writes directly: the
  // helper status (one byte, 0 while running), the current frame's lowest
  // byte and its r10 (both uint64_t).
  static size_t status_offset();
  static size_t stack_low_offset();
  static size_t frame_pointer_offset();

  // The errors of a checked run, worded as the interpreter words them.
  static Error access_fault(const vm::RunContext &ctx, uint32_t insn,
                            uint64_t addr, uint64_t size, bool write);
  static Error misaligned_atomic(const vm::RunContext &ctx, uint32_t insn,
                                 uint64_t addr, uint64_t size);
  static Error unknown_helper(uint32_t insn, uint64_t id);
  static Error too_many_frames(uint32_t insn);
  static Error stack_too_deep(uint32_t insn, uint32_t bytes);
  static Error budget_exhausted(uint32_t insn, uint64_t budget);
  static Error helper_failed(const vm::RunContext &ctx, uint32_t insn);
};

} // namespace bpfhost::jit::detail
