// Raw slots to IR. Decoding checks each slot against the opcode table:
// unknown opcodes, reserved fields that are not zero, bad register numbers and
// a truncated lddw are errors naming the instruction index.
#pragma once

#include <span>
#include <vector>

#include "isa/ir.hpp"
#include "isa/raw_insn.hpp"
#include "support/result.hpp"

namespace bpfhost::isa {

// Decodes the instruction starting at slot `pc` (an lddw also reads pc + 1).
Result<Insn> decode_at(std::span<const RawInsn> slots, size_t pc);

// Decodes a whole stream, one Insn per instruction (an lddw is one Insn for
// two slots). Does not check control flow; see validate().
Result<std::vector<Insn>> decode(std::span<const RawInsn> slots);

} // namespace bpfhost::isa
