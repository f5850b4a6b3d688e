// The general helpers every program type gets (Linux ids and semantics):
// map access, time, random numbers, the processor slot, trace_printk and
// csum_diff.
#include <cstring>
#include <random>
#include <string>

#include "maps/map_types.hpp"
#include "platform/clock.hpp"
#include "runtime/invocation.hpp"
#include "runtime/trace_format.hpp"

namespace bpfhost::runtime {
namespace {

vm::RunContext &run_of(bpfhost_run_context *run) {
  return *reinterpret_cast<vm::RunContext *>(run);
}
Invocation &inv_of(bpfhost_run_context *run) {
  return *static_cast<Invocation *>(run_of(run).user_data());
}

// The map a handle names; fails the run if it names none.
maps::Map *map_arg(bpfhost_run_context *run, uint64_t handle) {
  maps::Map *map = inv_of(run).runtime->map_by_handle(handle);
  if (map == nullptr)
    run_of(run).fail(
        make_error(ErrorCode::Unsafe, "helper argument is not a map (" +
                                          std::to_string(handle) + ")"));
  return map;
}

// Whether [addr, addr+size) is accessible; fails the run if not.
bool mem_arg(bpfhost_run_context *run, uint64_t addr, uint64_t size,
             bool write) {
  auto ok = run_of(run).check_access(addr, size, write);
  if (!ok)
    run_of(run).fail(ok.error());
  return ok.ok();
}

uint64_t map_lookup_elem(bpfhost_run_context *run, uint64_t r1, uint64_t r2,
                         uint64_t, uint64_t, uint64_t) {
  maps::Map *map = map_arg(run, r1);
  if (map == nullptr || !mem_arg(run, r2, map->key_size(), false))
    return 0;
  void *value =
      map->lookup(reinterpret_cast<const void *>(r2), inv_of(run).slot);
  // Maps of maps return the inner map itself: not memory for the program.
  const bool map_of_maps = map->type() == maps::MapType::ArrayOfMaps ||
                           map->type() == maps::MapType::HashOfMaps;
  if (value != nullptr && !map_of_maps)
    run_of(run).add_region({reinterpret_cast<uint64_t>(value),
                            map->value_size(),
                            !(map->attr().map_flags & maps::kBpfFRdonlyProg)});
  return reinterpret_cast<uint64_t>(value);
}

uint64_t map_update_elem(bpfhost_run_context *run, uint64_t r1, uint64_t r2,
                         uint64_t r3, uint64_t r4, uint64_t) {
  maps::Map *map = map_arg(run, r1);
  if (map == nullptr || !mem_arg(run, r2, map->key_size(), false) ||
      !mem_arg(run, r3, map->value_size(), false))
    return 0;
  auto status =
      map->update(reinterpret_cast<const void *>(r2),
                  reinterpret_cast<const void *>(r3), r4, inv_of(run).slot);
  return static_cast<uint64_t>(status.helper_return());
}

uint64_t map_delete_elem(bpfhost_run_context *run, uint64_t r1, uint64_t r2,
                         uint64_t, uint64_t, uint64_t) {
  maps::Map *map = map_arg(run, r1);
  if (map == nullptr || !mem_arg(run, r2, map->key_size(), false))
    return 0;
  auto status =
      map->erase(reinterpret_cast<const void *>(r2), inv_of(run).slot);
  return static_cast<uint64_t>(status.helper_return());
}

uint64_t ktime_get_ns(bpfhost_run_context *, uint64_t, uint64_t, uint64_t,
                      uint64_t, uint64_t) {
  return platform::monotonic_ns();
}

uint64_t ktime_get_boot_ns(bpfhost_run_context *, uint64_t, uint64_t, uint64_t,
                           uint64_t, uint64_t) {
  return platform::boot_ns();
}

uint64_t get_prandom_u32(bpfhost_run_context *, uint64_t, uint64_t, uint64_t,
                         uint64_t, uint64_t) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return static_cast<uint32_t>(rng()) ^ (static_cast<uint32_t>(rng()) << 16);
}

uint64_t get_smp_processor_id(bpfhost_run_context *run, uint64_t, uint64_t,
                              uint64_t, uint64_t, uint64_t) {
  return inv_of(run).slot.index;
}

uint64_t trace_printk(bpfhost_run_context *run, uint64_t r1, uint64_t r2,
                      uint64_t r3, uint64_t r4, uint64_t r5) {
  if (r2 == 0 || !mem_arg(run, r1, r2, false))
    return static_cast<uint64_t>(-22);
  const char *fmt = reinterpret_cast<const char *>(r1);
  if (std::memchr(fmt, 0, r2) == nullptr)
    return static_cast<uint64_t>(-22); // Linux: format must end in NUL
  auto text = format_trace(fmt, {r3, r4, r5});
  if (!text)
    return static_cast<uint64_t>(-22);
  inv_of(run).runtime->trace(*text);
  return text->size();
}

// Linux's bpf_csum_diff: the 32-bit ones' complement sum of `seed`, the
// complement of each word of `from` and each word of `to` (csum_partial).
uint64_t csum_diff(bpfhost_run_context *run, uint64_t r1, uint64_t r2,
                   uint64_t r3, uint64_t r4, uint64_t r5) {
  if ((r2 % 4) != 0 || (r4 % 4) != 0 || r2 + r4 > 512)
    return static_cast<uint64_t>(-22);
  if ((r2 != 0 && !mem_arg(run, r1, r2, false)) ||
      (r4 != 0 && !mem_arg(run, r3, r4, false)))
    return 0;
  uint64_t sum = static_cast<uint32_t>(r5);
  for (uint64_t i = 0; i < r2; i += 4) {
    uint32_t w;
    std::memcpy(&w, reinterpret_cast<const uint8_t *>(r1) + i, 4);
    sum += static_cast<uint32_t>(~w);
  }
  for (uint64_t i = 0; i < r4; i += 4) {
    uint32_t w;
    std::memcpy(&w, reinterpret_cast<const uint8_t *>(r3) + i, 4);
    sum += w;
  }
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffffffff) + (sum >> 32);
  return sum;
}

