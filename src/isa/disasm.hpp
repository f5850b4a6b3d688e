// Instructions to text, in either syntax (see syntax.hpp). Jump and call
// targets print as offsets relative to the next slot ("ja +3", "goto pc+3"),
// never as labels, so the text is a fixed point: assemble(disassemble(b)) == b
// for every valid encoding b, in both syntaxes.
//
// Conformance syntax is read off the opcode table: the instruction is encoded,
// its row gives the mnemonic (conformance_syntax.hpp gives the operand order).
// Bpftool syntax follows kernel/bpf/disasm.c: ALU immediates in signed decimal,
// jump immediates as 0x%x, offsets as "(r10 -8)", helpers as "call 1", kfuncs
// as "call kernel-function#N"; an lddw prints "r0 = 0x1 ll" (LLVM's suffix,
// so that it reads back as lddw rather than mov) and pseudo sources as
// lddw_source.hpp spells them.
#pragma once

#include <span>
#include <string>

#include "isa/ir.hpp"
#include "isa/raw_insn.hpp"
#include "isa/syntax.hpp"

namespace bpfhost::isa {

// One instruction, without a newline.
std::string disassemble(const Insn &insn, Syntax syntax);

// A whole program, one line (ending in '\n') per instruction. A slot that
// does not decode prints as "<invalid: MESSAGE>" (which does not assemble)
// and disassembly resumes at the next slot.
std::string disassemble(std::span<const RawInsn> slots, Syntax syntax);

struct ListingOptions {
  // Print the opcode byte after the index, "   5: (18) r1 = ...", as bpftool
  // prog dump xlated and the verifier log do. Default off.
  bool opcodes = false;
};

// Like disassemble(), each line prefixed with its slot index as bpftool
// prints it ("%4u: "), so an lddw's second slot is skipped in the numbering.
// The assembler accepts (and checks) these prefixes, so listings round-trip.
std::string disassemble_listing(std::span<const RawInsn> slots, Syntax syntax,
                                ListingOptions options = {});

} // namespace bpfhost::isa
