// Sample encodings of opcode-table rows, shared by the tests that sweep the table.
#pragma once

#include <vector>

#include "isa/opcode_table.hpp"

namespace bpfhost::isa::testing {

// A valid encoding of `row`: every used field gets a non-zero value that the
// row allows, the selector field its value, the rest zero. An lddw gets its
// second slot. Jumps and local calls target the slot right after (offset 0
// would be valid too, but a non-zero value tests the field).
inline std::vector<RawInsn> sample_encoding(const OpcodeRow &row) {
  RawInsn insn{};
  insn.opcode = row.opcode;
  const uint8_t dst = (row.uses & kDst) ? 3 : 0;
  uint8_t src = (row.uses & kSrc) ? 4 : 0;
  int16_t off = (row.uses & kOff) ? 1 : 0;
  int32_t imm = (row.uses & kImm) ? 1 : 0;
  switch (row.selector) {
  case Selector::None:
    break;
  case Selector::Src:
    src = static_cast<uint8_t>(row.selector_value);
    break;
  case Selector::Off:
    off = static_cast<int16_t>(row.selector_value);
    break;
  case Selector::Imm:
    imm = row.selector_value;
    break;
  }
  insn = RawInsn::make(row.opcode, dst, src, off, imm);
  std::vector<RawInsn> out{insn};
  if (row.opcode == 0x18)
    out.push_back(RawInsn::make(0, 0, 0, 0, 7));
  return out;
}

} // namespace bpfhost::isa::testing
