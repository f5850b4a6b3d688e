// Internal: the one spelling of lddw's pseudo sources (RFC 9669 §5.4, the
// kernel's BPF_PSEUDO_*), shared by both syntaxes. Modelled on what bpftool
// prints ("map[id:N]", "map[id:N][0]+M", "subprog[+N]"), with the fd that the
// instruction actually holds instead of the kernel's map id:
//
//   src 1 MapFd        map[fd:3]          src 4 Func         subprog[+3]
//   src 2 MapValue     map[fd:3][0]+8     src 5 MapIdx       map[idx:3]
//   src 3 BtfId        btf[id:5]          src 6 MapIdxValue  map[idx:3][0]+8
//
// Kinds without a value offset print a non-zero second-slot imm as a "+N" or
// "-N" suffix (map[fd:3]+7), so every encoding the decoder accepts prints
// losslessly. On input PREVAIL's "map_fd 3" and "map_val(3) + 8" are also
// accepted, and subprog[...] may name a label.
#pragma once

#include <optional>
#include <string>

#include "isa/asm_lexer.hpp"
#include "isa/ir.hpp"

namespace bpfhost::isa::detail {

// The operand text of a pseudo lddw (kind != Imm).
std::string format_pseudo_lddw(const LoadImm64 &insn);

struct PseudoLddw {
  LddwKind kind = LddwKind::MapFd;
  int32_t imm = 0;
  int32_t next_imm = 0;
  std::optional<std::string> label; // subprog[name]: resolved like a call
};

// Parses a pseudo source if one starts at the cursor; nullopt (cursor
// unmoved) when the text is something else, such as a number.
Result<std::optional<PseudoLddw>> parse_pseudo_lddw(Cursor &cursor);

} // namespace bpfhost::isa::detail
