// ALU family: one emitter per kind of operation, each for both widths and
// both operand kinds. Semantics are vm/semantics.hpp's: 32-bit results are
// zero-extended (x86-64 does this for every 32-bit register write), shift
// counts are masked, division by zero gives 0 and modulo by zero leaves dst,
// and INT_MIN / -1 wraps instead of trapping.
#include <variant>

#include "isa/overloaded.hpp"
#include "jit/x86_64/abi.hpp"
#include "jit/x86_64/emitter.hpp"

namespace bpfhost::jit::x86_64 {
namespace {

using Xbyak::CodeGenerator;
using Xbyak::Operand;
using Xbyak::Reg;
using Xbyak::Reg64;

using RegForm = void (CodeGenerator::*)(const Operand &, const Operand &);
using ImmForm = void (CodeGenerator::*)(const Operand &, uint32_t);
using ShiftForm = void (CodeGenerator::*)(const Operand &, int);
using ShiftClForm = void (CodeGenerator::*)(const Operand &,
                                            const Xbyak::Reg8 &);

struct BinaryForms {
  RegForm reg;
  ImmForm imm;
};

BinaryForms binary_forms(isa::AluOp op) {
  switch (op) {
  case isa::AluOp::Add:
    return {static_cast<RegForm>(&CodeGenerator::add),
            static_cast<ImmForm>(&CodeGenerator::add)};
  case isa::AluOp::Sub:
    return {static_cast<RegForm>(&CodeGenerator::sub),
            static_cast<ImmForm>(&CodeGenerator::sub)};
  case isa::AluOp::Or:
    return {static_cast<RegForm>(&CodeGenerator::or_),
            static_cast<ImmForm>(&CodeGenerator::or_)};
  case isa::AluOp::And:
    return {static_cast<RegForm>(&CodeGenerator::and_),
            static_cast<ImmForm>(&CodeGenerator::and_)};
  case isa::AluOp::Xor:
    return {static_cast<RegForm>(&CodeGenerator::xor_),
            static_cast<ImmForm>(&CodeGenerator::xor_)};
  case isa::AluOp::Mul:
  case isa::AluOp::Div:
  case isa::AluOp::SDiv:
  case isa::AluOp::Lsh:
  case isa::AluOp::Rsh:
  case isa::AluOp::Mod:
  case isa::AluOp::SMod:
  case isa::AluOp::Arsh:
  case isa::AluOp::Mov:
  case isa::AluOp::MovSx8:
  case isa::AluOp::MovSx16:
  case isa::AluOp::MovSx32:
    break; // other families
  }
  return {nullptr, nullptr};
}

struct ShiftForms {
  ShiftForm imm;
  ShiftClForm cl;
};

ShiftForms shift_forms(isa::AluOp op) {
  if (op == isa::AluOp::Lsh)
    return {static_cast<ShiftForm>(&CodeGenerator::shl),
            static_cast<ShiftClForm>(&CodeGenerator::shl)};
  if (op == isa::AluOp::Rsh)
    return {static_cast<ShiftForm>(&CodeGenerator::shr),
            static_cast<ShiftClForm>(&CodeGenerator::shr)};
  return {static_cast<ShiftForm>(&CodeGenerator::sar),
          static_cast<ShiftClForm>(&CodeGenerator::sar)};
}

unsigned width_bits(bool is64) { return is64 ? 64 : 32; }

} // namespace

void Emitter::operator()(const isa::Alu &i) {
  switch (i.op) {
  case isa::AluOp::Add:
  case isa::AluOp::Sub:
  case isa::AluOp::Or:
  case isa::AluOp::And:
  case isa::AluOp::Xor:
  case isa::AluOp::Mov:
    return binary(i);
  case isa::AluOp::Mul:
    return multiply(i);
  case isa::AluOp::Div:
  case isa::AluOp::SDiv:
  case isa::AluOp::Mod:
  case isa::AluOp::SMod:
    return divide(i);
  case isa::AluOp::Lsh:
  case isa::AluOp::Rsh:
  case isa::AluOp::Arsh:
    return shift(i);
  case isa::AluOp::MovSx8:
  case isa::AluOp::MovSx16:
  case isa::AluOp::MovSx32:
    return move_sign_extended(i);
  }
}

void Emitter::binary(const isa::Alu &i) {
  const unsigned bits = width_bits(i.is64);
  const Reg dst = sized(i.dst, bits);
  std::visit(isa::overloaded{
                 [&](isa::Reg src) {
                   if (i.op == isa::AluOp::Mov)
                     mov(dst, sized(src, bits));
                   else
                     (this->*binary_forms(i.op).reg)(dst, sized(src, bits));
                 },
                 [&](isa::Imm src) {
                   // A 64-bit operation sees imm sign-extended, as x86's imm32.
                   if (i.op == isa::AluOp::Mov)
                     mov(dst, i.is64 ? static_cast<uint64_t>(
                                           static_cast<int64_t>(src.value))
                                     : static_cast<uint32_t>(src.value));
                   else
                     (this->*binary_forms(i.op).imm)(
                         dst, static_cast<uint32_t>(src.value));
                 },
             },
             i.src);
}

void Emitter::multiply(const isa::Alu &i) {
  const unsigned bits = width_bits(i.is64);
  const Reg dst = sized(i.dst, bits);
  std::visit(isa::overloaded{
                 [&](isa::Reg src) { imul(dst, sized(src, bits)); },
                 [&](isa::Imm src) { imul(dst, dst, src.value); },
             },
             i.src);
}

void Emitter::shift(const isa::Alu &i) {
  const unsigned bits = width_bits(i.is64);
  const Reg dst = sized(i.dst, bits);
  const ShiftForms forms = shift_forms(i.op);
  if (const auto *imm = std::get_if<isa::Imm>(&i.src)) {
    const int count = imm->value & static_cast<int>(bits - 1);
    if (count != 0)
      (this->*forms.imm)(dst, count);
    else if (!i.is64)
      mov(dst, dst); // still zero-extends
    return;
  }
  // x86 shifts by cl only; r4 lives in rcx, so park it while shifting.
  const Reg64 src = host(std::get<isa::Reg>(i.src));
  const Reg64 save = scratch(kScratchA);
  if (src.getIdx() == Operand::RCX) {
    (this->*forms.cl)(dst, cl);
  } else {
    mov(save, rcx);
    mov(rcx, src);
    if (dst.getIdx() == Operand::RCX)
      (this->*forms.cl)(i.is64 ? Reg(save) : Reg(save.cvt32()), cl);
    else
      (this->*forms.cl)(dst, cl);
    mov(rcx, save);
  }
  if (!i.is64)
    mov(dst, dst); // a count of 0 leaves the register as it was
}

// x86 divides rdx:rax, where r0 and r3 live: both are parked in scratch
// registers around the division. Zero and (signed) -1 divisors never reach
// the divide instruction, so it cannot trap.
void Emitter::divide(const isa::Alu &i) {
  const unsigned bits = width_bits(i.is64);
  const bool is_signed = i.op == isa::AluOp::SDiv || i.op == isa::AluOp::SMod;
  const bool is_mod = i.op == isa::AluOp::Mod || i.op == isa::AluOp::SMod;
  const Reg dst = sized(i.dst, bits);
  auto by_zero = [&] {
    if (!is_mod)
      xor_(dst.cvt32(), dst.cvt32());
    else if (!i.is64)
      mov(dst, dst);
  };
  auto by_minus_one = [&] {
    if (is_mod)
      xor_(dst.cvt32(), dst.cvt32());
    else
      neg(dst);
  };
  const Reg64 divisor64 = scratch(kScratchA);
  const Reg divisor = i.is64 ? Reg(divisor64) : Reg(divisor64.cvt32());
  Xbyak::Label zero, minus_one, done;
  if (const auto *imm = std::get_if<isa::Imm>(&i.src)) {
    if (imm->value == 0)
      return by_zero();
    if (is_signed && imm->value == -1)
      return by_minus_one();
    mov(divisor, i.is64
                     ? static_cast<uint64_t>(static_cast<int64_t>(imm->value))
                     : static_cast<uint32_t>(imm->value));
  } else {
    mov(divisor, sized(std::get<isa::Reg>(i.src), bits));
    test(divisor, divisor);
    jz(zero);
    if (is_signed) {
      cmp(divisor, -1);
      je(minus_one);
    }
  }
  const Reg64 saved_rax = scratch(kScratchC);
  const Reg64 saved_rdx = scratch(kScratchB);
  mov(saved_rax, rax);
  mov(saved_rdx, rdx);
  mov(i.is64 ? Reg(rax) : Reg(eax), dst);
  if (is_signed) {
    if (i.is64)
      cqo();
    else
      cdq();
    idiv(divisor);
  } else {
    xor_(edx, edx);
    div(divisor);
  }
  const Reg result =
      is_mod ? (i.is64 ? Reg(rdx) : Reg(edx)) : (i.is64 ? Reg(rax) : Reg(eax));
  mov(divisor, result); // a 32-bit result is zero-extended here
  mov(rax, saved_rax);
  mov(rdx, saved_rdx);
  mov(host(i.dst), divisor64);
  if (std::holds_alternative<isa::Reg>(i.src)) {
    jmp(done);
    L(zero);
    by_zero();
    if (is_signed) {
      jmp(done);
      L(minus_one);
      by_minus_one();
    }
    L(done);
  }
}

void Emitter::move_sign_extended(const isa::Alu &i) {
  const isa::Reg src = std::get<isa::Reg>(i.src);
  const Reg dst = sized(i.dst, width_bits(i.is64));
  switch (i.op) {
  case isa::AluOp::MovSx8:
    return movsx(dst, sized(src, 8));
  case isa::AluOp::MovSx16:
    return movsx(dst, sized(src, 16));
  case isa::AluOp::MovSx32:
    if (i.is64)
      return movsxd(host(i.dst), sized(src, 32));
    return mov(dst, sized(src, 32));
  case isa::AluOp::Add:
  case isa::AluOp::Sub:
  case isa::AluOp::Mul:
  case isa::AluOp::Div:
  case isa::AluOp::SDiv:
  case isa::AluOp::Or:
  case isa::AluOp::And:
  case isa::AluOp::Lsh:
  case isa::AluOp::Rsh:
  case isa::AluOp::Mod:
  case isa::AluOp::SMod:
  case isa::AluOp::Xor:
  case isa::AluOp::Arsh:
  case isa::AluOp::Mov:
    break; // other families
  }
}

void Emitter::operator()(const isa::Neg &i) {
  neg(sized(i.dst, width_bits(i.is64)));
}

// le/be/bswap on a little-endian host: converting to little endian only
// truncates (zero-extends) to the width; the other two swap.
void Emitter::operator()(const isa::Endian &i) {
  const bool swap = i.order != isa::ByteOrder::ToLittle;
  switch (i.bits) {
  case 16:
    if (swap)
      ror(sized(i.dst, 16), 8);
    movzx(sized(i.dst, 32), sized(i.dst, 16));
    return;
  case 32:
    if (swap)
      bswap(host(i.dst).cvt32());
    else
      mov(sized(i.dst, 32), sized(i.dst, 32));
    return;
  default:
    if (swap)
      bswap(host(i.dst));
    return;
  }
}

} // namespace bpfhost::jit::x86_64
