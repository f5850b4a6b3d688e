// A program prepared for code generation, independent of the host: validated
// and decoded instructions, the functions and their frames (the interpreter's
// frame layout policy, vm/frame_layout.hpp), where jumps land, and the basic
// blocks that counting code charges at their start.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "isa/raw_insn.hpp"
#include "support/result.hpp"
#include "vm/frame_layout.hpp"

namespace bpfhost::jit::detail {

struct CodePlan {
  std::vector<vm::detail::SlotInsn> insns;           // in slot order
  std::vector<vm::detail::FunctionLayout> functions; // [0] is the entry
  // Per instruction: whether a jump lands on it.
  std::vector<bool> is_jump_target;
  // Per instruction: the number of instructions of the basic block that
  // starts here, or 0 when no block starts here. A block ends after a jump,
  // a call, an exit or a packet load, and before a jump target or a function
  // start, so a block runs whole unless it faults.
  std::vector<uint32_t> block_size;
  // Per instruction: the function it belongs to (index into `functions`).
  std::vector<uint32_t> function_of;
  size_t slot_count = 0;

  // The instruction index of the instruction starting at `slot`.
  uint32_t index_of_slot(uint32_t slot) const { return index_of_slot_[slot]; }
  // The function starting at `slot` (which must start one).
  uint32_t function_at_slot(uint32_t slot) const;

  std::vector<uint32_t> index_of_slot_;
};

// Validates (isa::validate), decodes and plans `slots`. Refuses, naming the
// instruction, what must be resolved before execution (lddw with a pseudo
// source) and what the JIT does not support (kfunc calls).
Result<CodePlan> make_code_plan(std::span<const isa::RawInsn> slots);

} // namespace bpfhost::jit::detail
