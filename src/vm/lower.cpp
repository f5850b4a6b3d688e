// Lowering one decoded instruction into its VmInsn record: the handler for
// its operation, width and operand kind, and its fields.
#include "vm/lower.hpp"

#include <algorithm>
#include <bit>
#include <variant>

namespace bpfhost::vm::detail {
namespace {

Handler offset(Handler base, int by) {
  return static_cast<Handler>(static_cast<int>(base) + by);
}

// The first of the four handlers <op>64Imm, <op>64Reg, <op>32Imm, <op>32Reg.
Handler alu_base(isa::AluOp op) {
  switch (op) {
  case isa::AluOp::Add:
    return Handler::Add64Imm;
  case isa::AluOp::Sub:
    return Handler::Sub64Imm;
  case isa::AluOp::Mul:
    return Handler::Mul64Imm;
  case isa::AluOp::Div:
    return Handler::Div64Imm;
  case isa::AluOp::SDiv:
    return Handler::SDiv64Imm;
  case isa::AluOp::Or:
    return Handler::Or64Imm;
  case isa::AluOp::And:
    return Handler::And64Imm;
  case isa::AluOp::Lsh:
    return Handler::Lsh64Imm;
  case isa::AluOp::Rsh:
    return Handler::Rsh64Imm;
  case isa::AluOp::Mod:
    return Handler::Mod64Imm;
  case isa::AluOp::SMod:
    return Handler::SMod64Imm;
  case isa::AluOp::Xor:
    return Handler::Xor64Imm;
  case isa::AluOp::Arsh:
    return Handler::Arsh64Imm;
  case isa::AluOp::Mov:
    return Handler::Mov64Imm;
  // Sign-extending moves take a register only and have their own handlers.
  case isa::AluOp::MovSx8:
    return Handler::MovSx8to64;
  case isa::AluOp::MovSx16:
    return Handler::MovSx16to64;
  case isa::AluOp::MovSx32:
    return Handler::MovSx32to64;
  }
  return Handler::Exit;
}

// The first of the four handlers J<cond>64Imm, ..64Reg, ..32Imm, ..32Reg.
Handler jump_base(isa::JumpCond cond) {
  switch (cond) {
  case isa::JumpCond::Always:
    return Handler::Ja;
  case isa::JumpCond::Eq:
    return Handler::JEq64Imm;
  case isa::JumpCond::Gt:
    return Handler::JGt64Imm;
  case isa::JumpCond::Ge:
    return Handler::JGe64Imm;
  case isa::JumpCond::Set:
    return Handler::JSet64Imm;
  case isa::JumpCond::Ne:
    return Handler::JNe64Imm;
  case isa::JumpCond::SGt:
    return Handler::JSGt64Imm;
  case isa::JumpCond::SGe:
    return Handler::JSGe64Imm;
  case isa::JumpCond::Lt:
    return Handler::JLt64Imm;
  case isa::JumpCond::Le:
    return Handler::JLe64Imm;
  case isa::JumpCond::SLt:
    return Handler::JSLt64Imm;
  case isa::JumpCond::SLe:
    return Handler::JSLe64Imm;
  }
  return Handler::Exit;
}

// Index of the width in B, H, W, DW order.
int width_index(isa::Width w) {
  switch (w) {
  case isa::Width::B:
    return 0;
  case isa::Width::H:
    return 1;
  case isa::Width::W:
    return 2;
  case isa::Width::DW:
    return 3;
  }
  return 0;
}

Handler atomic_handler(const isa::Atomic &a) {
  Handler base = Handler::AtomicAdd64;
  switch (a.op) {
  case isa::AtomicOp::Add:
    base = a.fetch ? Handler::AtomicFetchAdd64 : Handler::AtomicAdd64;
    break;
  case isa::AtomicOp::Or:
    base = a.fetch ? Handler::AtomicFetchOr64 : Handler::AtomicOr64;
    break;
  case isa::AtomicOp::And:
    base = a.fetch ? Handler::AtomicFetchAnd64 : Handler::AtomicAnd64;
    break;
  case isa::AtomicOp::Xor:
    base = a.fetch ? Handler::AtomicFetchXor64 : Handler::AtomicXor64;
    break;
  case isa::AtomicOp::Xchg:
    base = Handler::AtomicXchg64;
    break;
  case isa::AtomicOp::CmpXchg:
    base = Handler::AtomicCmpXchg64;
    break;
  }
  return offset(base, a.width == isa::Width::W ? 1 : 0);
}

// le/be/bswap on this host: a conversion to the host's own byte order only
// truncates to the width (zero-extending); the other order swaps.
Handler endian_handler(const isa::Endian &e) {
  constexpr bool little = std::endian::native == std::endian::little;
  const bool swap = e.order == isa::ByteOrder::Swap ||
                    (e.order == isa::ByteOrder::ToBig) == little;
  switch (e.bits) {
  case 16:
    return swap ? Handler::Swap16 : Handler::Zext16;
  case 32:
    return swap ? Handler::Swap32 : Handler::Zext32;
  default:
    return swap ? Handler::Swap64 : Handler::Nop;
  }
}

// Lowers one instruction (without its jump target, patched later).
struct Lowerer {
  uint32_t slot;
  std::span<const FunctionLayout> functions;

