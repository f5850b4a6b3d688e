// What helpers reach through RunContext::user_data() during one run.
#pragma once

#include "maps/epoch.hpp"
#include "runtime/runtime.hpp"

namespace bpfhost::runtime {

struct Invocation {
  Runtime *runtime = nullptr;
  const LoadedProgram *program = nullptr;
  HostContext *ctx = nullptr;
  maps::ExecutionSlot slot;
};

// The vm helper table for `program`: one trampoline per helper id that
// forwards to program.helper_by_id[id]->fn with the C ABI's run context.
Result<void> install_helpers(LoadedProgram &program);

// The runtime's general helpers (map access, time, random, trace, ...).
std::span<const bpfhost_helper> general_helpers();

} // namespace bpfhost::runtime
