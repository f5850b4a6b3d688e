#include "isa/decode.hpp"

#include <cstdio>
#include <string>

#include "isa/opcode_table.hpp"

namespace bpfhost::isa {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

Error insn_error(size_t pc, std::string message) {
  return make_error(ErrorCode::InvalidInput, std::move(message),
                    "insn " + std::to_string(pc));
}

Width width_of(uint8_t opcode) {
  switch (opcode & 0x18) {
  case kSizeW:
    return Width::W;
  case kSizeH:
    return Width::H;
  case kSizeB:
    return Width::B;
  default:
    return Width::DW;
  }
}

// Fields the row gives no meaning to must be zero (RFC 9669 §3: "unused
// fields ... MUST be zero"); used register fields must name r0..r10.
Result<void> check_fields(const RawInsn &insn, const OpcodeRow &row, size_t pc) {
  struct Field {
    uint8_t use;
    Selector selector;
    int64_t value;
    const char *name;
  };
  const Field fields[] = {{kDst, Selector::None, insn.dst(), "dst_reg"},
                          {kSrc, Selector::Src, insn.src(), "src_reg"},
                          {kOff, Selector::Off, insn.off, "offset"},
                          {kImm, Selector::Imm, insn.imm, "imm"}};
  for (const Field &f : fields) {
    const bool used = (row.uses & f.use) != 0;
    const bool selects_row =
        f.selector != Selector::None && f.selector == row.selector;
    if (!used && !selects_row && f.value != 0)
      return insn_error(pc, std::string(f.name) + " is " +
                                std::to_string(f.value) + ", must be 0 for " +
                                std::string(row.mnemonic));
  }
  if ((row.uses & kDst) && insn.dst() >= kMaxRegisters)
    return insn_error(pc, "invalid dst_reg r" + std::to_string(insn.dst()));
  if ((row.uses & kSrc) && insn.src() >= kMaxRegisters)
    return insn_error(pc, "invalid src_reg r" + std::to_string(insn.src()));
  return {};
}

Operand source_operand(const RawInsn &insn) {
  if (insn.opcode & kSourceX)
    return Reg{insn.src()};
  return Imm{insn.imm};
}

AluOp alu_op(const RawInsn &insn) {
  switch (insn.opcode & 0xf0) {
  case 0x00:
    return AluOp::Add;
  case 0x10:
    return AluOp::Sub;
  case 0x20:
    return AluOp::Mul;
  case 0x30:
    return insn.off == 1 ? AluOp::SDiv : AluOp::Div;
  case 0x40:
    return AluOp::Or;
  case 0x50:
    return AluOp::And;
  case 0x60:
    return AluOp::Lsh;
  case 0x70:
    return AluOp::Rsh;
  case 0x90:
    return insn.off == 1 ? AluOp::SMod : AluOp::Mod;
  case 0xa0:
    return AluOp::Xor;
  case 0xc0:
    return AluOp::Arsh;
  default: // 0xb0: MOV, with MOVSX widths in the offset
    switch (insn.off) {
    case 8:
      return AluOp::MovSx8;
    case 16:
      return AluOp::MovSx16;
    case 32:
      return AluOp::MovSx32;
    default:
      return AluOp::Mov;
    }
  }
}

Insn decode_alu(const RawInsn &insn) {
  const bool is64 = insn_class(insn.opcode) == InsnClass::Alu64;
  const Reg dst{insn.dst()};
  switch (insn.opcode & 0xf0) {
  case 0x80:
    return Neg{dst, is64};
  case 0xd0: {
    ByteOrder order = is64 ? ByteOrder::Swap
                      : (insn.opcode & kSourceX) ? ByteOrder::ToBig
                                                 : ByteOrder::ToLittle;
    return Endian{order, dst, static_cast<uint8_t>(insn.imm)};
  }
  default:
    return Alu{alu_op(insn), dst, source_operand(insn), is64};
  }
}

JumpCond jump_cond(uint8_t opcode) {
  switch (opcode & 0xf0) {
  case 0x10:
    return JumpCond::Eq;
  case 0x20:
    return JumpCond::Gt;
  case 0x30:
    return JumpCond::Ge;
  case 0x40:
    return JumpCond::Set;
  case 0x50:
    return JumpCond::Ne;
  case 0x60:
    return JumpCond::SGt;
  case 0x70:
    return JumpCond::SGe;
  case 0xa0:
    return JumpCond::Lt;
  case 0xb0:
    return JumpCond::Le;
  case 0xc0:
    return JumpCond::SLt;
  case 0xd0:
    return JumpCond::SLe;
  default:
    return JumpCond::Always;
  }
}

Insn decode_jump(const RawInsn &insn) {
  const bool is32 = insn_class(insn.opcode) == InsnClass::Jmp32;
  switch (insn.opcode & 0xf0) {
  case 0x00: // JA; the JMP32 form (gotol) takes its offset from imm
    return Jump{JumpCond::Always, is32, Reg{}, Imm{}, is32 ? insn.imm : insn.off};
  case 0x80:
    if (insn.opcode & kSourceX)
      return CallX{Reg{insn.dst()}};
    switch (insn.src()) {
    case kCallLocal:
      return CallLocal{insn.imm};
    case kCallBtf:
      return CallBtf{insn.imm, insn.off};
    default:
      return Call{insn.imm};
    }
  case 0x90:
    return Exit{};
  default:
    return Jump{jump_cond(insn.opcode), is32, Reg{insn.dst()},
                source_operand(insn), insn.off};
  }
}

Atomic decode_atomic(const RawInsn &insn) {
  Atomic a;
  a.width = width_of(insn.opcode);
  a.base = Reg{insn.dst()};
  a.off = insn.off;
  a.src = Reg{insn.src()};
  a.fetch = (insn.imm & kAtomicFetch) != 0;
  switch (insn.imm & ~kAtomicFetch) {
  case kAtomicOr:
    a.op = AtomicOp::Or;
    break;
  case kAtomicAnd:
    a.op = AtomicOp::And;
    break;
  case kAtomicXor:
    a.op = AtomicOp::Xor;
    break;
  case kAtomicXchg & ~kAtomicFetch:
    a.op = AtomicOp::Xchg;
    break;
  case kAtomicCmpXchg & ~kAtomicFetch:
    a.op = AtomicOp::CmpXchg;
    break;
  default:
    a.op = AtomicOp::Add;
    break;
  }
  return a;
}

Result<Insn> decode_load_imm64(std::span<const RawInsn> slots, size_t pc) {
  if (pc + 1 >= slots.size())
    return insn_error(pc, "lddw is missing its second slot");
  const RawInsn &first = slots[pc];
  const RawInsn &next = slots[pc + 1];
  if (next.opcode != 0 || next.regs != 0 || next.off != 0)
    return insn_error(pc + 1, "second slot of lddw must have opcode, registers "
                              "and offset 0 (found opcode " +
                                  hex(next.opcode) + ")");
  return Insn{LoadImm64{Reg{first.dst()}, static_cast<LddwKind>(first.src()),
                        first.imm, next.imm}};
}

Insn decode_memory(const RawInsn &insn) {
  const Width width = width_of(insn.opcode);
  const uint8_t mode = insn.opcode & 0xe0;
  switch (insn_class(insn.opcode)) {
  case InsnClass::Ld: // BPF_ABS / BPF_IND (lddw is handled before)
    if (mode == kModeInd)
      return PacketLoad{width, Reg{insn.src()}, insn.imm};
    return PacketLoad{width, std::nullopt, insn.imm};
  case InsnClass::Ldx:
    return Load{Reg{insn.dst()}, Reg{insn.src()}, insn.off, width,
                mode == kModeMemSx};
  case InsnClass::St:
    return Store{Reg{insn.dst()}, insn.off, width, Imm{insn.imm}};
  default: // Stx
    if (mode == kModeAtomic)
      return decode_atomic(insn);
    return Store{Reg{insn.dst()}, insn.off, width, Reg{insn.src()}};
  }
}

} // namespace

