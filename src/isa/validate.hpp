// Structural checks of an instruction stream, before any verifier runs: every
// slot decodes, jumps and local calls land on an instruction start inside the
// program (never the second slot of an lddw), no path falls off the end, r10 is
// never written. Errors name the instruction index and what is wrong.
#pragma once

#include <span>

#include "isa/raw_insn.hpp"
#include "support/result.hpp"

namespace bpfhost::isa {

// The longest program accepted (Linux's BPF_COMPLEXITY_LIMIT_INSNS).
inline constexpr size_t kMaxProgramSlots = 1'000'000;

Result<void> validate(std::span<const RawInsn> slots);

} // namespace bpfhost::isa
