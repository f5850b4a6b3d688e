// Internal: the dispatch loop and the errors it reports.
#pragma once

#include <cstdint>
#include <string>

#include "vm/lowered.hpp"
#include "vm/vm.hpp"

namespace bpfhost::vm {

namespace detail {
// "0x1f": lower-case hex with a 0x prefix.
std::string hex(uint64_t value);
} // namespace detail

// The threaded interpreter loop, instantiated once per policy (checked,
// unchecked, unchecked counting), so the unchecked loop carries no checks.
class Interpreter {
public:
  template <class Policy>
  static Result<uint64_t> execute(const Program::Impl &program,
                                  const RunEnv &env);

private:
  // The errors of a checked run, built out of line: the loop stays small.
  static Error access_fault(const RunContext &ctx, uint32_t insn, uint64_t addr,
                            uint64_t size, bool write);
  static Error misaligned_atomic(const RunContext &ctx, uint32_t insn,
                                 uint64_t addr, uint64_t size);
  static Error unknown_helper(uint32_t insn, uint64_t id);
  static Error too_many_frames(uint32_t insn);
  static Error stack_too_deep(uint32_t insn, uint32_t bytes);
  static Error budget_exhausted(uint32_t insn, uint64_t budget);
  static Error helper_failed(const RunContext &ctx, uint32_t insn);
};

} // namespace bpfhost::vm
