// The one table of valid eBPF encodings (RFC 9669 including the v4 additions).
// The decoder's validity check, the assemblers' mnemonics, the disassemblers
// and the tests that sweep all 256 opcode bytes all read this table.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "isa/raw_insn.hpp"

namespace bpfhost::isa {

// Which field of the slot, besides the opcode byte, picks this row.
enum class Selector : uint8_t {
  None, // the opcode byte alone
  Src,  // src_reg (CALL variants, lddw pseudo sources)
  Off,  // offset (signed DIV/MOD, MOVSX widths)
  Imm,  // imm (byte order widths, atomic operations)
};

// Fields an encoding gives meaning to; every other field must be zero.
enum FieldUse : uint8_t {
  kNone = 0,
  kDst = 1 << 0,
  kSrc = 1 << 1,
  kOff = 1 << 2,
  kImm = 1 << 3,
};

struct OpcodeRow {
  uint8_t opcode;
  Selector selector;
  int32_t selector_value;
  // Mnemonic in the conformance-corpus syntax ("add32", "lock fetch add").
  std::string_view mnemonic;
  // bpf_conformance group: base32, base64, divmul32, divmul64, atomic32,
  // atomic64, packet or callx.
  std::string_view group;
  // FieldUse bits. A selector field counts as used.
  uint8_t uses;
};

// Every valid encoding, ordered by opcode byte then selector value.
std::span<const OpcodeRow> opcode_table();

// The row an instruction slot's encoding selects, or nullptr when none does.
// Does not check that unused fields are zero (validate_fields does).
const OpcodeRow *find_opcode_row(const RawInsn &insn);

// Whether any row uses this opcode byte at all.
bool is_known_opcode(uint8_t opcode);

} // namespace bpfhost::isa
