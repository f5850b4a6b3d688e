// The bridge between the C extension ABI and the interpreter: helpers are
// bpfhost_helper_fn (C), the interpreter calls vm::HelperFn by id. One
// trampoline per id forwards to the program's helper of that id.
#include <array>
#include <utility>

#include "runtime/invocation.hpp"
#include "vm/vm.hpp"

namespace bpfhost::runtime {
namespace {

// Linux helper ids are below 256 today (uapi enum bpf_func_id ends near 212).
constexpr size_t kMaxHelperId = 256;

template <size_t Id>
uint64_t trampoline(vm::RunContext &ctx, uint64_t r1, uint64_t r2, uint64_t r3,
                    uint64_t r4, uint64_t r5) {
  auto *inv = static_cast<Invocation *>(ctx.user_data());
  const bpfhost_helper *helper = inv->program->helper_by_id[Id];
  return helper->fn(reinterpret_cast<bpfhost_run_context *>(&ctx), r1, r2, r3,
                    r4, r5);
}

template <size_t... Ids>
constexpr std::array<vm::HelperFn, sizeof...(Ids)>
make_trampolines(std::index_sequence<Ids...>) {
  return {&trampoline<Ids>...};
}

constexpr auto kTrampolines =
    make_trampolines(std::make_index_sequence<kMaxHelperId>());

vm::RunContext &run_of(bpfhost_run_context *run) {
  return *reinterpret_cast<vm::RunContext *>(run);
}

} // namespace

Result<void> install_helpers(LoadedProgram &program) {
  for (size_t id = 0; id < program.helper_by_id.size(); ++id) {
    if (program.helper_by_id[id] == nullptr)
      continue;
    if (id >= kMaxHelperId)
      return make_error(ErrorCode::NotSupported,
                        "helper id " + std::to_string(id) + " is too large");
    auto set = program.helpers.set(static_cast<int64_t>(id), kTrampolines[id]);
    if (!set)
      return set.error();
  }
  return {};
}

} // namespace bpfhost::runtime

using bpfhost::runtime::Invocation;

extern "C" void *bpfhost_run_host_ctx(bpfhost_run_context *run) {
  auto *inv =
      static_cast<Invocation *>(bpfhost::runtime::run_of(run).user_data());
  return inv->ctx->host();
}

extern "C" void bpfhost_run_add_region(bpfhost_run_context *run, uint64_t addr,
                                       uint64_t size, int writable) {
  bpfhost::runtime::run_of(run).add_region({addr, size, writable != 0});
}

extern "C" int bpfhost_run_check_access(bpfhost_run_context *run, uint64_t addr,
                                        uint64_t size, int write) {
  return bpfhost::runtime::run_of(run).check_access(addr, size, write != 0).ok()
             ? 0
             : -14;
}
