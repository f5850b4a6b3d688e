#include "isa/opcode_table.hpp"

#include <algorithm>
#include <array>

namespace bpfhost::isa {
namespace {

// One row per valid encoding, ordered by opcode byte, then selector value.
// The conformance group follows bpf_conformance's assignment; rows are from
// RFC 9669 Appendix A, plus callx (0x8d) as bpf_conformance and PREVAIL define it.
constexpr OpcodeRow kRows[] = {
    {0x04, Selector::None, 0, "add32", "base32", kDst | kImm},
    {0x05, Selector::None, 0, "ja", "base32", kOff},
    {0x06, Selector::None, 0, "ja32", "base32", kImm},
    {0x07, Selector::None, 0, "add", "base64", kDst | kImm},
    {0x0c, Selector::None, 0, "add32", "base32", kDst | kSrc},
    {0x0f, Selector::None, 0, "add", "base64", kDst | kSrc},
    {0x14, Selector::None, 0, "sub32", "base32", kDst | kImm},
    {0x15, Selector::None, 0, "jeq", "base64", kDst | kOff | kImm},
    {0x16, Selector::None, 0, "jeq32", "base32", kDst | kOff | kImm},
    {0x17, Selector::None, 0, "sub", "base64", kDst | kImm},
    {0x18, Selector::Src, 0, "lddw", "base64", kDst | kImm},
    {0x18, Selector::Src, 1, "lddw", "base64", kDst | kImm},
    {0x18, Selector::Src, 2, "lddw", "base64", kDst | kImm},
    {0x18, Selector::Src, 3, "lddw", "base64", kDst | kImm},
    {0x18, Selector::Src, 4, "lddw", "base64", kDst | kImm},
    {0x18, Selector::Src, 5, "lddw", "base64", kDst | kImm},
    {0x18, Selector::Src, 6, "lddw", "base64", kDst | kImm},
    {0x1c, Selector::None, 0, "sub32", "base32", kDst | kSrc},
    {0x1d, Selector::None, 0, "jeq", "base64", kDst | kSrc | kOff},
    {0x1e, Selector::None, 0, "jeq32", "base32", kDst | kSrc | kOff},
    {0x1f, Selector::None, 0, "sub", "base64", kDst | kSrc},
    {0x20, Selector::None, 0, "ldabsw", "packet", kImm},
    {0x24, Selector::None, 0, "mul32", "divmul32", kDst | kImm},
    {0x25, Selector::None, 0, "jgt", "base64", kDst | kOff | kImm},
    {0x26, Selector::None, 0, "jgt32", "base32", kDst | kOff | kImm},
    {0x27, Selector::None, 0, "mul", "divmul64", kDst | kImm},
    {0x28, Selector::None, 0, "ldabsh", "packet", kImm},
    {0x2c, Selector::None, 0, "mul32", "divmul32", kDst | kSrc},
    {0x2d, Selector::None, 0, "jgt", "base64", kDst | kSrc | kOff},
    {0x2e, Selector::None, 0, "jgt32", "base32", kDst | kSrc | kOff},
    {0x2f, Selector::None, 0, "mul", "divmul64", kDst | kSrc},
    {0x30, Selector::None, 0, "ldabsb", "packet", kImm},
    {0x34, Selector::Off, 0, "div32", "divmul32", kDst | kImm},
    {0x34, Selector::Off, 1, "sdiv32", "divmul32", kDst | kImm},
    {0x35, Selector::None, 0, "jge", "base64", kDst | kOff | kImm},
    {0x36, Selector::None, 0, "jge32", "base32", kDst | kOff | kImm},
    {0x37, Selector::Off, 0, "div", "divmul64", kDst | kImm},
    {0x37, Selector::Off, 1, "sdiv", "divmul64", kDst | kImm},
    {0x3c, Selector::Off, 0, "div32", "divmul32", kDst | kSrc},
    {0x3c, Selector::Off, 1, "sdiv32", "divmul32", kDst | kSrc},
    {0x3d, Selector::None, 0, "jge", "base64", kDst | kSrc | kOff},
    {0x3e, Selector::None, 0, "jge32", "base32", kDst | kSrc | kOff},
    {0x3f, Selector::Off, 0, "div", "divmul64", kDst | kSrc},
    {0x3f, Selector::Off, 1, "sdiv", "divmul64", kDst | kSrc},
    {0x40, Selector::None, 0, "ldindw", "packet", kSrc | kImm},
    {0x44, Selector::None, 0, "or32", "base32", kDst | kImm},
    {0x45, Selector::None, 0, "jset", "base64", kDst | kOff | kImm},
    {0x46, Selector::None, 0, "jset32", "base32", kDst | kOff | kImm},
    {0x47, Selector::None, 0, "or", "base64", kDst | kImm},
    {0x48, Selector::None, 0, "ldindh", "packet", kSrc | kImm},
    {0x4c, Selector::None, 0, "or32", "base32", kDst | kSrc},
    {0x4d, Selector::None, 0, "jset", "base64", kDst | kSrc | kOff},
    {0x4e, Selector::None, 0, "jset32", "base32", kDst | kSrc | kOff},
    {0x4f, Selector::None, 0, "or", "base64", kDst | kSrc},
    {0x50, Selector::None, 0, "ldindb", "packet", kSrc | kImm},
    {0x54, Selector::None, 0, "and32", "base32", kDst | kImm},
    {0x55, Selector::None, 0, "jne", "base64", kDst | kOff | kImm},
    {0x56, Selector::None, 0, "jne32", "base32", kDst | kOff | kImm},
    {0x57, Selector::None, 0, "and", "base64", kDst | kImm},
    {0x5c, Selector::None, 0, "and32", "base32", kDst | kSrc},
    {0x5d, Selector::None, 0, "jne", "base64", kDst | kSrc | kOff},
    {0x5e, Selector::None, 0, "jne32", "base32", kDst | kSrc | kOff},
    {0x5f, Selector::None, 0, "and", "base64", kDst | kSrc},
    {0x61, Selector::None, 0, "ldxw", "base32", kDst | kSrc | kOff},
    {0x62, Selector::None, 0, "stw", "base32", kDst | kOff | kImm},
    {0x63, Selector::None, 0, "stxw", "base32", kDst | kSrc | kOff},
    {0x64, Selector::None, 0, "lsh32", "base32", kDst | kImm},
    {0x65, Selector::None, 0, "jsgt", "base64", kDst | kOff | kImm},
    {0x66, Selector::None, 0, "jsgt32", "base32", kDst | kOff | kImm},
    {0x67, Selector::None, 0, "lsh", "base64", kDst | kImm},
    {0x69, Selector::None, 0, "ldxh", "base32", kDst | kSrc | kOff},
    {0x6a, Selector::None, 0, "sth", "base32", kDst | kOff | kImm},
    {0x6b, Selector::None, 0, "stxh", "base32", kDst | kSrc | kOff},
    {0x6c, Selector::None, 0, "lsh32", "base32", kDst | kSrc},
    {0x6d, Selector::None, 0, "jsgt", "base64", kDst | kSrc | kOff},
    {0x6e, Selector::None, 0, "jsgt32", "base32", kDst | kSrc | kOff},
    {0x6f, Selector::None, 0, "lsh", "base64", kDst | kSrc},
    {0x71, Selector::None, 0, "ldxb", "base32", kDst | kSrc | kOff},
    {0x72, Selector::None, 0, "stb", "base32", kDst | kOff | kImm},
    {0x73, Selector::None, 0, "stxb", "base32", kDst | kSrc | kOff},
    {0x74, Selector::None, 0, "rsh32", "base32", kDst | kImm},
    {0x75, Selector::None, 0, "jsge", "base64", kDst | kOff | kImm},
    {0x76, Selector::None, 0, "jsge32", "base32", kDst | kOff | kImm},
    {0x77, Selector::None, 0, "rsh", "base64", kDst | kImm},
    {0x79, Selector::None, 0, "ldxdw", "base64", kDst | kSrc | kOff},
    {0x7a, Selector::None, 0, "stdw", "base64", kDst | kOff | kImm},
    {0x7b, Selector::None, 0, "stxdw", "base64", kDst | kSrc | kOff},
    {0x7c, Selector::None, 0, "rsh32", "base32", kDst | kSrc},
    {0x7d, Selector::None, 0, "jsge", "base64", kDst | kSrc | kOff},
    {0x7e, Selector::None, 0, "jsge32", "base32", kDst | kSrc | kOff},
    {0x7f, Selector::None, 0, "rsh", "base64", kDst | kSrc},
    {0x81, Selector::None, 0, "ldxsw", "base32", kDst | kSrc | kOff},
    {0x84, Selector::None, 0, "neg32", "base32", kDst},
    {0x85, Selector::Src, 0, "call", "base32", kImm},
    {0x85, Selector::Src, 1, "call local", "base32", kImm},
    {0x85, Selector::Src, 2, "call btf", "base32", kOff | kImm},
    {0x87, Selector::None, 0, "neg", "base64", kDst},
    {0x89, Selector::None, 0, "ldxsh", "base32", kDst | kSrc | kOff},
    {0x8d, Selector::None, 0, "callx", "callx", kDst},
    {0x91, Selector::None, 0, "ldxsb", "base32", kDst | kSrc | kOff},
    {0x94, Selector::Off, 0, "mod32", "divmul32", kDst | kImm},
    {0x94, Selector::Off, 1, "smod32", "divmul32", kDst | kImm},
    {0x95, Selector::None, 0, "exit", "base32", kNone},
    {0x97, Selector::Off, 0, "mod", "divmul64", kDst | kImm},
    {0x97, Selector::Off, 1, "smod", "divmul64", kDst | kImm},
    {0x9c, Selector::Off, 0, "mod32", "divmul32", kDst | kSrc},
    {0x9c, Selector::Off, 1, "smod32", "divmul32", kDst | kSrc},
    {0x9f, Selector::Off, 0, "mod", "divmul64", kDst | kSrc},
    {0x9f, Selector::Off, 1, "smod", "divmul64", kDst | kSrc},
    {0xa4, Selector::None, 0, "xor32", "base32", kDst | kImm},
    {0xa5, Selector::None, 0, "jlt", "base64", kDst | kOff | kImm},
    {0xa6, Selector::None, 0, "jlt32", "base32", kDst | kOff | kImm},
    {0xa7, Selector::None, 0, "xor", "base64", kDst | kImm},
    {0xac, Selector::None, 0, "xor32", "base32", kDst | kSrc},
    {0xad, Selector::None, 0, "jlt", "base64", kDst | kSrc | kOff},
    {0xae, Selector::None, 0, "jlt32", "base32", kDst | kSrc | kOff},
    {0xaf, Selector::None, 0, "xor", "base64", kDst | kSrc},
    {0xb4, Selector::None, 0, "mov32", "base32", kDst | kImm},
    {0xb5, Selector::None, 0, "jle", "base64", kDst | kOff | kImm},
    {0xb6, Selector::None, 0, "jle32", "base32", kDst | kOff | kImm},
    {0xb7, Selector::None, 0, "mov", "base64", kDst | kImm},
    {0xbc, Selector::Off, 0, "mov32", "base32", kDst | kSrc},
    {0xbc, Selector::Off, 8, "movsx832", "base32", kDst | kSrc},
    {0xbc, Selector::Off, 16, "movsx1632", "base32", kDst | kSrc},
    {0xbd, Selector::None, 0, "jle", "base64", kDst | kSrc | kOff},
    {0xbe, Selector::None, 0, "jle32", "base32", kDst | kSrc | kOff},
    {0xbf, Selector::Off, 0, "mov", "base64", kDst | kSrc},
    {0xbf, Selector::Off, 8, "movsx864", "base64", kDst | kSrc},
    {0xbf, Selector::Off, 16, "movsx1664", "base64", kDst | kSrc},
    {0xbf, Selector::Off, 32, "movsx3264", "base64", kDst | kSrc},
    {0xc3, Selector::Imm, 0x00, "lock add32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0x01, "lock fetch add32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0x40, "lock or32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0x41, "lock fetch or32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0x50, "lock and32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0x51, "lock fetch and32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0xa0, "lock xor32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0xa1, "lock fetch xor32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0xe1, "lock xchg32", "atomic32", kDst | kSrc | kOff},
    {0xc3, Selector::Imm, 0xf1, "lock cmpxchg32", "atomic32", kDst | kSrc | kOff},
    {0xc4, Selector::None, 0, "arsh32", "base32", kDst | kImm},
    {0xc5, Selector::None, 0, "jslt", "base64", kDst | kOff | kImm},
    {0xc6, Selector::None, 0, "jslt32", "base32", kDst | kOff | kImm},
    {0xc7, Selector::None, 0, "arsh", "base64", kDst | kImm},
    {0xcc, Selector::None, 0, "arsh32", "base32", kDst | kSrc},
    {0xcd, Selector::None, 0, "jslt", "base64", kDst | kSrc | kOff},
    {0xce, Selector::None, 0, "jslt32", "base32", kDst | kSrc | kOff},
    {0xcf, Selector::None, 0, "arsh", "base64", kDst | kSrc},
    {0xd4, Selector::Imm, 16, "le16", "base32", kDst},
    {0xd4, Selector::Imm, 32, "le32", "base32", kDst},
    {0xd4, Selector::Imm, 64, "le64", "base32", kDst},
    {0xd5, Selector::None, 0, "jsle", "base64", kDst | kOff | kImm},
    {0xd6, Selector::None, 0, "jsle32", "base32", kDst | kOff | kImm},
    {0xd7, Selector::Imm, 16, "bswap16", "base64", kDst},
    {0xd7, Selector::Imm, 32, "bswap32", "base64", kDst},
    {0xd7, Selector::Imm, 64, "bswap64", "base64", kDst},
    {0xdb, Selector::Imm, 0x00, "lock add", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0x01, "lock fetch add", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0x40, "lock or", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0x41, "lock fetch or", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0x50, "lock and", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0x51, "lock fetch and", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0xa0, "lock xor", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0xa1, "lock fetch xor", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0xe1, "lock xchg", "atomic64", kDst | kSrc | kOff},
    {0xdb, Selector::Imm, 0xf1, "lock cmpxchg", "atomic64", kDst | kSrc | kOff},
    {0xdc, Selector::Imm, 16, "be16", "base32", kDst},
    {0xdc, Selector::Imm, 32, "be32", "base32", kDst},
    {0xdc, Selector::Imm, 64, "be64", "base32", kDst},
    {0xdd, Selector::None, 0, "jsle", "base64", kDst | kSrc | kOff},
    {0xde, Selector::None, 0, "jsle32", "base32", kDst | kSrc | kOff},
};

constexpr bool rows_are_sorted() {
  for (size_t i = 1; i < std::size(kRows); ++i) {
    if (kRows[i - 1].opcode > kRows[i].opcode)
      return false;
  }
  return true;
}
static_assert(rows_are_sorted(), "find_opcode_row relies on opcode order");

int32_t selector_field(const RawInsn &insn, Selector selector) {
  switch (selector) {
  case Selector::None:
    return 0;
  case Selector::Src:
    return insn.src();
  case Selector::Off:
    return insn.off;
  case Selector::Imm:
    return insn.imm;
  }
  return 0;
}

} // namespace

std::span<const OpcodeRow> opcode_table() { return kRows; }

const OpcodeRow *find_opcode_row(const RawInsn &insn) {
  auto [first, last] = std::equal_range(
      std::begin(kRows), std::end(kRows), OpcodeRow{insn.opcode, {}, 0, {}, {}, 0},
      [](const OpcodeRow &a, const OpcodeRow &b) { return a.opcode < b.opcode; });
  for (auto it = first; it != last; ++it) {
    if (it->selector == Selector::None ||
        selector_field(insn, it->selector) == it->selector_value)
      return &*it;
  }
  return nullptr;
}

bool is_known_opcode(uint8_t opcode) {
  return std::any_of(std::begin(kRows), std::end(kRows),
                     [opcode](const OpcodeRow &r) { return r.opcode == opcode; });
}

} // namespace bpfhost::isa
