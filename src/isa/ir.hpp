// The decoded instruction: one small struct per meaning (STYLE.md §2). Decoding
// resolves every encoding trick once, so no later pass looks at opcode bits.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

namespace bpfhost::isa {

struct Reg {
  uint8_t index = 0;
  bool operator==(const Reg &) const = default;
};
struct Imm {
  int32_t value = 0;
  bool operator==(const Imm &) const = default;
};
using Operand = std::variant<Reg, Imm>;

// Access width in bytes.
enum class Width : uint8_t { B = 1, H = 2, W = 4, DW = 8 };
constexpr unsigned bytes(Width w) { return static_cast<unsigned>(w); }

enum class AluOp : uint8_t {
  Add, Sub, Mul, Div, SDiv, Or, And, Lsh, Rsh, Mod, SMod, Xor, Arsh,
  Mov, MovSx8, MovSx16, MovSx32, // MOVSX: sign-extend the low 8/16/32 bits of src (v4)
};

// dst = dst OP src, in 64 or 32 bits (32-bit results are zero-extended).
struct Alu {
  AluOp op = AluOp::Add;
  Reg dst;
  Operand src;
  bool is64 = true;
  bool operator==(const Alu &) const = default;
};

// dst = -dst.
struct Neg {
  Reg dst;
  bool is64 = true;
  bool operator==(const Neg &) const = default;
};

// le16/32/64 and be16/32/64 convert between host and that byte order;
// Swap is the v4 unconditional byte swap (bswap16/32/64, BPF_ALU64|BPF_END).
enum class ByteOrder : uint8_t { ToLittle, ToBig, Swap };
struct Endian {
  ByteOrder order = ByteOrder::ToLittle;
  Reg dst;
  uint8_t bits = 64; // 16, 32 or 64
  bool operator==(const Endian &) const = default;
};

// dst = *(width *)(base + off), optionally sign-extended (BPF_MEMSX, v4).
struct Load {
  Reg dst;
  Reg base;
  int16_t off = 0;
  Width width = Width::DW;
  bool sign_extend = false;
  bool operator==(const Load &) const = default;
};

// *(width *)(base + off) = value: a register (BPF_STX) or an immediate (BPF_ST).
struct Store {
  Reg base;
  int16_t off = 0;
  Width width = Width::DW;
  Operand value;
  bool operator==(const Store &) const = default;
};

enum class AtomicOp : uint8_t { Add, Or, And, Xor, Xchg, CmpXchg };

// Atomic read-modify-write of *(width *)(base + off) with src. With `fetch`
// the old value lands in src (for CmpXchg in r0; Xchg and CmpXchg always fetch).
struct Atomic {
  AtomicOp op = AtomicOp::Add;
  bool fetch = false;
  Width width = Width::DW; // W or DW only
  Reg base;
  int16_t off = 0;
  Reg src;
  bool operator==(const Atomic &) const = default;
};

enum class JumpCond : uint8_t {
  Always, Eq, Gt, Ge, Set, Ne, SGt, SGe, Lt, Le, SLt, SLe,
};

// Conditional or unconditional jump by `offset` slots, relative to the next
// slot. For Always, `is32` marks the v4 long form (gotol / ja32, offset from
// imm); for conditions it compares the low 32 bits (BPF_JMP32).
struct Jump {
  JumpCond cond = JumpCond::Always;
  bool is32 = false;
  Reg dst;
  Operand src;
  int32_t offset = 0;
  bool operator==(const Jump &) const = default;
};

// Call of a helper by its static id.
struct Call {
  int32_t helper_id = 0;
  bool operator==(const Call &) const = default;
};

// BPF-to-BPF call (BPF_PSEUDO_CALL); `offset` slots relative to the next slot.
struct CallLocal {
  int32_t offset = 0;
  bool operator==(const CallLocal &) const = default;
};

// Call of a kernel function by BTF id (BPF_PSEUDO_KFUNC_CALL); a non-zero
// `module` is an index into the loader's fd_array naming a module's BTF.
struct CallBtf {
  int32_t btf_id = 0;
  int16_t module = 0;
  bool operator==(const CallBtf &) const = default;
};

// callx: the register holds the helper id (bpf_conformance's and PREVAIL's
// definition; encoded as BPF_JMP|BPF_CALL|BPF_X with the register in dst_reg).
struct CallX {
  Reg reg;
  bool operator==(const CallX &) const = default;
};

struct Exit {
  bool operator==(const Exit &) const = default;
};

// The src_reg of an lddw (RFC 9669 §5.4 and the kernel's BPF_PSEUDO_* values).
enum class LddwKind : uint8_t {
  Imm = 0,         // dst = imm64
  MapFd = 1,       // BPF_PSEUDO_MAP_FD: dst = map of fd imm
  MapValue = 2,    // BPF_PSEUDO_MAP_VALUE: dst = address of map(fd imm) value + next_imm
  BtfId = 3,       // BPF_PSEUDO_BTF_ID: dst = address of kernel variable
  Func = 4,        // BPF_PSEUDO_FUNC: dst = address of the subprogram at pc + imm
  MapIdx = 5,      // BPF_PSEUDO_MAP_IDX: map by index into fd_array
  MapIdxValue = 6, // BPF_PSEUDO_MAP_IDX_VALUE
};

// The two-slot 64-bit immediate load. `imm` and `next_imm` are the imm fields
// of the first and second slot; for Imm the value is their concatenation.
struct LoadImm64 {
  Reg dst;
  LddwKind kind = LddwKind::Imm;
  int32_t imm = 0;
  int32_t next_imm = 0;
  uint64_t value() const {
    return (static_cast<uint64_t>(static_cast<uint32_t>(next_imm)) << 32) |
           static_cast<uint32_t>(imm);
  }
  bool operator==(const LoadImm64 &) const = default;
};

// Legacy packet access (BPF_LD|BPF_ABS / BPF_IND): r0 = ntoh(*(width *)(skb
// data + [index +] imm)), with the context implicitly in r6; out of bounds
// ends the program with r0 = 0.
struct PacketLoad {
  Width width = Width::W;
  std::optional<Reg> index; // BPF_IND when present
  int32_t imm = 0;
  bool operator==(const PacketLoad &) const = default;
};

using Insn = std::variant<Alu, Neg, Endian, Load, Store, Atomic, Jump, Call,
                          CallLocal, CallBtf, CallX, Exit, LoadImm64,
                          PacketLoad>;

// Number of 8-byte slots an instruction occupies (2 for lddw, else 1).
inline unsigned slot_count(const Insn &insn) {
  return std::holds_alternative<LoadImm64>(insn) ? 2 : 1;
}

} // namespace bpfhost::isa
