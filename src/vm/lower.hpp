// Lowering of one decoded instruction into its VmInsn record.
#pragma once

#include <span>

#include "vm/frame_layout.hpp"
#include "vm/lowered.hpp"

namespace bpfhost::vm::detail {

// The record for `si`: handler and fields. Jump deltas are left for the
// caller to patch; a local call's imm is the callee's index in `functions`.
// kfunc calls and unresolved lddw must have been refused before.
VmInsn lower(const SlotInsn &si, std::span<const FunctionLayout> functions);

// Whether `op` is one of the sign-extending moves (MOVSX).
bool is_movsx(isa::AluOp op);

} // namespace bpfhost::vm::detail
