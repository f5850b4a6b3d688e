// Memory family: loads (zero- or sign-extending), stores of a register or an
// immediate, and atomics, each for every width. Checked code computes the
// address first, tests it against the current call chain's stack inline and
// asks the runtime about anything else (regions, helper-added regions).
#include <variant>

#include "isa/overloaded.hpp"
#include "jit/x86_64/abi.hpp"
#include "jit/x86_64/emitter.hpp"

namespace bpfhost::jit::x86_64 {
namespace {

using Xbyak::Operand;
using Xbyak::Reg;
using Xbyak::Reg64;

} // namespace

Xbyak::RegExp Emitter::address(isa::Reg base, int16_t off, unsigned size,
                               bool write, bool atomic) {
  if (!variant_.checked)
    return host(base) + off;
  const Reg64 addr = scratch(kScratchA);
  const Reg64 end = scratch(kScratchB);
  lea(addr, ptr[host(base) + off]);
  if (atomic) {
    test(addr.cvt8(), size - 1);
    jnz(exit_stub(detail::ExitKind::Misaligned, Operand::R11, 0, size));
  }
  AccessStub &stub = access_stubs_.emplace_back();
  stub.size = size;
  stub.write = write;
  stub.insn = slot_;
  // Inside [stack_low, stack_top) of the chain, without wrapping around.
  mov(end, addr);
  add(end, size);
  jc(stub.entry);
  cmp(end, state(offsetof(detail::RunState, stack_top)));
  ja(stub.entry);
  cmp(addr, state(offsetof(detail::RunState, stack_low)));
  jb(stub.entry);
  L(stub.resume);
  return Xbyak::RegExp(addr);
}

void Emitter::operator()(const isa::Load &i) {
  const unsigned size = isa::bytes(i.width);
  const Xbyak::RegExp at = address(i.base, i.off, size, false, false);
  const Reg64 dst = host(i.dst);
  if (i.sign_extend) {
    if (size == 4)
      movsxd(dst, dword[at]);
    else
      movsx(dst, frame(size)[at]);
    return;
  }
  switch (size) {
  case 1:
  case 2:
    movzx(dst.cvt32(), frame(size)[at]);
    return;
  case 4:
    mov(dst.cvt32(), dword[at]);
    return;
  default:
    mov(dst, qword[at]);
    return;
  }
}

void Emitter::operator()(const isa::Store &i) {
  const unsigned size = isa::bytes(i.width);
  const Xbyak::RegExp at = address(i.base, i.off, size, true, false);
  std::visit(
      isa::overloaded{
          [&](isa::Reg src) { mov(frame(size)[at], sized(src, size * 8)); },
          [&](isa::Imm src) {
            // The value truncated to the width (a DW store takes imm
            // sign-extended, as x86's imm32 is).
            const auto wide =
                static_cast<uint64_t>(static_cast<int64_t>(src.value));
            const uint64_t value =
                size >= 4 ? wide : wide & ((uint64_t{1} << (size * 8)) - 1);
            mov(frame(size)[at], value);
          },
      },
      i.value);
}

// Atomics: lock-prefixed read-modify-writes, since several threads may run
// programs on the same memory. fetch variants leave the old value in src
// (zero-extended for 32 bits); cmpxchg compares with and loads into r0.
void Emitter::operator()(const isa::Atomic &i) {
  const unsigned size = isa::bytes(i.width);
  const unsigned bits = size * 8;
  const Xbyak::RegExp at = address(i.base, i.off, size, true, true);
  const Reg src = sized(i.src, bits);
  const Xbyak::Address mem = frame(size)[at];
  switch (i.op) {
  case isa::AtomicOp::Add:
    if (i.fetch) {
      lock();
      xadd(mem, src);
    } else {
      lock();
      add(mem, src);
    }
    return;
  case isa::AtomicOp::Or:
  case isa::AtomicOp::And:
  case isa::AtomicOp::Xor:
    if (i.fetch)
      return atomic_fetch_loop(i, at);
    lock();
    if (i.op == isa::AtomicOp::Or)
      or_(mem, src);
    else if (i.op == isa::AtomicOp::And)
      and_(mem, src);
    else
      xor_(mem, src);
    return;
  case isa::AtomicOp::Xchg:
    xchg(mem, src); // implicitly locked
    return;
  case isa::AtomicOp::CmpXchg:
    lock();
    cmpxchg(mem, src);
    // A 32-bit cmpxchg that succeeds leaves rax's upper half alone.
    if (size == 4)
      mov(eax, eax);
    return;
  }
}

// fetch-or/and/xor have no x86 instruction: a cmpxchg loop. It needs rax (r0),
// which is parked in a scratch register; if the base or the source is r0 the
// parked copy stands in for it.
void Emitter::atomic_fetch_loop(const isa::Atomic &i, const Xbyak::RegExp &at) {
  const unsigned size = isa::bytes(i.width);
  const Reg64 saved_rax = scratch(kScratchC);
  const Reg64 next = scratch(kScratchB);
  mov(saved_rax, rax);
  const bool src_is_r0 = host(i.src).getIdx() == Operand::RAX;
  const Reg64 value = src_is_r0 ? saved_rax : host(i.src);
  Xbyak::RegExp where = at;
  if (!variant_.checked && host(i.base).getIdx() == Operand::RAX)
    where = saved_rax + i.off;
  const Xbyak::Address mem = frame(size)[where];
  const Reg acc = size == 8 ? Reg(rax) : Reg(eax);
  const Reg next_sized = size == 8 ? Reg(next) : Reg(next.cvt32());
  const Reg value_sized = size == 8 ? Reg(value) : Reg(value.cvt32());
  Xbyak::Label retry;
  mov(acc, mem);
  L(retry);
  mov(next_sized, acc);
  if (i.op == isa::AtomicOp::Or)
    or_(next_sized, value_sized);
  else if (i.op == isa::AtomicOp::And)
    and_(next_sized, value_sized);
  else
    xor_(next_sized, value_sized);
  lock();
  cmpxchg(mem, next_sized);
  jne(retry);
  if (src_is_r0) {
    mov(acc, acc); // the old value is r0's new value; zero-extend it
    return;
  }
  mov(sized(i.src, size * 8), acc);
  mov(rax, saved_rax);
}

} // namespace bpfhost::jit::x86_64
