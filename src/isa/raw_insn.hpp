// The 8-byte eBPF instruction slot exactly as on the wire (RFC 9669 §3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bpfhost::isa {

// One instruction slot. Fields are in wire order; the register byte holds
// dst_reg in its low nibble and src_reg in its high nibble (little-endian ISA).
struct RawInsn {
  uint8_t opcode = 0;
  uint8_t regs = 0;
  int16_t off = 0;
  int32_t imm = 0;

  constexpr uint8_t dst() const { return regs & 0x0f; }
  constexpr uint8_t src() const { return regs >> 4; }

  static constexpr RawInsn make(uint8_t opcode, uint8_t dst, uint8_t src,
                                int16_t off, int32_t imm) {
    return RawInsn{opcode, static_cast<uint8_t>((dst & 0x0f) | (src << 4)),
                   off, imm};
  }
  bool operator==(const RawInsn &) const = default;
};
static_assert(sizeof(RawInsn) == 8);

// The parts of the opcode byte (RFC 9669 §3, "Instruction classes" and the
// arithmetic, jump and load/store encodings). Names are the kernel's.
enum class InsnClass : uint8_t {
  Ld = 0x00,    // BPF_LD
  Ldx = 0x01,   // BPF_LDX
  St = 0x02,    // BPF_ST
  Stx = 0x03,   // BPF_STX
  Alu = 0x04,   // BPF_ALU
  Jmp = 0x05,   // BPF_JMP
  Jmp32 = 0x06, // BPF_JMP32
  Alu64 = 0x07, // BPF_ALU64
};
constexpr InsnClass insn_class(uint8_t opcode) {
  return static_cast<InsnClass>(opcode & 0x07);
}

inline constexpr uint8_t kSourceK = 0x00; // BPF_K: operand is imm
inline constexpr uint8_t kSourceX = 0x08; // BPF_X: operand is src_reg

// Load/store modes (BPF_MODE) and sizes (BPF_SIZE).
inline constexpr uint8_t kModeImm = 0x00;    // BPF_IMM (lddw)
inline constexpr uint8_t kModeAbs = 0x20;    // BPF_ABS (legacy packet load)
inline constexpr uint8_t kModeInd = 0x40;    // BPF_IND (legacy packet load)
inline constexpr uint8_t kModeMem = 0x60;    // BPF_MEM
inline constexpr uint8_t kModeMemSx = 0x80;  // BPF_MEMSX (v4)
inline constexpr uint8_t kModeAtomic = 0xc0; // BPF_ATOMIC
inline constexpr uint8_t kSizeW = 0x00;      // BPF_W
inline constexpr uint8_t kSizeH = 0x08;      // BPF_H
inline constexpr uint8_t kSizeB = 0x10;      // BPF_B
inline constexpr uint8_t kSizeDW = 0x18;     // BPF_DW

// Atomic operation codes carried in imm (RFC 9669 §5.3).
inline constexpr int32_t kAtomicFetch = 0x01;   // BPF_FETCH
inline constexpr int32_t kAtomicAdd = 0x00;     // BPF_ADD
inline constexpr int32_t kAtomicOr = 0x40;      // BPF_OR
inline constexpr int32_t kAtomicAnd = 0x50;     // BPF_AND
inline constexpr int32_t kAtomicXor = 0xa0;     // BPF_XOR
inline constexpr int32_t kAtomicXchg = 0xe1;    // BPF_XCHG (always fetches)
inline constexpr int32_t kAtomicCmpXchg = 0xf1; // BPF_CMPXCHG (always fetches)

// src_reg values of a CALL instruction (RFC 9669 §4.3.1).
inline constexpr uint8_t kCallHelper = 0; // helper by static id in imm
inline constexpr uint8_t kCallLocal = 1;  // BPF_PSEUDO_CALL: pc-relative imm
inline constexpr uint8_t kCallBtf = 2;    // BPF_PSEUDO_KFUNC_CALL: BTF id in imm

inline constexpr size_t kMaxRegisters = 11; // r0..r10
inline constexpr uint8_t kFrameRegister = 10;
inline constexpr size_t kStackBytesPerFrame = 512;

// Reads instruction slots from little-endian bytes; the size must be a
// multiple of 8 (the caller reports where it is not).
std::vector<RawInsn> raw_insns_from_bytes(std::span<const uint8_t> bytes);
std::vector<uint8_t> raw_insns_to_bytes(std::span<const RawInsn> insns);

} // namespace bpfhost::isa
