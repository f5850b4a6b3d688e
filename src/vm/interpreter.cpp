// The threaded dispatch loop. Each VmInsn names its handler; a handler ends by
// jumping straight to the next record's handler through a label table
// (computed goto, a GCC and clang extension), so every handler has its own
// indirect branch for the predictor. Semantics come from semantics.hpp; the
// checks of a checked run are `if constexpr` on the policy.
#include <cstring>

#include "vm/interpreter.hpp"
#include "vm/semantics.hpp"

namespace bpfhost::vm {
namespace {

struct UncheckedPolicy {
  static constexpr bool kChecked = false;
  static constexpr bool kCounting = false;
};
struct CountingPolicy {
  static constexpr bool kChecked = false;
  static constexpr bool kCounting = true;
};
struct CheckedPolicy {
  static constexpr bool kChecked = true;
  static constexpr bool kCounting = true; // the budget needs the count
};

// What a BPF-to-BPF call saves: the callee-saved r6..r9, r10 and where to
// return to, plus the caller's frame bookkeeping.
struct Frame {
  const detail::VmInsn *ret;
  uint64_t saved[4];
  uint64_t fp;
  uint32_t frame_size;
  uint32_t chain_depth;
};

inline void *host_ptr(uint64_t addr) {
  return reinterpret_cast<void *>(static_cast<uintptr_t>(addr));
}

template <class T> T load(uint64_t addr) {
  T v;
  std::memcpy(&v, host_ptr(addr), sizeof v);
  return v;
}
template <class T> void store(uint64_t addr, T v) {
  std::memcpy(host_ptr(addr), &v, sizeof v);
}
} // namespace

// Labels only one policy jumps to (out_of_budget) would warn in the others.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-label"
template <class P>
Result<uint64_t> Interpreter::execute(const Program::Impl &program,
                                      const RunEnv &env) {
  using detail::Function;
  using detail::VmInsn;
  static const void *const kLabels[] = {
#define X(name) &&L_##name,
      BPFHOST_VM_HANDLERS
#undef X
  };

  alignas(16) uint8_t stack[kMaxFrames * kMaxStackBytes];
  const uint64_t stack_top =
      static_cast<uint64_t>(reinterpret_cast<uintptr_t>(stack + sizeof stack));
  RunContext ctx(env, stack_top);
  uint64_t R[isa::kMaxRegisters] = {};
  R[1] = env.r1;
  R[2] = env.r2;
  R[10] = stack_top;

  const VmInsn *const code = program.code.data();
  const Function *const functions = program.functions.data();
  const VmInsn *pc = code + functions[0].entry;
  const HelperFn *const helpers =
      env.helpers ? env.helpers->entries().data() : nullptr;
  const uint64_t helper_count = env.helpers ? env.helpers->entries().size() : 0;
  const uint8_t *const packet = env.packet.data();
  const uint64_t packet_len = env.packet.size();
  const uint64_t budget = env.insn_budget;
  uint64_t count = 0;
  Frame frames[kMaxFrames - 1];
  unsigned depth = 0; // calls in progress
  uint32_t frame_size = functions[0].frame_size;
  uint32_t chain_depth = functions[0].stack_depth;
  HelperFn fn = nullptr;
  if constexpr (P::kChecked)
    ctx.stack_low_ = stack_top - frame_size;

#define BPFHOST_DISPATCH()                                                     \
  do {                                                                         \
    if constexpr (P::kCounting) {                                              \
      count += pc->weight;                                                     \
      if constexpr (P::kChecked) {                                             \
        if (count > budget) [[unlikely]]                                       \
          goto out_of_budget;                                                  \
      }                                                                        \
    }                                                                          \
    goto *kLabels[static_cast<uint8_t>(pc->handler)];                          \
  } while (0)
#define BPFHOST_NEXT()                                                         \
  do {                                                                         \
    ++pc;                                                                      \
    BPFHOST_DISPATCH();                                                        \
  } while (0)
#define BPFHOST_FAIL(error)                                                    \
  do {                                                                         \
    ctx.error_ = (error);                                                      \
    goto fail;                                                                 \
  } while (0)
#define BPFHOST_CHECK_ACCESS(addr, size, write)                                \
  if constexpr (P::kChecked) {                                                 \
    if (!ctx.allowed(addr, size, write)) [[unlikely]]                          \
      BPFHOST_FAIL(access_fault(ctx, pc->insn, addr, size, write));            \
  }

  BPFHOST_DISPATCH();

#define BPFHOST_ALU(NAME, FN)                                                  \
  L_##NAME##64Imm : R[pc->dst] = FN<uint64_t>(R[pc->lhs], sem::sext(pc->imm)); \
  BPFHOST_NEXT();                                                              \
  L_##NAME##64Reg : R[pc->dst] = FN<uint64_t>(R[pc->lhs], R[pc->src]);         \
  BPFHOST_NEXT();                                                              \
  L_##NAME##32Imm : R[pc->dst] =                                               \
                        FN<uint32_t>(static_cast<uint32_t>(R[pc->lhs]),        \
                                     static_cast<uint32_t>(pc->imm));          \
  BPFHOST_NEXT();                                                              \
  L_##NAME##32Reg : R[pc->dst] =                                               \
                        FN<uint32_t>(static_cast<uint32_t>(R[pc->lhs]),        \
                                     static_cast<uint32_t>(R[pc->src]));       \
  BPFHOST_NEXT();
  BPFHOST_ALU(Add, sem::add)
  BPFHOST_ALU(Sub, sem::sub)
  BPFHOST_ALU(Mul, sem::mul)
  BPFHOST_ALU(Div, sem::div)
  BPFHOST_ALU(SDiv, sem::sdiv)
  BPFHOST_ALU(Or, sem::bit_or)
  BPFHOST_ALU(And, sem::bit_and)
  BPFHOST_ALU(Lsh, sem::lsh)
  BPFHOST_ALU(Rsh, sem::rsh)
  BPFHOST_ALU(Mod, sem::mod)
  BPFHOST_ALU(SMod, sem::smod)
  BPFHOST_ALU(Xor, sem::bit_xor)
  BPFHOST_ALU(Arsh, sem::arsh)
  BPFHOST_ALU(Mov, sem::mov)
#undef BPFHOST_ALU

L_MovSx8to64:
  R[pc->dst] = sem::widen(static_cast<int8_t>(R[pc->src]));
  BPFHOST_NEXT();
L_MovSx16to64:
  R[pc->dst] = sem::widen(static_cast<int16_t>(R[pc->src]));
  BPFHOST_NEXT();
L_MovSx32to64:
  R[pc->dst] = sem::widen(static_cast<int32_t>(R[pc->src]));
  BPFHOST_NEXT();
L_MovSx8to32:
  R[pc->dst] =
      static_cast<uint32_t>(sem::widen(static_cast<int8_t>(R[pc->src])));
  BPFHOST_NEXT();
L_MovSx16to32:
  R[pc->dst] =
      static_cast<uint32_t>(sem::widen(static_cast<int16_t>(R[pc->src])));
  BPFHOST_NEXT();
L_Neg64:
  R[pc->dst] = uint64_t{0} - R[pc->dst];
  BPFHOST_NEXT();
L_Neg32:
  R[pc->dst] = uint32_t{0} - static_cast<uint32_t>(R[pc->dst]);
  BPFHOST_NEXT();
L_Zext16:
  R[pc->dst] = static_cast<uint16_t>(R[pc->dst]);
  BPFHOST_NEXT();
L_Zext32:
  R[pc->dst] = static_cast<uint32_t>(R[pc->dst]);
  BPFHOST_NEXT();
L_Nop:
  BPFHOST_NEXT();
L_Swap16:
  R[pc->dst] = sem::bswap16(static_cast<uint16_t>(R[pc->dst]));
  BPFHOST_NEXT();
L_Swap32:
  R[pc->dst] = sem::bswap32(static_cast<uint32_t>(R[pc->dst]));
  BPFHOST_NEXT();
L_Swap64:
  R[pc->dst] = sem::bswap64(R[pc->dst]);
  BPFHOST_NEXT();

#define BPFHOST_LOAD(NAME, T)                                                  \
  L_##NAME : {                                                                 \
    const uint64_t addr = R[pc->src] + sem::sext(pc->off);                     \
    BPFHOST_CHECK_ACCESS(addr, sizeof(T), false)                               \
    R[pc->dst] = sem::widen(load<T>(addr));                                    \
    BPFHOST_NEXT();                                                            \
  }
  BPFHOST_LOAD(LdxB, uint8_t)
  BPFHOST_LOAD(LdxH, uint16_t)
  BPFHOST_LOAD(LdxW, uint32_t)
  BPFHOST_LOAD(LdxDW, uint64_t)
  BPFHOST_LOAD(LdxSB, int8_t)
  BPFHOST_LOAD(LdxSH, int16_t)
  BPFHOST_LOAD(LdxSW, int32_t)
#undef BPFHOST_LOAD

#define BPFHOST_STORE(NAME, T, VALUE)                                          \
  L_##NAME : {                                                                 \
    const uint64_t addr = R[pc->dst] + sem::sext(pc->off);                     \
    BPFHOST_CHECK_ACCESS(addr, sizeof(T), true)                                \
    store<T>(addr, static_cast<T>(VALUE));                                     \
    BPFHOST_NEXT();                                                            \
  }
  BPFHOST_STORE(StB, uint8_t, pc->imm)
  BPFHOST_STORE(StH, uint16_t, pc->imm)
  BPFHOST_STORE(StW, uint32_t, pc->imm)
  BPFHOST_STORE(StDW, uint64_t, sem::sext(pc->imm))
  BPFHOST_STORE(StxB, uint8_t, R[pc->src])
  BPFHOST_STORE(StxH, uint16_t, R[pc->src])
  BPFHOST_STORE(StxW, uint32_t, R[pc->src])
  BPFHOST_STORE(StxDW, uint64_t, R[pc->src])
