// Text to instruction slots, in either syntax (see syntax.hpp and disasm.hpp).
//
// Both syntaxes share the line structure: one instruction per line; labels
// "name:" or "<name>:" at the start of a line (optionally followed by an
// instruction) name the next instruction; jump, call and subprog[] targets are
// relative offsets or labels. Comments start with ';' or '//' anywhere, and
// with '#' (conformance: anywhere; bpftool: at the start or after a space, so
// that "call bpf_map_lookup_elem#1" stays whole). A listing prefix as
// disassemble_listing() prints it ("  12: " and optionally "(b7) ") is
// accepted and must match the instruction's slot index.
//
// Conformance syntax: mnemonics are the opcode table's, plus the corpus's
// aliases (swapNN, "call %rN" for callx, "call runtime", a "64" suffix on
// 64-bit mnemonics); as in bpf_conformance, a jump to "exit" with no label of
// that name goes to the first exit instruction (subnet.data relies on it).
// Immediates: decimal from -2^31 to 2^31 - 1, hex up to 0xffffffff read as the
// 32-bit pattern; offsets -32768..32767; lddw takes any 64-bit value.
//
// Bpftool syntax: what disassemble() prints, plus PREVAIL's and LLVM's
// variants ("(r1 + 4)", "lock ... += r1 fetch", "x=", "cx=", "s8=", "swap16",
// "&==", "map_fd N", "map_val(N) + M", "goto <label>", "call <label>",
// "goto +3", "r0 = 5ll"), helper names as bpftool prints them ("call
// bpf_map_lookup_elem#1"). As in PREVAIL, the destination sets the width of a
// 32-bit operation whatever the source's letter ("w1 <<= r2"), and decimal
// immediates up to 4294967295 are 32-bit patterns ("w0 = 4194435072").
// PREVAIL's verifier-only "assume" statement and the "&!=" condition have no
// encoding and are rejected with a message that says so.
//
// Errors are ErrorCode::InvalidInput with location "line N" (1-based) and a
// message naming what is wrong: "unknown mnemonic 'foo'", "undefined label
// 'L9'", "invalid register 'r11'", "immediate 0x1ffffffff out of range for 32
// bits", "offset 40000 out of range".
#pragma once

#include <string_view>
#include <vector>

#include "isa/raw_insn.hpp"
#include "isa/syntax.hpp"
#include "support/result.hpp"

namespace bpfhost::isa {

Result<std::vector<RawInsn>> assemble(std::string_view text, Syntax syntax);

} // namespace bpfhost::isa
