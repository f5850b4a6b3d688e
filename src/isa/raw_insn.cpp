#include "isa/raw_insn.hpp"

namespace bpfhost::isa {

// The wire format is little-endian (RFC 9669 §3); these helpers assemble the
// fields byte by byte so that they are right on any host.
std::vector<RawInsn> raw_insns_from_bytes(std::span<const uint8_t> bytes) {
  std::vector<RawInsn> out(bytes.size() / sizeof(RawInsn));
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t *b = bytes.data() + i * sizeof(RawInsn);
    out[i].opcode = b[0];
    out[i].regs = b[1];
    out[i].off = static_cast<int16_t>(b[2] | (b[3] << 8));
    out[i].imm = static_cast<int32_t>(static_cast<uint32_t>(b[4]) |
                                      (static_cast<uint32_t>(b[5]) << 8) |
                                      (static_cast<uint32_t>(b[6]) << 16) |
                                      (static_cast<uint32_t>(b[7]) << 24));
  }
  return out;
}

std::vector<uint8_t> raw_insns_to_bytes(std::span<const RawInsn> insns) {
  std::vector<uint8_t> out;
  out.reserve(insns.size() * sizeof(RawInsn));
  for (const RawInsn &insn : insns) {
    const auto off = static_cast<uint16_t>(insn.off);
    const auto imm = static_cast<uint32_t>(insn.imm);
    const uint8_t slot[8] = {insn.opcode,
                             insn.regs,
                             static_cast<uint8_t>(off),
                             static_cast<uint8_t>(off >> 8),
                             static_cast<uint8_t>(imm),
                             static_cast<uint8_t>(imm >> 8),
                             static_cast<uint8_t>(imm >> 16),
                             static_cast<uint8_t>(imm >> 24)};
    out.insert(out.end(), slot, slot + 8);
  }
  return out;
}

} // namespace bpfhost::isa
