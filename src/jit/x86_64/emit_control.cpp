// Control family: jumps (both widths, both operand kinds), helper and
// BPF-to-BPF calls, exit, lddw and the legacy packet loads, plus the program
// walk itself, block counting and the out-of-line exit paths.
#include <variant>

#include "isa/overloaded.hpp"
#include "jit/x86_64/abi.hpp"
#include "jit/x86_64/emitter.hpp"
#include "vm/vm.hpp"

namespace bpfhost::jit::x86_64 {
namespace {

using detail::ExitKind;
using detail::RunState;
using Xbyak::Operand;
using Xbyak::Reg;
using Xbyak::Reg64;

} // namespace

Emitter::Emitter(const detail::CodePlan &plan, Variant variant,
                 RuntimeLinks links, void *buffer, size_t size)
    : Xbyak::CodeGenerator(size, buffer), plan_(plan), variant_(variant),
      links_(links), insn_labels_(plan.insns.size()),
      function_labels_(plan.functions.size()) {
  setDefaultJmpNEAR(true);
}

Xbyak::Reg64 Emitter::host(isa::Reg r) { return Reg64(kBpfToHost[r.index]); }

Xbyak::Reg Emitter::sized(isa::Reg r, unsigned bits) {
  const Reg64 full = host(r);
  switch (bits) {
  case 8:
    return full.cvt8();
  case 16:
    return full.cvt16();
  case 32:
    return full.cvt32();
  default:
    return full;
  }
}

const Xbyak::AddressFrame &Emitter::frame(unsigned bytes) const {
  switch (bytes) {
  case 1:
    return byte;
  case 2:
    return word;
  case 4:
    return dword;
  default:
    return qword;
  }
}

Xbyak::Address Emitter::state(size_t offset, unsigned bytes) const {
  return frame(bytes)[Reg64(kStateReg) + static_cast<int>(offset)];
}

void Emitter::emit_program() {
  emit_entry();
  for (size_t i = 0; i < plan_.insns.size(); ++i) {
    current_ = static_cast<uint32_t>(i);
    slot_ = plan_.insns[i].slot;
    if (plan_.is_jump_target[i])
      L(insn_labels_[i]);
    const uint32_t function = plan_.function_of[i];
    if (plan_.functions[function].first_slot == slot_)
      L(function_labels_[function]);
    if (plan_.block_size[i] != 0)
      count_block(plan_.block_size[i]);
    std::visit(*this, plan_.insns[i].insn);
  }
  emit_stubs();
}

// Charges a basic block's instructions on entry; a checked run fails before
// the block if the budget cannot cover it.
void Emitter::count_block(uint32_t size) {
  if (!variant_.counting)
    return;
  sub(state(offsetof(RunState, remaining)), size);
  if (variant_.checked) {
    Xbyak::Label &out = exit_stub(ExitKind::Budget, std::nullopt);
    exit_stubs_.back().refund = size;
    jb(out);
  }
}

Xbyak::Label &Emitter::exit_stub(ExitKind kind, std::optional<int> value_reg,
                                 uint64_t value, uint64_t size) {
  ExitStub &stub = exit_stubs_.emplace_back();
  stub.kind = kind;
  stub.insn = slot_;
  stub.value_reg = value_reg;
  stub.value = value;
  stub.size = size;
  return stub.entry;
}

Xbyak::Label &Emitter::target_of(int32_t offset) {
  return insn_labels_[plan_.index_of_slot(
      vm::detail::branch_target(slot_, offset))];
}

void Emitter::jump_if(isa::JumpCond cond, const Xbyak::Label &to) {
  switch (cond) {
  case isa::JumpCond::Always:
    return jmp(to);
  case isa::JumpCond::Eq:
    return je(to);
  case isa::JumpCond::Ne:
    return jne(to);
  case isa::JumpCond::Set:
    return jnz(to);
  case isa::JumpCond::Gt:
    return ja(to);
  case isa::JumpCond::Ge:
    return jae(to);
  case isa::JumpCond::Lt:
    return jb(to);
  case isa::JumpCond::Le:
    return jbe(to);
  case isa::JumpCond::SGt:
    return jg(to);
  case isa::JumpCond::SGe:
    return jge(to);
  case isa::JumpCond::SLt:
    return jl(to);
  case isa::JumpCond::SLe:
    return jle(to);
  }
}

void Emitter::operator()(const isa::Jump &i) {
  Xbyak::Label &to = target_of(i.offset);
  if (i.cond == isa::JumpCond::Always)
    return jmp(to);
  const unsigned bits = i.is32 ? 32 : 64;
  const Reg dst = sized(i.dst, bits);
  std::visit(isa::overloaded{
                 [&](isa::Reg src) {
                   if (i.cond == isa::JumpCond::Set)
                     test(dst, sized(src, bits));
                   else
                     cmp(dst, sized(src, bits));
                 },
                 [&](isa::Imm src) {
                   // imm32, sign-extended for a 64-bit comparison.
                   if (i.cond == isa::JumpCond::Set)
                     test(dst, static_cast<uint32_t>(src.value));
                   else
                     cmp(dst, static_cast<uint32_t>(src.value));
                 },
             },
             i.src);
  jump_if(i.cond, to);
}

void Emitter::operator()(const isa::Call &i) {
  const Reg64 fn = scratch(kScratchA);
  if (i.helper_id < 0 ||
      static_cast<uint32_t>(i.helper_id) >= vm::HelperTable::kMaxId) {
    jmp(exit_stub(ExitKind::UnknownHelper, std::nullopt,
                  static_cast<uint64_t>(static_cast<int64_t>(i.helper_id))));
    return;
  }
  const auto id = static_cast<uint32_t>(i.helper_id);
  if (variant_.checked) {
    cmp(state(offsetof(RunState, helper_count)), id);
    jbe(exit_stub(ExitKind::UnknownHelper, std::nullopt, id));
  }
  mov(fn, state(offsetof(RunState, helpers)));
  mov(fn, qword[fn + static_cast<int>(id * 8)]);
  if (variant_.checked) {
    test(fn, fn);
    jz(exit_stub(ExitKind::UnknownHelper, std::nullopt, id));
  }
  emit_helper_call();
}

// callx: the register holds the helper id.
void Emitter::operator()(const isa::CallX &i) {
  const Reg64 fn = scratch(kScratchA);
  const Reg64 id = host(i.reg);
  if (variant_.checked) {
    cmp(id, state(offsetof(RunState, helper_count)));
    jae(exit_stub(ExitKind::UnknownHelper, id.getIdx()));
  }
  mov(fn, state(offsetof(RunState, helpers)));
  mov(fn, qword[fn + id * 8]);
  if (variant_.checked) {
    test(fn, fn);
    jz(exit_stub(ExitKind::UnknownHelper, id.getIdx()));
  }
  emit_helper_call();
}

void Emitter::operator()(const isa::CallBtf &) {
  // Refused by make_code_plan; never reached.
  jmp(exit_stub(ExitKind::UnknownHelper, std::nullopt));
}

// A BPF-to-BPF call keeps r6..r9 and r10 on the host stack; the callee's
// frame lies just below the caller's (vm/frame_layout.hpp). Checked code
// also enforces the frame and stack limits and tracks the current frame.
void Emitter::operator()(const isa::CallLocal &i) {
  const uint32_t callee =
      plan_.function_at_slot(vm::detail::branch_target(slot_, i.offset));
  const vm::detail::FunctionLayout &to = plan_.functions[callee];
  const uint32_t caller_frame =
      plan_.functions[plan_.function_of[current_]].frame_size;
  const Reg64 tmp = scratch(kScratchB);
  if (variant_.checked) {
    cmp(state(offsetof(RunState, depth), 4), vm::kMaxFrames - 2);
    ja(exit_stub(ExitKind::TooManyFrames, std::nullopt));
    mov(tmp.cvt32(), state(offsetof(RunState, chain_depth), 4));
    add(tmp.cvt32(), to.stack_depth);
    cmp(tmp.cvt32(), vm::kMaxStackBytes);
    ja(exit_stub(ExitKind::StackTooDeep, tmp.getIdx()));
    push(state(offsetof(RunState, depth))); // depth and chain_depth
    push(state(offsetof(RunState, stack_low)));
    mov(state(offsetof(RunState, chain_depth), 4), tmp.cvt32());
    add(state(offsetof(RunState, depth), 4), 1);
  }
  push(rbx);
  push(r13);
  push(r14);
  push(r15);
  push(rbp);
  if (caller_frame != 0)
    sub(rbp, caller_frame);
  if (variant_.checked) {
    lea(tmp, ptr[rbp - static_cast<int>(to.frame_size)]);
    mov(state(offsetof(RunState, stack_low)), tmp);
    mov(scratch(kScratchA), state(offsetof(RunState, ctx)));
    mov(qword[scratch(kScratchA) + static_cast<int>(links_.ctx_stack_low)],
        tmp);
    mov(qword[scratch(kScratchA) + static_cast<int>(links_.ctx_frame_pointer)],
        rbp);
  }
  call(function_labels_[callee]);
  pop(rbp);
  pop(r15);
  pop(r14);
  pop(r13);
  pop(rbx);
  if (variant_.checked) {
    pop(state(offsetof(RunState, stack_low)));
    pop(state(offsetof(RunState, depth)));
    mov(tmp, state(offsetof(RunState, stack_low)));
    mov(scratch(kScratchA), state(offsetof(RunState, ctx)));
    mov(qword[scratch(kScratchA) + static_cast<int>(links_.ctx_stack_low)],
        tmp);
    mov(qword[scratch(kScratchA) + static_cast<int>(links_.ctx_frame_pointer)],
        rbp);
  }
}

// Every function, the entry included, is entered by a host call.
void Emitter::operator()(const isa::Exit &) { ret(); }

void Emitter::operator()(const isa::LoadImm64 &i) {
  mov(host(i.dst), i.value());
}

// LD_ABS / LD_IND: r0 = the big-endian value at packet offset imm (plus the
// index register's low 32 bits, wrapping in 32 bits, then sign-extended);
// out of bounds ends the program with r0 = 0.
void Emitter::operator()(const isa::PacketLoad &i) {
  const unsigned size = isa::bytes(i.width);
  const Reg64 at = scratch(kScratchA);
  const Reg64 tmp = scratch(kScratchB);
  if (i.index) {
    mov(at.cvt32(), sized(*i.index, 32));
    add(at.cvt32(), static_cast<uint32_t>(i.imm));
    movsxd(at, at.cvt32());
  } else {
    mov(at, static_cast<uint64_t>(static_cast<int64_t>(i.imm)));
  }
  test(at, at);
  js(stop_with_zero_);
  lea(tmp, ptr[at + static_cast<int>(size)]);
  cmp(tmp, state(offsetof(RunState, packet_len)));
  ja(stop_with_zero_);
  mov(tmp, state(offsetof(RunState, packet)));
  switch (size) {
  case 1:
    movzx(eax, byte[tmp + at]);
    return;
  case 2:
    movzx(eax, word[tmp + at]);
    rol(ax, 8);
    return;
  default:
    mov(eax, dword[tmp + at]);
    bswap(eax);
    return;
  }
}

void Emitter::emit_stubs() {
  for (AccessStub &stub : access_stubs_)
    emit_access_stub(stub);
  for (ExitStub &stub : exit_stubs_) {
    L(stub.entry);
    if (stub.refund != 0)
      add(state(offsetof(RunState, remaining)), stub.refund);
    mov(state(offsetof(RunState, exit_kind), 4),
        static_cast<uint32_t>(stub.kind));
    mov(state(offsetof(RunState, exit_insn), 4), stub.insn);
    if (stub.value_reg) {
      mov(state(offsetof(RunState, exit_value)), Reg64(*stub.value_reg));
    } else {
      mov(scratch(kScratchA), stub.value);
      mov(state(offsetof(RunState, exit_value)), scratch(kScratchA));
    }
    mov(scratch(kScratchA), stub.size);
    mov(state(offsetof(RunState, exit_size)), scratch(kScratchA));
    jmp(abort_);
  }
  L(stop_with_zero_);
  xor_(eax, eax);
  L(abort_);
  mov(rsp, state(offsetof(RunState, saved_rsp)));
  jmp(epilogue_);
}

} // namespace bpfhost::jit::x86_64
