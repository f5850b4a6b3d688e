// run(): one run of generated code. It owns the eBPF stack (the
// interpreter's size: vm::kMaxFrames frames of vm::kMaxStackBytes), creates
// the RunContext helpers see, and turns an early exit into the interpreter's
// error for it.
#include <limits>

#include "jit/compiled_program_impl.hpp"
#include "jit/run_context_access.hpp"
#include "jit/run_state.hpp"

namespace bpfhost::jit {
namespace detail {

uint64_t check_access(RunState *state, uint64_t addr, uint64_t size_write,
                      uint64_t insn) {
  const uint64_t size = size_write & 0xff;
  const bool write = (size_write & 0x100) != 0;
  if (ContextAccess::allowed(*state->ctx, addr, size, write))
    return 0;
  *state->error = ContextAccess::access_fault(
      *state->ctx, static_cast<uint32_t>(insn), addr, size, write);
  state->exit_kind = ExitKind::ErrorSet;
  return 1;
}

} // namespace detail

namespace {

using detail::ContextAccess;
using detail::ExitKind;
using detail::RunState;

struct Run {
  const CompiledProgram::Impl *program;
  const CompiledProgram::Impl::Code *code;
  const vm::RunEnv *env;
  uint64_t stack_top;
};

// The error (or r0) of a run that left through the abort path.
Result<uint64_t> early_exit(const RunState &state, vm::RunContext &ctx,
                            Error &error, uint64_t r0, uint64_t budget) {
  const uint32_t insn = state.exit_insn;
  switch (state.exit_kind) {
  case ExitKind::None:
    return r0;
  case ExitKind::ErrorSet:
    return std::move(error);
  case ExitKind::Misaligned:
    return ContextAccess::misaligned_atomic(ctx, insn, state.exit_value,
                                            state.exit_size);
  case ExitKind::UnknownHelper:
    return ContextAccess::unknown_helper(insn, state.exit_value);
  case ExitKind::TooManyFrames:
    return ContextAccess::too_many_frames(insn);
  case ExitKind::StackTooDeep:
    return ContextAccess::stack_too_deep(
        insn, static_cast<uint32_t>(state.exit_value));
  case ExitKind::Budget:
    return ContextAccess::budget_exhausted(insn, budget);
  case ExitKind::HelperEnded:
    if (ContextAccess::status(ctx) == detail::HelperStatus::Failed)
      return ContextAccess::helper_failed(ctx, insn);
    return ContextAccess::stop_value(ctx);
  }
  return make_error(ErrorCode::Internal, "JIT: unknown exit kind");
}

Result<uint64_t> run_with(vm::RunContext &ctx, void *arg) {
  const Run &run = *static_cast<const Run *>(arg);
  const vm::RunEnv &env = *run.env;
  const bool checked = env.mode == vm::MemoryMode::Checked;
  const bool counting = checked || env.executed_count != nullptr;
  const uint32_t entry_frame = run.program->plan.functions[0].frame_size;
  Error error;
  RunState state;
  state.r1 = env.r1;
  state.r2 = env.r2;
  state.stack_top = run.stack_top;
  state.helpers = env.helpers ? env.helpers->entries().data() : nullptr;
  state.helper_count = env.helpers ? env.helpers->entries().size() : 0;
  state.packet = env.packet.data();
  state.packet_len = env.packet.size();
  state.ctx = &ctx;
  state.error = &error;
  state.stack_low = run.stack_top - entry_frame;
  state.chain_depth = run.program->plan.functions[0].stack_depth;
  const uint64_t initial =
      checked ? env.insn_budget : std::numeric_limits<uint64_t>::max();
  state.remaining = initial;
  if (checked)
    ContextAccess::set_frame(ctx, state.stack_low, run.stack_top);

  using Entry = uint64_t(RunState *);
  const uint64_t r0 = run.code->memory.function<Entry>()(&state);
  if (counting && env.executed_count)
    *env.executed_count = initial - state.remaining;
  return early_exit(state, ctx, error, r0, env.insn_budget);
}

} // namespace

Result<uint64_t> run(const CompiledProgram &program, const vm::RunEnv &env) {
  BPFHOST_TRY(code, program.impl_->code_for(variant_for(env)));
  alignas(16) uint8_t stack[vm::kMaxFrames * vm::kMaxStackBytes];
  Run run{
      program.impl_.get(), code, &env,
      static_cast<uint64_t>(reinterpret_cast<uintptr_t>(stack + sizeof stack))};
  return ContextAccess::with_context(env, run.stack_top, &run_with, &run);
}

} // namespace bpfhost::jit
