// Internal: the operand pieces of the bpftool grammar, shared by its two
// files (asm_bpftool.cpp: control flow, stores, atomics;
// asm_bpftool_assign.cpp: "rN = ..." and "rN OP= ...").
#pragma once

#include <optional>
#include <string>

#include "isa/asm_lexer.hpp"
#include "isa/asm_statement.hpp"

namespace bpfhost::isa::detail {

// rN (64-bit view) or wN (32-bit view).
struct RegRef {
  Reg reg;
  bool is64 = true;
  std::string text;
};

// The register next, or nullopt (cursor unmoved) when the next token is not
// shaped like one; "r11" is an error.
Result<std::optional<RegRef>> try_register(Cursor &c);
Result<RegRef> expect_register(Cursor &c);
// Requires a 64-bit view ("r"), as the kernel prints addresses and lddw.
Result<void> require_64(const RegRef &r);

// "(u32 *)(r1 +4)", "(u8 *)(r10 - 8)", "(s16 *)(r1)".
struct Address {
  Width width = Width::DW;
  bool is_signed = false;
  std::string type; // as written, for messages
  Reg base;
  int16_t off = 0;
};
Result<Address> parse_typed_pointer(Cursor &c); // "(u32 *)" only
Result<void> parse_base(Cursor &c, Address &a); // "(r1 +4)"
Result<Address> parse_address(Cursor &c);       // "(u32 *)(r1 +4)"

Result<void> expect(Cursor &c, std::string_view lit);

Result<Statement> parse_assignment(Cursor &c, const RegRef &dst);

} // namespace bpfhost::isa::detail
