// Maps of maps (see map_of_maps.hpp).
#include "maps/map_of_maps.hpp"

#include "maps/array_map.hpp"
#include "maps/map_attr_check.hpp"

#include <cstring>
#include <mutex>

namespace bpfhost::maps {
namespace {

using MapRef = std::shared_ptr<Map>;

void destroy_ref(void *value) { static_cast<MapRef *>(value)->~MapRef(); }

std::uint32_t read_index(const void *key) {
  std::uint32_t index = 0;
  std::memcpy(&index, key, 4);
  return index;
}

} // namespace

MapOfMaps::MapOfMaps(const MapAttr &attr, const MapEnvironment &env)
    : Map(attr, env.epochs) {
  if (is_array())
    slots_ = std::make_unique<SlotArray<MapRef>>(attr.max_entries, *env.epochs);
  else
    table_ = std::make_unique<HashTable>(
        attr.key_size, static_cast<std::uint32_t>(sizeof(MapRef)),
        attr.max_entries, (attr.map_flags & kBpfFZeroSeed) != 0, *env.epochs,
        &destroy_ref);
}

std::shared_ptr<MapOfMaps> MapOfMaps::create(const MapAttr &attr,
                                             const MapEnvironment &env) {
  return std::make_shared<MapOfMaps>(attr, env);
}

Status MapOfMaps::update_map(const void *key, std::shared_ptr<Map> inner,
                             std::uint64_t flags) {
  if (!inner || !inner_map_matches(attr().inner_map->attr(), inner->attr()))
    return Errno::Inval;
  if (is_array()) {
    if (flags != kBpfAny)
      return Errno::Inval;
    std::uint32_t index = read_index(key);
    if (index >= max_entries())
      return Errno::TooBig;
    slots_->set(index, std::move(inner));
    return {};
  }
  if (flags > kBpfExist)
    return Errno::Inval;
  std::uint32_t hash = table_->hash(key);
  HashTable::Bucket &bucket = table_->bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *old = table_->find(key, hash);
  if (old != nullptr && flags == kBpfNoexist)
    return Errno::Exist;
  if (old == nullptr && flags == kBpfExist)
    return Errno::NoEnt;
  if (old == nullptr && !table_->reserve())
    return Errno::TooBig;
  HashNode *node = table_->allocate(key, hash);
  if (node == nullptr) {
    if (old == nullptr)
      table_->release();
    return Errno::NoMem;
  }
  new (table_->value_of(node)) MapRef(std::move(inner));
  table_->link(bucket, node, old);
  lock.unlock();
  if (old != nullptr)
    table_->retire(old);
  return {};
}

void *MapOfMaps::lookup(const void *key, ExecutionSlot) {
  if (is_array()) {
    std::uint32_t index = read_index(key);
    if (index >= max_entries())
      return nullptr;
    MapRef *ref = slots_->get(index);
    return ref != nullptr ? ref->get() : nullptr;
  }
  HashNode *node = table_->find(key);
  if (node == nullptr)
    return nullptr;
  return reinterpret_cast<MapRef *>(table_->value_of(node))->get();
}

std::shared_ptr<Map> MapOfMaps::get_map(const void *key) {
  EpochDomain::ExternalGuard guard(epochs());
  if (is_array()) {
    std::uint32_t index = read_index(key);
    MapRef *ref = index < max_entries() ? slots_->get(index) : nullptr;
    return ref != nullptr ? *ref : nullptr;
  }
  HashNode *node = table_->find(key);
  return node != nullptr ? *reinterpret_cast<MapRef *>(table_->value_of(node))
                         : nullptr;
}

Status MapOfMaps::sys_lookup(const void *key, void *value,
                             std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  MapRef inner = get_map(key);
  if (!inner)
    return Errno::NoEnt;
  std::uint32_t id = inner->id();
  std::memcpy(value, &id, 4);
  return {};
}

Status MapOfMaps::sys_update(const void *, const void *, std::uint64_t) {
  return Errno::Inval;
}

// fd_array_map_delete_elem: E2BIG out of range, ENOENT when empty; hashes
// as hash maps.
Status MapOfMaps::sys_delete(const void *key) {
  if (is_array()) {
    std::uint32_t index = read_index(key);
    if (index >= max_entries())
      return Errno::TooBig;
    return slots_->clear(index) ? Status{} : Status{Errno::NoEnt};
  }
  std::uint32_t hash = table_->hash(key);
  HashTable::Bucket &bucket = table_->bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *node = table_->find(key, hash);
  if (node == nullptr)
    return Errno::NoEnt;
  table_->unlink(bucket, node);
  table_->release();
  lock.unlock();
  table_->retire(node);
  return {};
}

Status MapOfMaps::get_next_key(const void *key, void *next_key) {
  if (is_array())
    return array_get_next_key(max_entries(), key, next_key);
  EpochDomain::ExternalGuard guard(epochs());
  return table_->get_next_key(key, next_key);
}

} // namespace bpfhost::maps
