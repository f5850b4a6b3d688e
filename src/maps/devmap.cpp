// Devmaps (see devmap.hpp): dev_map_update_elem, dev_map_hash_update_elem,
// dev_map_delete_elem and __dev_map_hash_delete_elem.
#include "maps/devmap.hpp"

#include "maps/array_map.hpp"

#include <cstring>
#include <mutex>

namespace bpfhost::maps {
namespace {

std::uint32_t read_u32(const void *p) {
  std::uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return v;
}

} // namespace

DevMap::DevMap(const MapAttr &attr, const MapEnvironment &env)
    : Map(attr, env.epochs), interface_exists_(env.interface_exists) {
  if (attr.type == MapType::Devmap)
    slots_ = std::make_unique<SlotArray<Value>>(attr.max_entries, *env.epochs);
  else
    table_ = std::make_unique<HashTable>(
        4, static_cast<std::uint32_t>(sizeof(Value)), attr.max_entries, false,
        *env.epochs);
}

std::shared_ptr<DevMap> DevMap::create(const MapAttr &attr,
                                       const MapEnvironment &env) {
  return std::make_shared<DevMap>(attr, env);
}

const DevMap::Value *DevMap::find(std::uint32_t key) const {
  if (slots_)
    return key < slots_->size() ? slots_->get(key) : nullptr;
  HashNode *node = table_->find(&key);
  return node != nullptr
             ? reinterpret_cast<const Value *>(table_->value_of(node))
             : nullptr;
}

std::uint32_t DevMap::ifindex(std::uint32_t key) const {
  const Value *value = find(key);
  return value != nullptr ? (*value)[0] : 0;
}

void *DevMap::lookup(const void *key, ExecutionSlot) {
  return const_cast<Value *>(find(read_u32(key)));
}

Status DevMap::sys_lookup(const void *key, void *value, std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  EpochDomain::ExternalGuard guard(epochs());
  const Value *found = find(read_u32(key));
  if (found == nullptr)
    return Errno::NoEnt;
  std::memcpy(value, found->data(), value_size());
  return {};
}

Status DevMap::sys_update(const void *key, const void *value,
                          std::uint64_t flags) {
  if (flags > kBpfExist)
    return Errno::Inval;
  Value entry{read_u32(value), 0};
  std::int32_t prog_fd = 0;
  if (value_size() == 8)
    std::memcpy(&prog_fd, static_cast<const unsigned char *>(value) + 4, 4);
  std::uint32_t index = read_u32(key);
  if (slots_) {
    if (index >= max_entries())
      return Errno::TooBig;
    if (flags == kBpfNoexist)
      return Errno::Exist;
    if (entry[0] == 0) { // ifindex 0 empties the slot
      if (prog_fd > 0)
        return Errno::Inval;
      slots_->clear(index);
      return {};
    }
  }
  if (entry[0] == 0 || (interface_exists_ && !interface_exists_(entry[0])))
    return Errno::Inval;
  if (prog_fd > 0)
    return Errno::OpNotSupp;
  if (slots_) {
    slots_->set(index, entry);
    return {};
  }
  // dev_map_hash_update_elem checks BPF_NOEXIST but not BPF_EXIST.
  std::uint32_t hash = table_->hash(&index);
  HashTable::Bucket &bucket = table_->bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *old = table_->find(&index, hash);
  if (old != nullptr && flags == kBpfNoexist)
    return Errno::Exist;
  if (old == nullptr && !table_->reserve())
    return Errno::TooBig;
  HashNode *node = table_->allocate(&index, hash);
  if (node == nullptr) {
    if (old == nullptr)
      table_->release();
    return Errno::NoMem;
  }
  std::memcpy(table_->value_of(node), entry.data(), sizeof entry);
  table_->link(bucket, node, old);
  lock.unlock();
  if (old != nullptr)
    table_->retire(old);
  return {};
}

// Devmap: EINVAL out of range, emptying an empty slot succeeds. Devmap
// hash: ENOENT when missing.
Status DevMap::sys_delete(const void *key) {
  std::uint32_t index = read_u32(key);
  if (slots_) {
    if (index >= max_entries())
      return Errno::Inval;
    slots_->clear(index);
    return {};
  }
  std::uint32_t hash = table_->hash(&index);
  HashTable::Bucket &bucket = table_->bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *node = table_->find(&index, hash);
  if (node == nullptr)
    return Errno::NoEnt;
  table_->unlink(bucket, node);
  table_->release();
  lock.unlock();
  table_->retire(node);
  return {};
}

Status DevMap::get_next_key(const void *key, void *next_key) {
  if (slots_)
    return array_get_next_key(max_entries(), key, next_key);
  EpochDomain::ExternalGuard guard(epochs());
  return table_->get_next_key(key, next_key);
}

} // namespace bpfhost::maps
