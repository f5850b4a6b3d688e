// The System V AMD64 side of the generated code: the entry and exit
// sequence, helper calls, and calls into the runtime. The host stack stays
// 16-byte aligned inside every eBPF function body, so calls need no fix-up.
#include "jit/x86_64/abi.hpp"
#include "jit/x86_64/emitter.hpp"

namespace bpfhost::jit::x86_64 {
namespace {

using detail::ExitKind;
using detail::RunState;
using Xbyak::Reg64;

} // namespace

// uint64_t entry(RunState *state): saves the callee-saved registers the
// mapping uses, loads r1, r2 and r10 (other registers start at 0), and calls
// the entry function. Six pushes over the return address leave the stack
// 8 bytes off alignment, which the call of the entry function completes.
void Emitter::emit_entry() {
  push(rbx);
  push(rbp);
  push(r12);
  push(r13);
  push(r14);
  push(r15);
  mov(Reg64(kStateReg), rdi);
  mov(rdi, state(offsetof(RunState, r1)));
  mov(rsi, state(offsetof(RunState, r2)));
  mov(rbp, state(offsetof(RunState, stack_top)));
  xor_(eax, eax);
  xor_(edx, edx);
  xor_(ecx, ecx);
  xor_(r8d, r8d);
  xor_(ebx, ebx);
  xor_(r13d, r13d);
  xor_(r14d, r14d);
  xor_(r15d, r15d);
  mov(state(offsetof(RunState, saved_rsp)), rsp);
  call(function_labels_[0]);
  L(epilogue_);
  pop(r15);
  pop(r14);
  pop(r13);
  pop(r12);
  pop(rbp);
  pop(rbx);
  ret();
}

// helper(RunContext &ctx, r1, ..., r5): eBPF r1..r5 are already in the first
// five argument registers; shifting them by one makes room for ctx. Checked
// code keeps r1..r5 across the call, as the interpreter does; unchecked code
// leaves them clobbered, as the ISA allows (RFC 9669 §5.2: r1-r5 are
// scratch across calls). A helper that stops or fails the run ends it here.
void Emitter::emit_helper_call() {
  if (variant_.checked) {
    push(rdi);
    push(rsi);
    push(rdx);
    push(rcx);
    push(r8);
    push(r8); // keeps the stack aligned
  }
  mov(r9, r8);
  mov(r8, rcx);
  mov(rcx, rdx);
  mov(rdx, rsi);
  mov(rsi, rdi);
  mov(rdi, state(offsetof(RunState, ctx)));
  call(scratch(kScratchA));
  mov(scratch(kScratchA), state(offsetof(RunState, ctx)));
  cmp(byte[scratch(kScratchA) + static_cast<int>(links_.ctx_status)], 0);
  jne(exit_stub(ExitKind::HelperEnded, std::nullopt));
  if (variant_.checked) {
    pop(r8);
    pop(r8);
    pop(rcx);
    pop(rdx);
    pop(rsi);
    pop(rdi);
  }
}

// check_access(state, addr, size | write << 8, insn) for an address outside
// the stack; eBPF r0..r5 live in caller-saved registers and are kept.
void Emitter::emit_access_stub(AccessStub &stub) {
  L(stub.entry);
  push(rax);
  push(rdi);
  push(rsi);
  push(rdx);
  push(rcx);
  push(r8);
  push(r10);
  push(r11); // the address, needed again to resume
  mov(rdi, Reg64(kStateReg));
  mov(rsi, r11);
  mov(edx, stub.size | (stub.write ? 0x100u : 0u));
  mov(ecx, stub.insn);
  mov(rax, reinterpret_cast<uint64_t>(links_.check_access));
  call(rax);
  test(rax, rax);
  pop(r11);
  pop(r10);
  pop(r8);
  pop(rcx);
  pop(rdx);
  pop(rsi);
  pop(rdi);
  pop(rax);
  jnz(abort_);
  jmp(stub.resume);
}

} // namespace bpfhost::jit::x86_64
