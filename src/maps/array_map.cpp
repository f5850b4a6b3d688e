// Arrays (see array_map.hpp); semantics of kernel/bpf/arraymap.c.
#include "maps/array_map.hpp"

#include <cstring>
#include <new>

namespace bpfhost::maps {
namespace {

constexpr std::uint32_t round8(std::uint32_t n) { return (n + 7) & ~7u; }

std::uint32_t read_index(const void *key) {
  std::uint32_t index = 0;
  std::memcpy(&index, key, sizeof index);
  return index;
}

} // namespace

Status array_get_next_key(std::uint32_t max_entries, const void *key,
                          void *next_key) {
  std::uint32_t index = key == nullptr ? max_entries : read_index(key);
  std::uint32_t next = 0;
  if (index < max_entries) {
    if (index == max_entries - 1)
      return Errno::NoEnt;
    next = index + 1;
  }
  std::memcpy(next_key, &next, sizeof next);
  return {};
}

ArrayMap::ArrayMap(const MapAttr &attr, const MapEnvironment &env,
                   std::unique_ptr<unsigned char[]> data, std::size_t block)
    : Map(attr, env.epochs), per_cpu_(attr.type == MapType::PercpuArray),
      stride_(round8(attr.value_size)), block_(block), data_(std::move(data)) {}

std::shared_ptr<ArrayMap> ArrayMap::create(const MapAttr &attr,
                                           const MapEnvironment &env) {
  bool per_cpu = attr.type == MapType::PercpuArray;
  std::size_t block = std::size_t{attr.max_entries} * round8(attr.value_size);
  if (per_cpu) // keep each CPU's values on their own cache lines
    block = (block + 63) & ~std::size_t{63};
  std::size_t copies = per_cpu ? env.epochs->slot_count() : 1;
  std::unique_ptr<unsigned char[]> data(
      new (std::nothrow) unsigned char[block * copies]());
  if (!data)
    return nullptr;
  return std::make_shared<ArrayMap>(attr, env, std::move(data), block);
}

void *ArrayMap::lookup(const void *key, ExecutionSlot slot) {
  std::uint32_t index = read_index(key);
  if (index >= max_entries())
    return nullptr;
  return values(per_cpu_ ? slot.index : 0) + std::size_t{index} * stride_;
}

// array_map_update_elem: BPF_F_LOCK needs a spin lock in the value (never
// here: EINVAL), elements always exist (NOEXIST: EEXIST).
Status ArrayMap::check_update(const void *key, std::uint64_t flags,
                              std::uint32_t &index) const {
  if (flags > kBpfExist)
    return Errno::Inval;
  index = read_index(key);
  if (index >= max_entries())
    return Errno::TooBig;
  if (flags == kBpfNoexist)
    return Errno::Exist;
  return {};
}

Status ArrayMap::update(const void *key, const void *value, std::uint64_t flags,
                        ExecutionSlot slot) {
  std::uint32_t index = 0;
  if (Status status = check_update(key, flags, index); !status)
    return status;
  std::memcpy(values(per_cpu_ ? slot.index : 0) + std::size_t{index} * stride_,
              value, value_size());
  return {};
}

Status ArrayMap::erase(const void *, ExecutionSlot) { return Errno::Inval; }

Status ArrayMap::sys_lookup(const void *key, void *value, std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  std::uint32_t index = read_index(key);
  if (index >= max_entries())
    return Errno::NoEnt;
  auto *out = static_cast<unsigned char *>(value);
  if (!per_cpu_) {
    std::memcpy(out, values() + std::size_t{index} * stride_, value_size());
    return {};
  }
  for (unsigned cpu = 0; cpu < cpu_count(); ++cpu)
    std::memcpy(out + cpu * stride_, values(cpu) + std::size_t{index} * stride_,
                stride_);
  return {};
}

Status ArrayMap::sys_update(const void *key, const void *value,
                            std::uint64_t flags) {
  std::uint32_t index = 0;
  if (Status status = check_update(key, flags, index); !status)
    return status;
  const auto *in = static_cast<const unsigned char *>(value);
  if (!per_cpu_) {
    std::memcpy(values() + std::size_t{index} * stride_, in, value_size());
    return {};
  }
  for (unsigned cpu = 0; cpu < cpu_count(); ++cpu)
    std::memcpy(values(cpu) + std::size_t{index} * stride_, in + cpu * stride_,
                value_size());
  return {};
}

Status ArrayMap::sys_delete(const void *) { return Errno::Inval; }

Status ArrayMap::get_next_key(const void *key, void *next_key) {
  return array_get_next_key(max_entries(), key, next_key);
}

} // namespace bpfhost::maps
