// The errors that stop a run, each naming the instruction ("insn 7") in its
// location. Built out of line so that the dispatch loop stays small.
#include <string>

#include "vm/interpreter.hpp"

namespace bpfhost::vm {
namespace {

std::string at_insn(uint32_t insn) { return "insn " + std::to_string(insn); }

} // namespace

Error Interpreter::access_fault(const RunContext &ctx, uint32_t insn,
                                uint64_t addr, uint64_t size, bool write) {
  return make_error(ErrorCode::Unsafe, ctx.describe_fault(addr, size, write),
                    at_insn(insn));
}

Error Interpreter::misaligned_atomic(const RunContext &ctx, uint32_t insn,
                                     uint64_t addr, uint64_t size) {
  return make_error(ErrorCode::Unsafe,
                    "misaligned atomic access of " + std::to_string(size) +
                        " bytes at " + ctx.where(addr) +
                        " (the address must be a multiple of " +
                        std::to_string(size) + ")",
                    at_insn(insn));
}

Error Interpreter::unknown_helper(uint32_t insn, uint64_t id) {
  return make_error(ErrorCode::InvalidInput,
                    "call to unknown helper " +
                        std::to_string(static_cast<int64_t>(id)),
                    at_insn(insn));
}

Error Interpreter::too_many_frames(uint32_t insn) {
  return make_error(ErrorCode::OutOfRange,
                    "call nesting exceeds " + std::to_string(kMaxFrames) +
                        " frames",
                    at_insn(insn));
}

Error Interpreter::stack_too_deep(uint32_t insn, uint32_t bytes) {
  return make_error(ErrorCode::OutOfRange,
                    "the call chain would use " + std::to_string(bytes) +
                        " bytes of stack, more than " +
                        std::to_string(kMaxStackBytes),
                    at_insn(insn));
}

Error Interpreter::budget_exhausted(uint32_t insn, uint64_t budget) {
  return make_error(ErrorCode::ResourceExhausted,
                    "instruction budget of " + std::to_string(budget) +
                        " exhausted",
                    at_insn(insn));
}

Error Interpreter::helper_failed(const RunContext &ctx, uint32_t insn) {
  return ctx.error_.within(at_insn(insn));
}

} // namespace bpfhost::vm
