// Internal: what a CompiledProgram holds.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>

#include "jit/code_plan.hpp"
#include "jit/jit.hpp"
#include "platform/executable_memory.hpp"

namespace bpfhost::jit {

struct CompiledProgram::Impl {
  // One variant's machine code, generated at most once.
  struct Code {
    std::once_flag once;
    platform::ExecutableMemory memory;
    std::atomic<size_t> used{0}; // bytes of code, once generated
    std::optional<Error> error;
  };
  detail::CodePlan plan;
  mutable Code codes[3]; // by CodeVariant

  // The code of `variant`, generating it on first use.
  Result<const Code *> code_for(CodeVariant variant) const;
};

} // namespace bpfhost::jit