  VmInsn make(Handler h, uint8_t dst = 0, uint8_t src = 0) const {
    VmInsn v;
    v.handler = h;
    v.dst = dst;
    v.lhs = dst;
    v.src = src;
    v.insn = slot;
    return v;
  }
  VmInsn operator()(const isa::Alu &i) const {
    if (is_movsx(i.op)) {
      const Handler h = alu_base(i.op);
      const auto &src = std::get<isa::Reg>(i.src);
      if (i.is64)
        return make(h, i.dst.index, src.index);
      return make(i.op == isa::AluOp::MovSx8 ? Handler::MovSx8to32
                                             : Handler::MovSx16to32,
                  i.dst.index, src.index);
    }
    const int form =
        (i.is64 ? 0 : 2) + (std::holds_alternative<isa::Reg>(i.src) ? 1 : 0);
    VmInsn v = make(offset(alu_base(i.op), form), i.dst.index);
    if (const auto *reg = std::get_if<isa::Reg>(&i.src))
      v.src = reg->index;
    else
      v.imm = std::get<isa::Imm>(i.src).value;
    return v;
  }
  VmInsn operator()(const isa::Neg &i) const {
    return make(i.is64 ? Handler::Neg64 : Handler::Neg32, i.dst.index);
  }
  VmInsn operator()(const isa::Endian &i) const {
    return make(endian_handler(i), i.dst.index);
  }
  VmInsn operator()(const isa::Load &i) const {
    static constexpr Handler kPlain[] = {Handler::LdxB, Handler::LdxH,
                                         Handler::LdxW, Handler::LdxDW};
    static constexpr Handler kSigned[] = {Handler::LdxSB, Handler::LdxSH,
                                          Handler::LdxSW, Handler::LdxDW};
    const int w = width_index(i.width);
    VmInsn v =
        make(i.sign_extend ? kSigned[w] : kPlain[w], i.dst.index, i.base.index);
    v.off = i.off;
    return v;
  }
  VmInsn operator()(const isa::Store &i) const {
    const int w = width_index(i.width);
    VmInsn v = make(offset(Handler::StB, w), i.base.index);
    if (const auto *reg = std::get_if<isa::Reg>(&i.value)) {
      v.handler = offset(Handler::StxB, w);
      v.src = reg->index;
    } else {
      v.imm = std::get<isa::Imm>(i.value).value;
    }
    v.off = i.off;
    return v;
  }
  VmInsn operator()(const isa::Atomic &i) const {
    VmInsn v = make(atomic_handler(i), i.base.index, i.src.index);
    v.off = i.off;
    return v;
  }
  VmInsn operator()(const isa::Jump &i) const {
    if (i.cond == isa::JumpCond::Always)
      return make(Handler::Ja);
    const int form =
        (i.is32 ? 2 : 0) + (std::holds_alternative<isa::Reg>(i.src) ? 1 : 0);
    VmInsn v = make(offset(jump_base(i.cond), form), i.dst.index);
    if (const auto *reg = std::get_if<isa::Reg>(&i.src))
      v.src = reg->index;
    else
      v.imm = std::get<isa::Imm>(i.src).value;
    return v;
  }
  VmInsn operator()(const isa::Call &i) const {
    VmInsn v = make(Handler::Call);
    v.imm = i.helper_id;
    return v;
  }
  VmInsn operator()(const isa::CallLocal &i) const {
    const uint32_t target = branch_target(slot, i.offset);
    auto it = std::lower_bound(
        functions.begin(), functions.end(), target,
        [](const FunctionLayout &f, uint32_t s) { return f.first_slot < s; });
    VmInsn v = make(Handler::CallLocal);
    v.imm = static_cast<int32_t>(it - functions.begin());
    return v;
  }
  VmInsn operator()(const isa::CallBtf &) const {
    return make(Handler::Exit); // refused by load() before lowering
  }
  VmInsn operator()(const isa::CallX &i) const {
    return make(Handler::CallX, i.reg.index);
  }
  VmInsn operator()(const isa::Exit &) const { return make(Handler::Exit); }
  VmInsn operator()(const isa::LoadImm64 &i) const {
    VmInsn v = make(Handler::Lddw, i.dst.index);
    v.imm = i.imm;
    return v;
  }
  VmInsn operator()(const isa::PacketLoad &i) const {
    const int w = width_index(i.width); // B, H or W
    static constexpr Handler kAbs[] = {Handler::LdAbsB, Handler::LdAbsH,
                                       Handler::LdAbsW, Handler::LdAbsW};
    static constexpr Handler kInd[] = {Handler::LdIndB, Handler::LdIndH,
                                       Handler::LdIndW, Handler::LdIndW};
    VmInsn v = make(i.index ? kInd[w] : kAbs[w]);
    if (i.index)
      v.src = i.index->index;
    v.imm = i.imm;
    return v;
  }
};

} // namespace

bool is_movsx(isa::AluOp op) {
  return op == isa::AluOp::MovSx8 || op == isa::AluOp::MovSx16 ||
         op == isa::AluOp::MovSx32;
}

VmInsn lower(const SlotInsn &si, std::span<const FunctionLayout> functions) {
  return std::visit(Lowerer{si.slot, functions}, si.insn);
}

} // namespace bpfhost::vm::detail
