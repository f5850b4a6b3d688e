// Functions of a program and the stack each one gets.
//
// Policy (Linux computes exact depths in the verifier; the interpreter also
// runs unverified code, so it works from the instructions alone):
//   - A function starts at slot 0 or at a BPF-to-BPF call target and runs to
//     the next start, as Linux's subprograms do.
//   - Its stack depth is the deepest r10-relative access (base r10, negative
//     offset) rounded up to 16 bytes, capped at 512.
//   - If r10 escapes (copied, stored, used in arithmetic) its accesses cannot
//     be bounded statically, so its frame gets the full 512 bytes; its depth
//     for the chain limit stays the static one (a lower bound, so no program
//     Linux accepts is refused).
//   - Each call's frame sits just below its caller's frame; the interpreter's
//     stack holds 8 frames of 512 bytes, so no chain can overrun it. Checked
//     runs refuse a call whose chain of depths would exceed 512 bytes, as
//     Linux's check_max_stack_depth does.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "isa/ir.hpp"

namespace bpfhost::vm::detail {

// An instruction and the slot it starts at.
struct SlotInsn {
  isa::Insn insn;
  uint32_t slot = 0;
};

struct FunctionLayout {
  uint32_t first_slot = 0;
  uint32_t frame_size = 0;  // bytes below r10 reserved for the frame
  uint32_t stack_depth = 0; // bytes counted against the chain's 512
};

// The functions of a decoded program, ordered by first slot; [0] is the entry.
std::vector<FunctionLayout> layout_functions(std::span<const SlotInsn> insns);

// The slot a jump or local call at `slot` with this offset lands on.
inline uint32_t branch_target(uint32_t slot, int32_t offset) {
  return static_cast<uint32_t>(static_cast<int64_t>(slot) + 1 + offset);
}

} // namespace bpfhost::vm::detail
