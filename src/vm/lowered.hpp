// The interpreter's internal form of a program: one 16-byte record per
// instruction (two for lddw), with the handler already chosen, jump targets
// as record deltas and a fused "mov + ALU" pair as one record.
#pragma once

#include <cstdint>
#include <vector>

#include "vm/vm.hpp"

namespace bpfhost::vm::detail {

// Binary ALU operations; each has four handlers: <op>{64,32}{Imm,Reg}.
#define BPFHOST_VM_ALU_OPS(X)                                                  \
  X(Add)                                                                       \
  X(Sub)                                                                       \
  X(Mul)                                                                       \
  X(Div) X(SDiv) X(Or) X(And) X(Lsh) X(Rsh) X(Mod) X(SMod) X(Xor) X(Arsh)      \
      X(Mov)
// Jump conditions; each has four handlers: J<cond>{64,32}{Imm,Reg}.
#define BPFHOST_VM_JUMP_CONDS(X)                                               \
  X(Eq) X(Gt) X(Ge) X(Set) X(Ne) X(SGt) X(SGe) X(Lt) X(Le) X(SLt) X(SLe)
// Atomic operations; each has two handlers: Atomic<op>{64,32}.
#define BPFHOST_VM_ATOMIC_OPS(X)                                               \
  X(Add)                                                                       \
  X(Or)                                                                        \
  X(And)                                                                       \
  X(Xor) X(FetchAdd) X(FetchOr) X(FetchAnd) X(FetchXor) X(Xchg) X(CmpXchg)
// Every other handler.
#define BPFHOST_VM_OTHER_OPS(X)                                                \
  X(MovSx8to64)                                                                \
  X(MovSx16to64)                                                               \
  X(MovSx32to64)                                                               \
  X(MovSx8to32) X(MovSx16to32) X(Neg64) X(Neg32) X(Zext16) X(Zext32) X(Nop)    \
      X(Swap16) X(Swap32) X(Swap64) X(LdxB) X(LdxH) X(LdxW) X(LdxDW) X(LdxSB)  \
          X(LdxSH) X(LdxSW) X(StB) X(StH) X(StW) X(StDW) X(StxB) X(StxH)       \
              X(StxW) X(StxDW) X(Ja) X(Call) X(CallX) X(CallLocal) X(Exit)     \
                  X(Lddw) X(LdAbsB) X(LdAbsH) X(LdAbsW) X(LdIndB) X(LdIndH)    \
                      X(LdIndW)

#define BPFHOST_VM_ALU_HANDLERS(NAME)                                          \
  X(NAME##64Imm) X(NAME##64Reg) X(NAME##32Imm) X(NAME##32Reg)
#define BPFHOST_VM_JUMP_HANDLERS(NAME)                                         \
  X(J##NAME##64Imm) X(J##NAME##64Reg) X(J##NAME##32Imm) X(J##NAME##32Reg)
#define BPFHOST_VM_ATOMIC_HANDLERS(NAME) X(Atomic##NAME##64) X(Atomic##NAME##32)

// Every handler, in one order shared by the enum and the label tables.
// Expands X(Name) once per handler; callers define X.
#define BPFHOST_VM_HANDLERS                                                    \
  BPFHOST_VM_ALU_OPS(BPFHOST_VM_ALU_HANDLERS)                                  \
  BPFHOST_VM_JUMP_CONDS(BPFHOST_VM_JUMP_HANDLERS)                              \
  BPFHOST_VM_ATOMIC_OPS(BPFHOST_VM_ATOMIC_HANDLERS)                            \
  BPFHOST_VM_OTHER_OPS(X)

enum class Handler : uint8_t {
#define X(name) name,
  BPFHOST_VM_HANDLERS
#undef X
};

// One lowered instruction. Field use by handler family:
//   ALU:    dst = lhs OP (src | imm); lhs == dst unless fused with a mov
//   jumps:  compare dst with src | imm; taken: next record + off
//   Ja:     next record + imm
//   memory: address src + off (loads), dst + off (stores, atomics); value
//           src | imm
//   lddw:   low half in imm, high half in the next record's imm
//   CallLocal: imm = callee's function index
struct VmInsn {
  Handler handler = Handler::Exit;
  uint8_t dst = 0;
  uint8_t src = 0;
  uint8_t lhs = 0;
  uint8_t weight = 1; // instructions this record stands for (0, 1 or 2)
  uint8_t unused = 0;
  int16_t off = 0;
  int32_t imm = 0;
  uint32_t insn = 0; // slot index of the (first) instruction, for errors
};
static_assert(sizeof(VmInsn) == 16);

// A BPF-to-BPF function: where it starts and the stack it gets.
struct Function {
  uint32_t entry = 0;       // record index
  uint32_t frame_size = 0;  // bytes reserved below its r10
  uint32_t stack_depth = 0; // bytes counted against a chain's 512
};

} // namespace bpfhost::vm::detail

namespace bpfhost::vm {

struct Program::Impl {
  std::vector<detail::VmInsn> code;
  std::vector<detail::Function> functions; // [0] is the entry
  std::vector<uint32_t> function_slots;    // first slot of each function
  size_t slot_count = 0;
};

} // namespace bpfhost::vm