#undef BPFHOST_STORE

  // Atomics: real atomic read-modify-writes, since several threads may run
  // programs on the same memory. The old value goes to src when fetching.
#define BPFHOST_ATOMIC_ADDR(U)                                                 \
  const uint64_t addr = R[pc->dst] + sem::sext(pc->off);                       \
  if constexpr (P::kChecked) {                                                 \
    if (addr % sizeof(U) != 0) [[unlikely]]                                    \
      BPFHOST_FAIL(misaligned_atomic(ctx, pc->insn, addr, sizeof(U)));         \
  }                                                                            \
  BPFHOST_CHECK_ACCESS(addr, sizeof(U), true)                                  \
  U *const p = static_cast<U *>(host_ptr(addr));
#define BPFHOST_ATOMIC_RMW(NAME, BUILTIN, FETCH)                               \
  L_Atomic##NAME##64 : {                                                       \
    BPFHOST_ATOMIC_ADDR(uint64_t)                                              \
    const uint64_t old = BUILTIN(p, R[pc->src], __ATOMIC_SEQ_CST);             \
    if constexpr (FETCH)                                                       \
      R[pc->src] = old;                                                        \
    BPFHOST_NEXT();                                                            \
  }                                                                            \
  L_Atomic##NAME##32 : {                                                       \
    BPFHOST_ATOMIC_ADDR(uint32_t)                                              \
    const uint32_t old =                                                       \
        BUILTIN(p, static_cast<uint32_t>(R[pc->src]), __ATOMIC_SEQ_CST);       \
    if constexpr (FETCH)                                                       \
      R[pc->src] = old;                                                        \
    BPFHOST_NEXT();                                                            \
  }
  BPFHOST_ATOMIC_RMW(Add, __atomic_fetch_add, false)
  BPFHOST_ATOMIC_RMW(Or, __atomic_fetch_or, false)
  BPFHOST_ATOMIC_RMW(And, __atomic_fetch_and, false)
  BPFHOST_ATOMIC_RMW(Xor, __atomic_fetch_xor, false)
  BPFHOST_ATOMIC_RMW(FetchAdd, __atomic_fetch_add, true)
  BPFHOST_ATOMIC_RMW(FetchOr, __atomic_fetch_or, true)
  BPFHOST_ATOMIC_RMW(FetchAnd, __atomic_fetch_and, true)
  BPFHOST_ATOMIC_RMW(FetchXor, __atomic_fetch_xor, true)
  BPFHOST_ATOMIC_RMW(Xchg, __atomic_exchange_n, true)
