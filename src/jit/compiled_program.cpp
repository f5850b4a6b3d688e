// CompiledProgram: the plan, and one lazily generated code variant per mode.
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "jit/compiled_program_impl.hpp"
#include "jit/run_context_access.hpp"
#include "jit/x86_64/emitter.hpp"

namespace bpfhost::jit {
namespace {

x86_64::Variant variant_flags(CodeVariant variant) {
  switch (variant) {
  case CodeVariant::Checked:
    return {true, true};
  case CodeVariant::Unchecked:
    return {false, false};
  case CodeVariant::Counting:
    return {false, true};
  }
  return {true, true};
}

x86_64::RuntimeLinks runtime_links() {
  x86_64::RuntimeLinks links;
  links.check_access = reinterpret_cast<const void *>(&detail::check_access);
  links.ctx_status =
      static_cast<uint32_t>(detail::ContextAccess::status_offset());
  links.ctx_stack_low =
      static_cast<uint32_t>(detail::ContextAccess::stack_low_offset());
  links.ctx_frame_pointer =
      static_cast<uint32_t>(detail::ContextAccess::frame_pointer_offset());
  return links;
}

// Generation scratch space, reused by later compiles on the same thread.
std::vector<uint8_t> &scratch_buffer() {
  thread_local std::vector<uint8_t> buffer;
  return buffer;
}

struct Generated {
  platform::ExecutableMemory memory;
  size_t used = 0; // bytes of code
};

Result<Generated> generate(const detail::CodePlan &plan, CodeVariant variant) {
  static const x86_64::RuntimeLinks links = runtime_links();
  std::vector<uint8_t> &buffer = scratch_buffer();
  size_t want =
      4096 + plan.slot_count * (variant == CodeVariant::Checked ? 192 : 64);
  for (;;) {
    if (buffer.size() < want)
      buffer.resize(want);
    size_t used = 0;
    try {
      x86_64::Emitter emitter(plan, variant_flags(variant), links,
                              buffer.data(), buffer.size());
      emitter.emit_program();
      if (emitter.hasUndefinedLabel())
        return make_error(ErrorCode::Internal,
                          "JIT: a jump target was never defined");
      used = emitter.getSize();
    } catch (const Xbyak::Error &e) {
      if (static_cast<int>(e) == Xbyak::ERR_CODE_IS_TOO_BIG) {
        want = buffer.size() * 2;
        continue;
      }
      return make_error(ErrorCode::Internal,
                        std::string("JIT code generation failed: ") + e.what());
    }
    BPFHOST_TRY(memory, platform::ExecutableMemory::allocate(used));
    std::memcpy(memory.writable().data(), buffer.data(), used);
    if (Result<void> made = memory.make_executable(); !made)
      return made.error();
    return Generated{std::move(memory), used};
  }
}

} // namespace

bool available() { return true; }

CodeVariant variant_for(const vm::RunEnv &env) {
  if (env.mode == vm::MemoryMode::Checked)
    return CodeVariant::Checked;
  return env.executed_count ? CodeVariant::Counting : CodeVariant::Unchecked;
}

Result<CompiledProgram>
CompiledProgram::compile(std::span<const isa::RawInsn> slots) {
  BPFHOST_TRY(plan, detail::make_code_plan(slots));
  auto impl = std::make_shared<Impl>();
  impl->plan = std::move(plan);
  return CompiledProgram(std::move(impl));
}

Result<const CompiledProgram::Impl::Code *>
CompiledProgram::Impl::code_for(CodeVariant variant) const {
  Code &code = codes[static_cast<size_t>(variant)];
  std::call_once(code.once, [&] {
    Result<Generated> generated = generate(plan, variant);
    if (generated) {
      code.memory = std::move(generated->memory);
      code.used.store(generated->used, std::memory_order_release);
    } else {
      code.error = generated.error();
    }
  });
  if (code.error)
    return *code.error;
  return &code;
}

Result<void> CompiledProgram::prepare(CodeVariant variant) const {
  Result<const Impl::Code *> code = impl_->code_for(variant);
  if (!code)
    return code.error();
  return {};
}

size_t CompiledProgram::slot_count() const { return impl_->plan.slot_count; }

size_t CompiledProgram::code_size(CodeVariant variant) const {
  return impl_->codes[static_cast<size_t>(variant)].used.load(
      std::memory_order_acquire);
}

} // namespace bpfhost::jit