Result<Insn> decode_at(std::span<const RawInsn> slots, size_t pc) {
  const RawInsn &insn = slots[pc];
  const OpcodeRow *row = find_opcode_row(insn);
  if (row == nullptr) {
    if (!is_known_opcode(insn.opcode))
      return insn_error(pc, "unknown opcode " + hex(insn.opcode));
    return insn_error(pc, "invalid encoding of opcode " + hex(insn.opcode) +
                              " (src_reg " + std::to_string(insn.src()) +
                              ", offset " + std::to_string(insn.off) +
                              ", imm " + std::to_string(insn.imm) + ")");
  }
  if (auto checked = check_fields(insn, *row, pc); !checked)
    return checked.error();
  switch (insn_class(insn.opcode)) {
  case InsnClass::Alu:
  case InsnClass::Alu64:
    return decode_alu(insn);
  case InsnClass::Jmp:
  case InsnClass::Jmp32:
    return decode_jump(insn);
  case InsnClass::Ld:
    if ((insn.opcode & 0xe0) == kModeImm)
      return decode_load_imm64(slots, pc);
    return decode_memory(insn);
  case InsnClass::Ldx:
  case InsnClass::St:
  case InsnClass::Stx:
    return decode_memory(insn);
  }
  return insn_error(pc, "unknown opcode " + hex(insn.opcode));
}

Result<std::vector<Insn>> decode(std::span<const RawInsn> slots) {
  std::vector<Insn> out;
  out.reserve(slots.size());
  for (size_t pc = 0; pc < slots.size();) {
    auto insn = decode_at(slots, pc);
    if (!insn)
      return insn.error();
    pc += slot_count(*insn);
    out.push_back(std::move(insn).value());
  }
  return out;
}

} // namespace bpfhost::isa