#undef BPFHOST_ATOMIC_RMW
  // cmpxchg compares with r0 (its low half for 32 bits) and always loads the
  // old value, zero-extended, into r0.
#define BPFHOST_CMPXCHG(BITS, U)                                               \
  L_AtomicCmpXchg##BITS : {                                                    \
    BPFHOST_ATOMIC_ADDR(U)                                                     \
    U expected = static_cast<U>(R[0]);                                         \
    __atomic_compare_exchange_n(p, &expected, static_cast<U>(R[pc->src]),      \
                                false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);    \
    R[0] = expected;                                                           \
    BPFHOST_NEXT();                                                            \
  }
  BPFHOST_CMPXCHG(64, uint64_t)
  BPFHOST_CMPXCHG(32, uint32_t)
#undef BPFHOST_CMPXCHG
#undef BPFHOST_ATOMIC_ADDR

#define BPFHOST_JUMP(NAME, FN)                                                 \
  L_J##NAME##64Imm                                                             \
      : pc += FN<uint64_t>(R[pc->dst], sem::sext(pc->imm)) ? pc->off + 1 : 1;  \
  BPFHOST_DISPATCH();                                                          \
  L_J##NAME##64Reg : pc +=                                                     \
                     FN<uint64_t>(R[pc->dst], R[pc->src]) ? pc->off + 1 : 1;   \
  BPFHOST_DISPATCH();                                                          \
  L_J##NAME##32Imm : pc += FN<uint32_t>(static_cast<uint32_t>(R[pc->dst]),     \
                                        static_cast<uint32_t>(pc->imm))        \
                               ? pc->off + 1                                   \
                               : 1;                                            \
  BPFHOST_DISPATCH();                                                          \
  L_J##NAME##32Reg : pc += FN<uint32_t>(static_cast<uint32_t>(R[pc->dst]),     \
                                        static_cast<uint32_t>(R[pc->src]))     \
                               ? pc->off + 1                                   \
                               : 1;                                            \
  BPFHOST_DISPATCH();
  BPFHOST_JUMP(Eq, sem::eq)
  BPFHOST_JUMP(Gt, sem::gt)
  BPFHOST_JUMP(Ge, sem::ge)
  BPFHOST_JUMP(Set, sem::set)
  BPFHOST_JUMP(Ne, sem::ne)
  BPFHOST_JUMP(SGt, sem::sgt)
  BPFHOST_JUMP(SGe, sem::sge)
  BPFHOST_JUMP(Lt, sem::lt)
  BPFHOST_JUMP(Le, sem::le)
  BPFHOST_JUMP(SLt, sem::slt)
  BPFHOST_JUMP(SLe, sem::sle)
