// Internal: one assembled statement before label resolution, and the two
// statement grammars that produce it (asm_conformance.cpp, asm_bpftool.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "isa/ir.hpp"
#include "support/result.hpp"

namespace bpfhost::isa::detail {

struct Statement {
  Insn insn;
  // A label naming the target of a jump, local call or subprog[...] lddw; the
  // driver patches the offset once every label is known.
  std::optional<std::string> target_label;
};

// `text` holds one instruction with comments, labels and listing prefixes
// already removed. Errors carry no location (the driver adds "line N").
Result<Statement> parse_conformance_statement(std::string_view text);
Result<Statement> parse_bpftool_statement(std::string_view text);

} // namespace bpfhost::isa::detail
