#include "runtime/runtime.hpp"

#include "maps/map_types.hpp"
#include "platform/processors.hpp"
#include "runtime/invocation.hpp"
#include "runtime/prepare.hpp"

namespace bpfhost::runtime {
namespace {

// Linux helper ids are below this today (see helpers_trampoline.cpp).
constexpr size_t kHelperIds = 256;

Result<std::shared_ptr<maps::Map>> create(const object::MapSpec &spec,
                                          const maps::MapEnvironment &env) {
  maps::MapAttr attr;
  attr.type = static_cast<maps::MapType>(spec.type);
  attr.key_size = spec.key_size;
  attr.value_size = spec.value_size;
  attr.max_entries = spec.max_entries;
  attr.map_flags = spec.flags;
  attr.name = spec.name;
  if (spec.inner) {
    auto inner = create(*spec.inner, env);
    if (!inner)
      return inner.error();
    attr.inner_map = *inner;
  }
  return maps::create_map(attr, env);
}

} // namespace

uint32_t host_ctx_guard(const bpfhost_program_type &type) {
  return (type.ctx_size + 7u) & ~7u;
}

HostContext::HostContext(const bpfhost_program_type &type)
    : storage_((host_ctx_guard(type) + type.host_ctx_size + 7) / 8, 0),
      guard_(host_ctx_guard(type)), host_size_(type.host_ctx_size) {}

Runtime::Runtime(const ProgramTypeRegistry &registry, RuntimeOptions options)
    : registry_(registry), options_(std::move(options)),
      epochs_(std::make_unique<maps::EpochDomain>(platform::possible_cpus())) {}

Runtime::~Runtime() {
  programs_.clear();
  maps_.clear(); // before the epoch domain they use
}

Result<void> Runtime::load_maps(const object::ObjectSpec &spec) {
  maps::MapEnvironment env;
  env.epochs = epochs_.get();
  for (const auto &map_spec : spec.maps) {
    auto map = create(map_spec, env);
    if (!map)
      return map.error().within("map " + map_spec.name);
    LoadedMap loaded{map_spec.name, static_cast<uint32_t>(maps_.size() + 1),
                     *map};
    loaded.map->set_id(loaded.id);
    if (map_spec.origin == object::MapOrigin::GlobalData) {
      const uint32_t key = 0;
      std::vector<uint8_t> value(loaded.map->value_size(), 0);
      std::copy_n(map_spec.data.begin(),
                  std::min(map_spec.data.size(), value.size()), value.begin());
      auto status = loaded.map->sys_update(&key, value.data(), maps::kBpfAny);
      if (!status)
        return maps::to_error(status, "initialising " + map_spec.name);
      maps::EpochDomain::Guard guard(*epochs_, {0});
      auto *address = loaded.map->lookup(&key, {0});
      data_regions_.push_back({reinterpret_cast<uint64_t>(address),
                               loaded.map->value_size(),
                               !(map_spec.flags & object::kMapFlagRdonlyProg)});
    }
    maps_.push_back(std::move(loaded));
  }
  spec_ = &spec;
  return {};
}

maps::Map *Runtime::map_by_handle(uint64_t handle) const {
  if (handle == 0 || handle > maps_.size())
    return nullptr;
  return maps_[handle - 1].map.get();
}

Result<const LoadedProgram *>
Runtime::load_program(const object::ObjectSpec &spec, size_t index) {
  const auto &prog = spec.programs.at(index);
  const std::string where = "program " + prog.name;
  if (prog.error) // the loader's error already names the program
    return *prog.error;
  auto type = registry_.find_by_section(prog.section);
  if (!type)
    return type.error().within(where);
  auto loaded = std::make_unique<LoadedProgram>(LoadedProgram{
      prog.name, prog.section, *type, prog.insns, {}, {}, {}, {}});
  MapResolver resolver;
  resolver.handle = [&](size_t map) { return maps_.at(map).id; };
  resolver.value_address = [&](size_t map) -> Result<uint64_t> {
    auto &m = *maps_.at(map).map;
    if (m.type() != maps::MapType::Array || m.max_entries() != 1)
      return make_error(ErrorCode::NotSupported,
                        "direct value access to map " + maps_.at(map).name +
                            " (only single-value arrays)");
    const uint32_t key = 0;
    maps::EpochDomain::Guard guard(*epochs_, {0});
    return reinterpret_cast<uint64_t>(m.lookup(&key, {0}));
  };
  auto resolved = resolve_map_refs(loaded->xlated, prog, resolver);
  if (!resolved)
    return resolved.error().within(where);
  size_t entry_len =
      prog.functions.empty() ? prog.insns.size() : prog.functions[0].insn_count;
  auto rewritten = rewrite_ctx_access(loaded->xlated, entry_len, **type,
                                      host_ctx_guard(**type));
  if (!rewritten)
    return rewritten.error().within(where);
  loaded->ctx_load = std::move(*rewritten);
  loaded->helper_by_id.assign(kHelperIds, nullptr);
  for (const auto &helper : general_helpers())
    loaded->helper_by_id[static_cast<size_t>(helper.id)] = &helper;
  for (size_t i = 0; i < (*type)->helper_count; ++i) {
    const auto &helper = (*type)->helpers[i];
    if (helper.id < 0 || static_cast<size_t>(helper.id) >= kHelperIds)
      return make_error(ErrorCode::NotSupported,
                        std::string("helper ") + helper.name + " id too large");
    loaded->helper_by_id[static_cast<size_t>(helper.id)] = &helper;
  }
  auto installed = install_helpers(*loaded);
  if (!installed)
    return installed.error().within(where);
  auto program = vm::Program::load(loaded->xlated);
  if (!program)
    return program.error().within(where);
  loaded->program = std::move(*program);
  programs_.push_back(std::move(loaded));
  return programs_.back().get();
}

Result<uint64_t> Runtime::invoke(const LoadedProgram &program, HostContext &ctx,
                                 std::span<const vm::MemoryRegion> regions) {
  Invocation inv;
  inv.runtime = this;
  inv.program = &program;
  inv.ctx = &ctx;
  // TODO(#3): claim a free slot instead, so that two threads on one CPU
  // never share a slot.
  inv.slot = {platform::current_cpu() % epochs_->slot_count()};
  std::vector<vm::MemoryRegion> all(data_regions_);
  all.insert(all.end(), regions.begin(), regions.end());
  all.push_back({ctx.r1() + ctx.guard(), ctx.host_size(), false});
  vm::RunEnv env;
  env.mode = vm::MemoryMode::Checked;
  env.r1 = ctx.r1();
  env.regions = all;
  env.helpers = &program.helpers;
  env.user_data = &inv;
  maps::EpochDomain::Guard guard(*epochs_, inv.slot);
  return vm::run(*program.program, env);
}

} // namespace bpfhost::runtime
