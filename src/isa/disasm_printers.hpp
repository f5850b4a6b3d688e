// Internal: the two instruction printers behind disasm.hpp.
#pragma once

#include <string>

#include "isa/ir.hpp"

namespace bpfhost::isa::detail {

std::string print_conformance(const Insn &insn);
std::string print_bpftool(const Insn &insn);

} // namespace bpfhost::isa::detail
