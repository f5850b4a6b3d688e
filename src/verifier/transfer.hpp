// Transfer functions: the effect of each instruction on the abstract state,
// assuming the instruction is safe (its assertions are checked and assumed
// separately; STYLE.md §3). One overload per IR alternative.
#pragma once

#include "isa/ir.hpp"
#include "verifier/cfg.hpp"
#include "verifier/platform.hpp"
#include "verifier/state.hpp"
#include "verifier/word.hpp"

namespace bpfhost::verifier {

struct TransferContext {
  const PlatformSpec &platform;
  const VerifyOptions &options;
};

// Largest address value of a valid pointer (PREVAIL's PTR_MAX).
inline constexpr int64_t kPtrMax = 2147418112;
// Smallest address value of a packet pointer (PREVAIL's choice).
inline constexpr int64_t kPacketMin = 4098;

void transfer(State &s, const isa::Insn &insn, const TransferContext &ctx);
// Restricts the state to the paths where the condition holds.
void assume_condition(State &s, const Condition &c);
// Edge effects of a BPF-to-BPF call into frame `depth` (1: first callee)
// and of the return from it.
void enter_subprogram(State &s, unsigned depth);
void return_from_subprogram(State &s, unsigned depth);

// The two views of a register holding a number.
Word word_of(const State &s, unsigned reg);
// reg := the number w (relations dropped).
void set_word(State &s, unsigned reg, const Word &w);
// Re-derives each view of a number from the other after a refinement.
void tighten_views(State &s, Loc l);

// Transfer of the ALU family (transfer_alu.cpp).
void transfer_alu(State &s, const isa::Alu &a);
void transfer_neg(State &s, const isa::Neg &n);
void transfer_endian(State &s, const isa::Endian &e, bool big_endian);
// Transfer of memory and calls (transfer_mem.cpp, transfer_call.cpp).
void transfer_load(State &s, const isa::Load &l, const TransferContext &ctx);
void transfer_store(State &s, const isa::Store &st);
void transfer_atomic(State &s, const isa::Atomic &a);
void transfer_lddw(State &s, const isa::LoadImm64 &l,
                   const TransferContext &ctx);
void transfer_call(State &s, int32_t helper_id, const TransferContext &ctx);

} // namespace bpfhost::verifier
