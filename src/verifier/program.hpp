// The program the verifier analyses: decoded instructions plus where each
// sits, and the verifier-only `assume` pseudo-instructions that tests use.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "isa/ir.hpp"
#include "isa/raw_insn.hpp"
#include "support/result.hpp"

namespace bpfhost::verifier {

struct Program {
  std::vector<isa::Insn> insns;
  // Slot index of each instruction (an lddw takes two slots); messages name
  // instructions by slot, as the kernel and bpftool do.
  std::vector<uint32_t> slot;
  // assume[i]: instruction i is a Jump that does not branch but restricts the
  // state to its condition (PREVAIL's `assume`, for tests). Empty: none.
  std::vector<bool> assume;

  bool is_assume(size_t i) const { return i < assume.size() && assume[i]; }
  // Index of the instruction at `slot_index`, or -1.
  int64_t index_of_slot(int64_t slot_index) const;
};

// Decodes slots into a Program (errors: InvalidInput naming the slot).
Result<Program> make_program(std::span<const isa::RawInsn> slots);

} // namespace bpfhost::verifier