constexpr uint32_t kAny = BPFHOST_ARG_ANYTHING;
constexpr uint32_t kMap = BPFHOST_ARG_CONST_MAP_PTR;
constexpr uint32_t kKey = BPFHOST_ARG_PTR_TO_MAP_KEY;
constexpr uint32_t kValue = BPFHOST_ARG_PTR_TO_MAP_VALUE;
constexpr uint32_t kMem = BPFHOST_ARG_PTR_TO_MEM;
constexpr uint32_t kMemOrNull = BPFHOST_ARG_PTR_TO_MEM_OR_NULL;
constexpr uint32_t kSize = BPFHOST_ARG_CONST_SIZE;
constexpr uint32_t kSizeOrZero = BPFHOST_ARG_CONST_SIZE_OR_ZERO;
constexpr uint32_t kInt = BPFHOST_RET_INTEGER;

// Ids from uapi enum bpf_func_id.
const bpfhost_helper kGeneral[] = {
    {1,
     "bpf_map_lookup_elem",
     BPFHOST_RET_PTR_TO_MAP_VALUE_OR_NULL,
     {kMap, kKey},
     0,
     map_lookup_elem},
    {2,
     "bpf_map_update_elem",
     kInt,
     {kMap, kKey, kValue, kAny},
     0,
     map_update_elem},
    {3, "bpf_map_delete_elem", kInt, {kMap, kKey}, 0, map_delete_elem},
    {5, "bpf_ktime_get_ns", kInt, {}, 0, ktime_get_ns},
    {6,
     "bpf_trace_printk",
     kInt,
     {kMem, kSize, kAny, kAny, kAny},
     0,
     trace_printk},
    {7, "bpf_get_prandom_u32", kInt, {}, 0, get_prandom_u32},
    {8, "bpf_get_smp_processor_id", kInt, {}, 0, get_smp_processor_id},
    {28,
     "bpf_csum_diff",
     kInt,
     {kMemOrNull, kSizeOrZero, kMemOrNull, kSizeOrZero, kAny},
     0,
     csum_diff},
    {125, "bpf_ktime_get_boot_ns", kInt, {}, 0, ktime_get_boot_ns},
};

} // namespace

std::span<const bpfhost_helper> general_helpers() { return kGeneral; }

} // namespace bpfhost::runtime
