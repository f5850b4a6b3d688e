// The map base class and create_map().
#include "maps/map.hpp"

#include "maps/array_map.hpp"
#include "maps/devmap.hpp"
#include "maps/hash_map.hpp"
#include "maps/lpm_trie.hpp"
#include "maps/map_attr_check.hpp"
#include "maps/map_of_maps.hpp"
#include "maps/perf_event_array.hpp"
#include "maps/prog_array.hpp"
#include "maps/queue_stack.hpp"
#include "maps/ringbuf.hpp"

namespace bpfhost::maps {
namespace {

std::uint32_t user_value_size_of(const MapAttr &attr, unsigned cpus) {
  auto info = map_type_info(attr.type);
  if (info && info->per_cpu)
    return ((attr.value_size + 7) & ~7u) * cpus;
  return attr.value_size;
}

} // namespace

Map::Map(const MapAttr &attr, EpochDomain *epochs)
    : attr_(attr),
      user_value_size_(user_value_size_of(attr, epochs->slot_count())),
      epochs_(epochs) {}

// Operations a type does not have: Linux returns ENOTSUPP (helpers are
// refused earlier, by the verifier).
void *Map::lookup(const void *, ExecutionSlot) { return nullptr; }
Status Map::update(const void *, const void *, std::uint64_t, ExecutionSlot) {
  return Errno::NotSupp;
}
Status Map::erase(const void *, ExecutionSlot) { return Errno::NotSupp; }
Status Map::push(const void *, std::uint64_t) { return Errno::NotSupp; }
Status Map::pop(void *) { return Errno::NotSupp; }
Status Map::peek(void *) { return Errno::NotSupp; }
Status Map::sys_lookup(const void *, void *, std::uint64_t) {
  return Errno::NotSupp;
}
Status Map::sys_update(const void *, const void *, std::uint64_t) {
  return Errno::NotSupp;
}
Status Map::sys_delete(const void *) { return Errno::NotSupp; }
Status Map::sys_lookup_and_delete(const void *, void *, std::uint64_t) {
  return Errno::NotSupp;
}
Status Map::get_next_key(const void *, void *) { return Errno::NotSupp; }

namespace {

std::shared_ptr<Map> allocate(const MapAttr &attr, const MapEnvironment &env) {
  switch (attr.type) {
  case MapType::Hash:
  case MapType::PercpuHash:
  case MapType::LruHash:
  case MapType::LruPercpuHash:
    return HashMap::create(attr, env);
  case MapType::Array:
  case MapType::PercpuArray:
    return ArrayMap::create(attr, env);
  case MapType::ArrayOfMaps:
  case MapType::HashOfMaps:
    return MapOfMaps::create(attr, env);
  case MapType::ProgArray:
    return ProgArray::create(attr, env);
  case MapType::PerfEventArray:
    return PerfEventArray::create(attr, env);
  case MapType::LpmTrie:
    return LpmTrie::create(attr, env);
  case MapType::Queue:
  case MapType::Stack:
    return QueueStack::create(attr, env);
  case MapType::Ringbuf:
    return RingBuf::create(attr, env);
  case MapType::Devmap:
  case MapType::DevmapHash:
    return DevMap::create(attr, env);
  default: // check_map_attr refused every other type
    return nullptr;
  }
}

} // namespace

Result<std::shared_ptr<Map>> create_map(const MapAttr &attr,
                                        const MapEnvironment &env) {
  if (!env.epochs)
    return make_error(ErrorCode::Internal, "map create: no epoch domain");
  if (auto ok = check_map_attr(attr); !ok)
    return ok.error();
  std::shared_ptr<Map> map;
  try {
    map = allocate(attr, env);
  } catch (const std::bad_alloc &) {
  }
  if (!map)
    return to_error(Errno::NoMem, "map create: out of memory");
  return map;
}

Errno creation_errno(const Error &error) {
  switch (error.code) {
  case ErrorCode::InvalidInput:
    return Errno::Inval;
  case ErrorCode::OutOfRange:
    return Errno::TooBig;
  case ErrorCode::NotSupported:
    return Errno::NotSupp;
  case ErrorCode::ResourceExhausted:
    return Errno::NoMem;
  case ErrorCode::NotFound:
    return Errno::NoEnt;
  case ErrorCode::AlreadyExists:
    return Errno::Exist;
  case ErrorCode::Unsafe:
  case ErrorCode::Io:
  case ErrorCode::Internal:
    return Errno::Inval;
  }
  return Errno::Inval;
}

} // namespace bpfhost::maps
