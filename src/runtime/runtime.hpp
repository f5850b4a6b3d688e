// The execution context (DESIGN.md §1): maps created from an object's
// MapSpecs, programs prepared from its ProgramSpecs (map references resolved,
// context accesses rewritten) and loaded into the interpreter, and
// invocation with the general helpers. Embedded mode: everything lives in
// this process. Portable: OS access only through src/platform.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bpfhost/program_type.h"
#include "isa/raw_insn.hpp"
#include "maps/epoch.hpp"
#include "maps/map.hpp"
#include "object/object_spec.hpp"
#include "runtime/registry.hpp"
#include "support/result.hpp"
#include "vm/vm.hpp"

namespace bpfhost::runtime {

struct RuntimeOptions {
  // Receives the text of each bpf_trace_printk call as formatted (a
  // trailing newline stays if the format had one). Default: discarded.
  std::function<void(std::string_view)> trace;
};

// A map of a loaded object.
struct LoadedMap {
  std::string name;
  uint32_t id = 0; // also the handle programs get from lddw MAP_FD
  std::shared_ptr<maps::Map> map;
};

// A program ready to run.
struct LoadedProgram {
  std::string name;
  std::string section;
  const bpfhost_program_type *type = nullptr;
  std::vector<isa::RawInsn> xlated;   // after map and context rewriting
  std::vector<bool> ctx_load;         // per slot: a rewritten context access
  std::optional<vm::Program> program; // set once loaded
  vm::HelperTable helpers;
  std::vector<const bpfhost_helper *> helper_by_id;
};

// The context block of one run: the program's view (ctx_size bytes, never
// accessible: a context access that was not rewritten faults) followed by
// the host-side context (host_ctx_size bytes) that rewritten loads read.
class HostContext {
public:
  explicit HostContext(const bpfhost_program_type &type);
  // The host-side context, laid out as the type's fields say.
  uint8_t *host() { return bytes() + guard_; }
  // What r1 holds: the start of the program's view.
  uint64_t r1() { return reinterpret_cast<uint64_t>(bytes()); }
  // Offset of the host-side context from r1.
  uint32_t guard() const { return guard_; }
  uint32_t host_size() const { return host_size_; }

private:
  uint8_t *bytes() { return reinterpret_cast<uint8_t *>(storage_.data()); }
  std::vector<uint64_t> storage_;
  uint32_t guard_;
  uint32_t host_size_;
};

// Offset of the host-side context from the context pointer for `type`.
uint32_t host_ctx_guard(const bpfhost_program_type &type);

class Runtime {
public:
  Runtime(const ProgramTypeRegistry &registry, RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime &) = delete;
  Runtime &operator=(const Runtime &) = delete;

  // Creates every map of `spec` (global data initialised from its section
  // bytes). Call once, before load_program().
  Result<void> load_maps(const object::ObjectSpec &spec);
  // Prepares and loads program `index` of `spec` (whose maps are loaded).
  Result<const LoadedProgram *> load_program(const object::ObjectSpec &spec,
                                             size_t index);

  const std::vector<LoadedMap> &maps() const { return maps_; }
  // The map a program's handle names, or nullptr.
  maps::Map *map_by_handle(uint64_t handle) const;
  maps::EpochDomain &epochs() { return *epochs_; }
  const ProgramTypeRegistry &registry() const { return registry_; }
  void trace(std::string_view line) const {
    if (options_.trace)
      options_.trace(line);
  }

  // Runs `program` once with r1 = the host context `host_ctx` (laid out as
  // its type's host_ctx_size says), plus `regions` (e.g. the packet).
  Result<uint64_t> invoke(const LoadedProgram &program, HostContext &ctx,
                          std::span<const vm::MemoryRegion> regions);

private:
  const ProgramTypeRegistry &registry_;
  RuntimeOptions options_;
  std::unique_ptr<maps::EpochDomain> epochs_;
  std::vector<LoadedMap> maps_;
  std::vector<vm::MemoryRegion> data_regions_; // global data values
  std::vector<std::unique_ptr<LoadedProgram>> programs_;
  const object::ObjectSpec *spec_ = nullptr;
};

} // namespace bpfhost::runtime
