#include "isa/encode.hpp"

#include "isa/overloaded.hpp"

namespace bpfhost::isa {
namespace {

uint8_t size_bits(Width w) {
  switch (w) {
  case Width::B:
    return kSizeB;
  case Width::H:
    return kSizeH;
  case Width::W:
    return kSizeW;
  case Width::DW:
    return kSizeDW;
  }
  return kSizeDW;
}

struct AluEncoding {
  uint8_t op;
  int16_t off;
};

AluEncoding alu_encoding(AluOp op) {
  switch (op) {
  case AluOp::Add:
    return {0x00, 0};
  case AluOp::Sub:
    return {0x10, 0};
  case AluOp::Mul:
    return {0x20, 0};
  case AluOp::Div:
    return {0x30, 0};
  case AluOp::SDiv:
    return {0x30, 1};
  case AluOp::Or:
    return {0x40, 0};
  case AluOp::And:
    return {0x50, 0};
  case AluOp::Lsh:
    return {0x60, 0};
  case AluOp::Rsh:
    return {0x70, 0};
  case AluOp::Mod:
    return {0x90, 0};
  case AluOp::SMod:
    return {0x90, 1};
  case AluOp::Xor:
    return {0xa0, 0};
  case AluOp::Arsh:
    return {0xc0, 0};
  case AluOp::Mov:
    return {0xb0, 0};
  case AluOp::MovSx8:
    return {0xb0, 8};
  case AluOp::MovSx16:
    return {0xb0, 16};
  case AluOp::MovSx32:
    return {0xb0, 32};
  }
  return {0x00, 0};
}

uint8_t jump_op(JumpCond cond) {
  switch (cond) {
  case JumpCond::Always:
    return 0x00;
  case JumpCond::Eq:
    return 0x10;
  case JumpCond::Gt:
    return 0x20;
  case JumpCond::Ge:
    return 0x30;
  case JumpCond::Set:
    return 0x40;
  case JumpCond::Ne:
    return 0x50;
  case JumpCond::SGt:
    return 0x60;
  case JumpCond::SGe:
    return 0x70;
  case JumpCond::Lt:
    return 0xa0;
  case JumpCond::Le:
    return 0xb0;
  case JumpCond::SLt:
    return 0xc0;
  case JumpCond::SLe:
    return 0xd0;
  }
  return 0x00;
}

int32_t atomic_imm(const Atomic &a) {
  switch (a.op) {
  case AtomicOp::Add:
    return kAtomicAdd | (a.fetch ? kAtomicFetch : 0);
  case AtomicOp::Or:
    return kAtomicOr | (a.fetch ? kAtomicFetch : 0);
  case AtomicOp::And:
    return kAtomicAnd | (a.fetch ? kAtomicFetch : 0);
  case AtomicOp::Xor:
    return kAtomicXor | (a.fetch ? kAtomicFetch : 0);
  case AtomicOp::Xchg:
    return kAtomicXchg;
  case AtomicOp::CmpXchg:
    return kAtomicCmpXchg;
  }
  return 0;
}

uint8_t cls(InsnClass c) { return static_cast<uint8_t>(c); }

// The source bit and the register/imm fields of an operand.
struct OperandFields {
  uint8_t source;
  uint8_t src_reg;
  int32_t imm;
};
OperandFields operand_fields(const Operand &operand) {
  return std::visit(overloaded{
                        [](Reg r) { return OperandFields{kSourceX, r.index, 0}; },
                        [](Imm i) { return OperandFields{kSourceK, 0, i.value}; },
                    },
                    operand);
}

} // namespace

void encode(const Insn &insn, std::vector<RawInsn> &out) {
  std::visit(
      overloaded{
          [&](const Alu &a) {
            const auto [op, off] = alu_encoding(a.op);
            const auto f = operand_fields(a.src);
            const InsnClass c = a.is64 ? InsnClass::Alu64 : InsnClass::Alu;
            out.push_back(RawInsn::make(cls(c) | op | f.source, a.dst.index,
                                        f.src_reg, off, f.imm));
          },
          [&](const Neg &n) {
            const InsnClass c = n.is64 ? InsnClass::Alu64 : InsnClass::Alu;
            out.push_back(RawInsn::make(cls(c) | 0x80, n.dst.index, 0, 0, 0));
          },
          [&](const Endian &e) {
            uint8_t opcode = 0xd0;
            switch (e.order) {
            case ByteOrder::ToLittle:
              opcode |= cls(InsnClass::Alu) | kSourceK;
              break;
            case ByteOrder::ToBig:
              opcode |= cls(InsnClass::Alu) | kSourceX;
              break;
            case ByteOrder::Swap:
              opcode |= cls(InsnClass::Alu64) | kSourceK;
              break;
            }
            out.push_back(RawInsn::make(opcode, e.dst.index, 0, 0, e.bits));
          },
          [&](const Load &l) {
            const uint8_t mode = l.sign_extend ? kModeMemSx : kModeMem;
            out.push_back(RawInsn::make(cls(InsnClass::Ldx) | mode |
                                            size_bits(l.width),
                                        l.dst.index, l.base.index, l.off, 0));
          },
          [&](const Store &s) {
            const auto f = operand_fields(s.value);
            const InsnClass c =
                f.source == kSourceX ? InsnClass::Stx : InsnClass::St;
            out.push_back(RawInsn::make(cls(c) | kModeMem | size_bits(s.width),
                                        s.base.index, f.src_reg, s.off, f.imm));
          },
          [&](const Atomic &a) {
            out.push_back(RawInsn::make(cls(InsnClass::Stx) | kModeAtomic |
                                            size_bits(a.width),
                                        a.base.index, a.src.index, a.off,
                                        atomic_imm(a)));
          },
          [&](const Jump &j) {
            const InsnClass c = j.is32 ? InsnClass::Jmp32 : InsnClass::Jmp;
            if (j.cond == JumpCond::Always) {
              // gotol keeps its 32-bit offset in imm (RFC 9669 §4.3).
              out.push_back(j.is32 ? RawInsn::make(cls(c), 0, 0, 0, j.offset)
                                   : RawInsn::make(cls(c), 0, 0,
                                                   static_cast<int16_t>(j.offset), 0));
              return;
            }
            const auto f = operand_fields(j.src);
            out.push_back(RawInsn::make(cls(c) | jump_op(j.cond) | f.source,
                                        j.dst.index, f.src_reg,
                                        static_cast<int16_t>(j.offset), f.imm));
          },
          [&](const Call &c) {
            out.push_back(RawInsn::make(0x85, 0, kCallHelper, 0, c.helper_id));
          },
          [&](const CallLocal &c) {
            out.push_back(RawInsn::make(0x85, 0, kCallLocal, 0, c.offset));
          },
          [&](const CallBtf &c) {
            out.push_back(RawInsn::make(0x85, 0, kCallBtf, c.module, c.btf_id));
          },
          [&](const CallX &c) {
            out.push_back(RawInsn::make(0x8d, c.reg.index, 0, 0, 0));
          },
          [&](const Exit &) { out.push_back(RawInsn::make(0x95, 0, 0, 0, 0)); },
          [&](const LoadImm64 &l) {
            out.push_back(RawInsn::make(0x18, l.dst.index,
                                        static_cast<uint8_t>(l.kind), 0, l.imm));
            out.push_back(RawInsn::make(0, 0, 0, 0, l.next_imm));
          },
          [&](const PacketLoad &p) {
            const uint8_t mode = p.index ? kModeInd : kModeAbs;
            out.push_back(RawInsn::make(cls(InsnClass::Ld) | mode |
                                            size_bits(p.width),
                                        0, p.index ? p.index->index : 0, 0, p.imm));
          },
      },
      insn);
}

std::vector<RawInsn> encode(std::span<const Insn> program) {
  std::vector<RawInsn> out;
  out.reserve(program.size() + 4);
  for (const Insn &insn : program)
    encode(insn, out);
  return out;
}

} // namespace bpfhost::isa
