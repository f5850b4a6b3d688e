// libFuzzer target: random instruction streams through the interpreter in
// checked mode, with a memory region and a small instruction budget.
// Property: load fails or the run ends with r0 or an error; never a crash, a
// hang or an access outside the regions (ASan would report it).
#include <cstdint>
#include <vector>

#include "vm/vm.hpp"

namespace {
uint64_t helper_identity(bpfhost::vm::RunContext &, uint64_t r1, uint64_t,
                         uint64_t, uint64_t, uint64_t) {
  return r1;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace bpfhost;
  const auto slots = isa::raw_insns_from_bytes({data, size - size % 8});
  auto program = vm::Program::load(slots);
  if (!program)
    return 0;
  std::vector<uint8_t> memory(64, 0xab);
  const vm::MemoryRegion region{reinterpret_cast<uint64_t>(memory.data()),
                                memory.size(), true};
  vm::HelperTable helpers;
  (void)helpers.set(1, helper_identity);
  vm::RunEnv env;
  env.mode = vm::MemoryMode::Checked;
  env.r1 = region.start;
  env.r2 = memory.size();
  env.regions = {&region, 1};
  env.helpers = &helpers;
  env.packet = memory;
  env.insn_budget = 10000;
  (void)vm::run(*program, env);
  return 0;
}