#undef BPFHOST_JUMP
L_Ja:
  pc += pc->imm + 1;
  BPFHOST_DISPATCH();

L_Lddw:
  R[pc->dst] = static_cast<uint32_t>(pc->imm) |
               (static_cast<uint64_t>(static_cast<uint32_t>(pc[1].imm)) << 32);
  pc += 2;
  BPFHOST_DISPATCH();

L_Call:
  if constexpr (P::kChecked) {
    const uint64_t id = sem::sext(pc->imm);
    if (id >= helper_count || helpers[id] == nullptr) [[unlikely]]
      BPFHOST_FAIL(unknown_helper(pc->insn, id));
  }
  fn = helpers[static_cast<uint32_t>(pc->imm)];
  goto call_helper;
L_CallX:
  if constexpr (P::kChecked) {
    if (R[pc->dst] >= helper_count || helpers[R[pc->dst]] == nullptr)
        [[unlikely]]
      BPFHOST_FAIL(unknown_helper(pc->insn, R[pc->dst]));
  }
  fn = helpers[R[pc->dst]];
call_helper:
  R[0] = fn(ctx, R[1], R[2], R[3], R[4], R[5]);
  if (ctx.status_ != RunContext::Status::Running) [[unlikely]] {
    if (ctx.status_ == RunContext::Status::Failed)
      BPFHOST_FAIL(helper_failed(ctx, pc->insn));
    R[0] = ctx.stop_value_;
    goto done;
  }
  BPFHOST_NEXT();

