// ContextAccess through the interpreter's friendship with vm::RunContext.
//
// vm::Interpreter::execute is a member template; an explicit specialization of
// it for a type of our own is a member of Interpreter too, so it (and every
// lambda inside it) has the interpreter's access. It runs once and fills a
// table of plain functions that ContextAccess forwards to. The day vm.hpp
// befriends ContextAccess (TODO(#5)), these bodies move into ContextAccess's
// member functions and the specialization goes away; no caller changes.
#include "jit/run_context_access.hpp"

#include <utility>

#include "vm/interpreter.hpp"
#include "vm/lowered.hpp"

namespace bpfhost::jit::detail {
namespace {

// The instantiation tag, and the table its specialization fills.
struct Bridge {
  Result<uint64_t> (*with_context)(const vm::RunEnv &, uint64_t,
                                   ContextAccess::Body, void *) = nullptr;
  void (*set_frame)(vm::RunContext &, uint64_t, uint64_t) = nullptr;
  bool (*allowed)(const vm::RunContext &, uint64_t, uint64_t, bool) = nullptr;
  HelperStatus (*status)(const vm::RunContext &) = nullptr;
  uint64_t (*stop_value)(const vm::RunContext &) = nullptr;
  Error (*access_fault)(const vm::RunContext &, uint32_t, uint64_t, uint64_t,
                        bool) = nullptr;
  Error (*misaligned_atomic)(const vm::RunContext &, uint32_t, uint64_t,
                             uint64_t) = nullptr;
  Error (*unknown_helper)(uint32_t, uint64_t) = nullptr;
  Error (*too_many_frames)(uint32_t) = nullptr;
  Error (*stack_too_deep)(uint32_t, uint32_t) = nullptr;
  Error (*budget_exhausted)(uint32_t, uint64_t) = nullptr;
  Error (*helper_failed)(const vm::RunContext &, uint32_t) = nullptr;
  size_t status_offset = 0;
  size_t stack_low_offset = 0;
  size_t frame_pointer_offset = 0;
};

const Bridge &bridge();

} // namespace
} // namespace bpfhost::jit::detail

namespace bpfhost::vm {

template <>
Result<uint64_t>
Interpreter::execute<jit::detail::Bridge>(const Program::Impl &,
                                          const RunEnv &env) {
  using jit::detail::Bridge;
  using jit::detail::HelperStatus;
  auto &b = *static_cast<Bridge *>(env.user_data);
  b.with_context = [](const RunEnv &run_env, uint64_t top,
                      jit::detail::ContextAccess::Body body,
                      void *arg) -> Result<uint64_t> {
    RunContext ctx(run_env, top);
    return body(ctx, arg);
  };
  b.set_frame = [](RunContext &ctx, uint64_t low, uint64_t fp) {
    ctx.stack_low_ = low;
    ctx.frame_pointer_ = fp;
  };
  b.allowed = [](const RunContext &ctx, uint64_t addr, uint64_t size,
                 bool write) { return ctx.allowed(addr, size, write); };
  b.status = [](const RunContext &ctx) {
    switch (ctx.status_) {
    case RunContext::Status::Running:
      return HelperStatus::Running;
    case RunContext::Status::Stopped:
      return HelperStatus::Stopped;
    case RunContext::Status::Failed:
      return HelperStatus::Failed;
    }
    return HelperStatus::Failed;
  };
  b.stop_value = [](const RunContext &ctx) { return ctx.stop_value_; };
  b.access_fault = &Interpreter::access_fault;
  b.misaligned_atomic = &Interpreter::misaligned_atomic;
  b.unknown_helper = &Interpreter::unknown_helper;
  b.too_many_frames = &Interpreter::too_many_frames;
  b.stack_too_deep = &Interpreter::stack_too_deep;
  b.budget_exhausted = &Interpreter::budget_exhausted;
  b.helper_failed = &Interpreter::helper_failed;

  // Field offsets, measured on a live object.
  const RunContext probe(env, 0);
  const auto *base = reinterpret_cast<const char *>(&probe);
  static_assert(sizeof(RunContext::Status) == 1 &&
                static_cast<int>(RunContext::Status::Running) == 0);
  b.status_offset = static_cast<size_t>(
      reinterpret_cast<const char *>(&probe.status_) - base);
  b.stack_low_offset = static_cast<size_t>(
      reinterpret_cast<const char *>(&probe.stack_low_) - base);
  b.frame_pointer_offset = static_cast<size_t>(
      reinterpret_cast<const char *>(&probe.frame_pointer_) - base);
  return uint64_t{0};
}

} // namespace bpfhost::vm

namespace bpfhost::jit::detail {
namespace {

const Bridge &bridge() {
  static const Bridge table = [] {
    Bridge b;
    vm::RunEnv env;
    env.user_data = &b;
    static const vm::Program::Impl no_program;
    (void)vm::Interpreter::execute<Bridge>(no_program, env);
    return b;
  }();
  return table;
}

} // namespace

Result<uint64_t> ContextAccess::with_context(const vm::RunEnv &env,
                                             uint64_t stack_top, Body body,
                                             void *arg) {
  return bridge().with_context(env, stack_top, body, arg);
}
void ContextAccess::set_frame(vm::RunContext &ctx, uint64_t stack_low,
                              uint64_t frame_pointer) {
  bridge().set_frame(ctx, stack_low, frame_pointer);
}
bool ContextAccess::allowed(const vm::RunContext &ctx, uint64_t addr,
                            uint64_t size, bool write) {
  return bridge().allowed(ctx, addr, size, write);
}
HelperStatus ContextAccess::status(const vm::RunContext &ctx) {
  return bridge().status(ctx);
}
uint64_t ContextAccess::stop_value(const vm::RunContext &ctx) {
  return bridge().stop_value(ctx);
}
size_t ContextAccess::status_offset() { return bridge().status_offset; }
size_t ContextAccess::stack_low_offset() { return bridge().stack_low_offset; }
size_t ContextAccess::frame_pointer_offset() {
  return bridge().frame_pointer_offset;
}
Error ContextAccess::access_fault(const vm::RunContext &ctx, uint32_t insn,
                                  uint64_t addr, uint64_t size, bool write) {
  return bridge().access_fault(ctx, insn, addr, size, write);
}
Error ContextAccess::misaligned_atomic(const vm::RunContext &ctx, uint32_t insn,
                                       uint64_t addr, uint64_t size) {
  return bridge().misaligned_atomic(ctx, insn, addr, size);
}
Error ContextAccess::unknown_helper(uint32_t insn, uint64_t id) {
  return bridge().unknown_helper(insn, id);
}
Error ContextAccess::too_many_frames(uint32_t insn) {
  return bridge().too_many_frames(insn);
}
Error ContextAccess::stack_too_deep(uint32_t insn, uint32_t bytes) {
  return bridge().stack_too_deep(insn, bytes);
}
Error ContextAccess::budget_exhausted(uint32_t insn, uint64_t budget) {
  return bridge().budget_exhausted(insn, budget);
}
Error ContextAccess::helper_failed(const vm::RunContext &ctx, uint32_t insn) {
  return bridge().helper_failed(ctx, insn);
}

} // namespace bpfhost::jit::detail
