// IR to raw slots: the inverse of decode for every row of the opcode table.
#pragma once

#include <span>
#include <vector>

#include "isa/ir.hpp"
#include "isa/raw_insn.hpp"

namespace bpfhost::isa {

// Appends the one or two slots of `insn` to `out`.
void encode(const Insn &insn, std::vector<RawInsn> &out);

std::vector<RawInsn> encode(std::span<const Insn> program);

} // namespace bpfhost::isa