L_CallLocal : {
  const Function &callee = functions[pc->imm];
  if constexpr (P::kChecked) {
    if (depth + 2 > kMaxFrames) [[unlikely]]
      BPFHOST_FAIL(too_many_frames(pc->insn));
    if (chain_depth + callee.stack_depth > kMaxStackBytes) [[unlikely]]
      BPFHOST_FAIL(stack_too_deep(pc->insn, chain_depth + callee.stack_depth));
  }
  Frame &frame = frames[depth++];
  frame.ret = pc + 1;
  std::memcpy(frame.saved, &R[6], sizeof frame.saved);
  frame.fp = R[10];
  frame.frame_size = frame_size;
  frame.chain_depth = chain_depth;
  R[10] -= frame_size; // the callee's frame lies just below the caller's
  frame_size = callee.frame_size;
  chain_depth += callee.stack_depth;
  if constexpr (P::kChecked) {
    ctx.stack_low_ = R[10] - frame_size;
    ctx.frame_pointer_ = R[10];
  }
  pc = code + callee.entry;
  BPFHOST_DISPATCH();
}

L_Exit:
  if (depth == 0)
    goto done;
  {
    const Frame &frame = frames[--depth];
    std::memcpy(&R[6], frame.saved, sizeof frame.saved);
    R[10] = frame.fp;
    frame_size = frame.frame_size;
    chain_depth = frame.chain_depth;
    pc = frame.ret;
    if constexpr (P::kChecked) {
      ctx.stack_low_ = R[10] - frame_size;
      ctx.frame_pointer_ = R[10];
    }
    BPFHOST_DISPATCH();
  }

  // Legacy packet loads: big-endian values; out of bounds ends the program
  // with r0 = 0, as Linux's LD_ABS/LD_IND do.
#define BPFHOST_PACKET_LOAD(NAME, T, OFFSET)                                   \
  L_##NAME : {                                                                 \
    const int64_t at = (OFFSET);                                               \
    if (at < 0 || static_cast<uint64_t>(at) + sizeof(T) > packet_len) {        \
      R[0] = 0;                                                                \
      goto done;                                                               \
    }                                                                          \
    T v;                                                                       \
    std::memcpy(&v, packet + at, sizeof v);                                    \
    R[0] = sem::from_network(v);                                               \
    BPFHOST_NEXT();                                                            \
  }
#define BPFHOST_IND_OFFSET                                                     \
  static_cast<int32_t>(static_cast<uint32_t>(R[pc->src]) +                     \
                       static_cast<uint32_t>(pc->imm))
  BPFHOST_PACKET_LOAD(LdAbsB, uint8_t, pc->imm)
  BPFHOST_PACKET_LOAD(LdAbsH, uint16_t, pc->imm)
  BPFHOST_PACKET_LOAD(LdAbsW, uint32_t, pc->imm)
  BPFHOST_PACKET_LOAD(LdIndB, uint8_t, BPFHOST_IND_OFFSET)
  BPFHOST_PACKET_LOAD(LdIndH, uint16_t, BPFHOST_IND_OFFSET)
  BPFHOST_PACKET_LOAD(LdIndW, uint32_t, BPFHOST_IND_OFFSET)
#undef BPFHOST_IND_OFFSET
#undef BPFHOST_PACKET_LOAD

out_of_budget:
  count -= pc->weight; // that record did not run
  ctx.error_ = budget_exhausted(pc->insn, budget);
fail:
  if constexpr (P::kCounting) {
    if (env.executed_count)
      *env.executed_count = count;
  }
  return std::move(ctx.error_);
done:
  if constexpr (P::kCounting) {
    if (env.executed_count)
      *env.executed_count = count;
  }
  return R[0];

#undef BPFHOST_CHECK_ACCESS
#undef BPFHOST_FAIL
#undef BPFHOST_NEXT
#undef BPFHOST_DISPATCH
}
#pragma GCC diagnostic pop

Result<uint64_t> run(const Program &program, const RunEnv &env) {
  if (env.mode == MemoryMode::Checked)
    return Interpreter::execute<CheckedPolicy>(program.impl(), env);
  if (env.executed_count != nullptr)
    return Interpreter::execute<CountingPolicy>(program.impl(), env);
  return Interpreter::execute<UncheckedPolicy>(program.impl(), env);
}

} // namespace bpfhost::vm
