// The host registers the JIT gives each eBPF register, and the ones it keeps
// for itself. The assignment follows the System V AMD64 calling convention
// (as Linux's x86-64 JIT does): r1..r5 sit in argument registers, r0 in the
// return register, r6..r9 and r10 in callee-saved ones, so a helper call only
// shifts the arguments by one for the hidden RunContext argument.
// A Win64 port supplies its own abi_win64.cpp (argument registers rcx, rdx,
// r8, r9 and the stack, 32 bytes of shadow space, rsi and rdi callee-saved).
#pragma once

#include <cstdint>

#include <xbyak/xbyak.h>

namespace bpfhost::jit::x86_64 {

using Code = Xbyak::Operand::Code;

// eBPF r0..r10 → host register.
inline constexpr Code kBpfToHost[11] = {
    Xbyak::Operand::RAX, Xbyak::Operand::RDI, Xbyak::Operand::RSI,
    Xbyak::Operand::RDX, Xbyak::Operand::RCX, Xbyak::Operand::R8,
    Xbyak::Operand::RBX, Xbyak::Operand::R13, Xbyak::Operand::R14,
    Xbyak::Operand::R15, Xbyak::Operand::RBP,
};

// Holds the RunState pointer for the whole run (callee-saved).
inline constexpr Code kStateReg = Xbyak::Operand::R12;
// Free for any single instruction's use; never live across instructions.
inline constexpr Code kScratchA = Xbyak::Operand::R11; // addresses, callees
inline constexpr Code kScratchB = Xbyak::Operand::R10;
inline constexpr Code kScratchC = Xbyak::Operand::R9;

} // namespace bpfhost::jit::x86_64
