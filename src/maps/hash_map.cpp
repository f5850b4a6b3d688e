// Hash maps (see hash_map.hpp). Semantics follow kernel/bpf/hashtab.c:
// flags are checked after the element is looked up under the bucket lock; a
// full map refuses new keys with E2BIG but still replaces existing ones;
// per-CPU elements are updated in place, other elements replaced by a new
// node; BPF_F_LOCK needs a bpf_spin_lock in the value, which maps without BTF
// never have, so it is EINVAL.
#include "maps/hash_map.hpp"

#include <cstring>
#include <mutex>

namespace bpfhost::maps {
namespace {

constexpr std::uint32_t round8(std::uint32_t n) { return (n + 7) & ~7u; }

bool is_per_cpu(MapType type) {
  return type == MapType::PercpuHash || type == MapType::LruPercpuHash;
}

bool is_lru(MapType type) {
  return type == MapType::LruHash || type == MapType::LruPercpuHash;
}

// htab_map_update_elem's flag check; BPF_F_LOCK is refused (no spin lock).
bool valid_update_flags(std::uint64_t flags) { return flags <= kBpfExist; }

} // namespace

HashMap::HashMap(const MapAttr &attr, const MapEnvironment &env)
    : Map(attr, env.epochs), per_cpu_(is_per_cpu(attr.type)),
      stride_(round8(attr.value_size)),
      table_(attr.key_size,
             per_cpu_ ? stride_ * env.epochs->slot_count() : attr.value_size,
             attr.max_entries, (attr.map_flags & kBpfFZeroSeed) != 0,
             *env.epochs),
      lru_(is_lru(attr.type) ? std::make_unique<LruList>(
                                   attr.max_entries, env.epochs->slot_count())
                             : nullptr) {}

std::shared_ptr<HashMap> HashMap::create(const MapAttr &attr,
                                         const MapEnvironment &env) {
  return std::make_shared<HashMap>(attr, env);
}

void HashMap::write_value(HashNode *node, const ValueSource &source) {
  unsigned char *dst = table_.value_of(node);
  if (!per_cpu_) {
    std::memcpy(dst, source.value, value_size());
    return;
  }
  if (source.all_cpus) {
    const auto *src = static_cast<const unsigned char *>(source.value);
    for (unsigned cpu = 0; cpu < cpu_count(); ++cpu)
      std::memcpy(dst + cpu * stride_, src + cpu * stride_, value_size());
    return;
  }
  // A new element's other CPUs read zero (allocate() zeroed them), as
  // Linux's pcpu_init_value does for updates from programs.
  std::memcpy(dst + source.slot.index * stride_, source.value, value_size());
}

void HashMap::read_value(HashNode *node, void *out) {
  std::memcpy(out, table_.value_of(node), user_value_size());
}

Status HashMap::upsert(const void *key, const ValueSource &source,
                       std::uint64_t flags) {
  if (!valid_update_flags(flags))
    return Errno::Inval;
  if (lru_)
    return upsert_lru(key, source, flags);
  std::uint32_t hash = table_.hash(key);
  HashTable::Bucket &bucket = table_.bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *old = table_.find(key, hash);
  if (old != nullptr && flags == kBpfNoexist)
    return Errno::Exist;
  if (old == nullptr && flags == kBpfExist)
    return Errno::NoEnt;
  if (old != nullptr && per_cpu_) {
    write_value(old, source);
    return {};
  }
  if (old == nullptr && !table_.reserve())
    return Errno::TooBig;
  HashNode *node = table_.allocate(key, hash);
  if (node == nullptr) {
    if (old == nullptr)
      table_.release();
    return Errno::NoMem;
  }
  write_value(node, source);
  table_.link(bucket, node, old);
  lock.unlock();
  if (old != nullptr)
    table_.retire(old);
  return {};
}

// htab_lru_map_update_elem: room for a new element is taken first (evicting
// if needed) even when the key exists, except for per-CPU maps with
// BPF_EXIST, which update in place.
Status HashMap::upsert_lru(const void *key, const ValueSource &source,
                           std::uint64_t flags) {
  std::lock_guard<SpinLock> lru_lock(lru_->lock());
  bool need_room = !(per_cpu_ && flags == kBpfExist);
  if (need_room && !lru_->take(table_))
    return Errno::NoMem;
  auto give_back = [&](Status status) {
    if (need_room)
      lru_->give();
    return status;
  };
  std::uint32_t hash = table_.hash(key);
  HashTable::Bucket &bucket = table_.bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *old = table_.find(key, hash);
  if (old != nullptr && flags == kBpfNoexist)
    return give_back(Errno::Exist);
  if (old == nullptr && flags == kBpfExist)
    return give_back(Errno::NoEnt);
  if (old != nullptr && per_cpu_) {
    write_value(old, source);
    old->referenced.store(true, std::memory_order_relaxed);
    return give_back({});
  }
  if (old == nullptr && !table_.reserve())
    return give_back(Errno::TooBig);
  HashNode *node = table_.allocate(key, hash);
  if (node == nullptr) {
    if (old == nullptr)
      table_.release();
    return give_back(Errno::NoMem);
  }
  write_value(node, source);
  table_.link(bucket, node, old);
  lock.unlock();
  lru_->push_head(node);
  if (old != nullptr) {
    lru_->remove(old);
    lru_->give();
    table_.retire(old);
  }
  return {};
}

Status HashMap::remove(const void *key, void *value_out) {
  std::unique_lock<SpinLock> lru_lock;
  if (lru_)
    lru_lock = std::unique_lock<SpinLock>(lru_->lock());
  std::uint32_t hash = table_.hash(key);
  HashTable::Bucket &bucket = table_.bucket(hash);
  std::unique_lock<SpinLock> lock(bucket.lock);
  HashNode *node = table_.find(key, hash);
  if (node == nullptr)
    return Errno::NoEnt;
  if (value_out != nullptr)
    read_value(node, value_out);
  table_.unlink(bucket, node);
  table_.release();
  lock.unlock();
  if (lru_) {
    lru_->remove(node);
    lru_->give();
  }
  table_.retire(node);
  return {};
}

void *HashMap::lookup(const void *key, ExecutionSlot slot) {
  HashNode *node = table_.find(key);
  if (node == nullptr)
    return nullptr;
  if (lru_ && !node->referenced.load(std::memory_order_relaxed))
    node->referenced.store(true, std::memory_order_relaxed);
  unsigned char *value = table_.value_of(node);
  return per_cpu_ ? value + slot.index * stride_ : value;
}

Status HashMap::update(const void *key, const void *value, std::uint64_t flags,
                       ExecutionSlot slot) {
  return upsert(key, ValueSource{value, false, slot}, flags);
}

Status HashMap::erase(const void *key, ExecutionSlot) {
  return remove(key, nullptr);
}

// Lookups from bpf() do not set the LRU reference bit (Linux's
// htab_lru_map_lookup_elem_sys).
Status HashMap::sys_lookup(const void *key, void *value, std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  EpochDomain::ExternalGuard guard(epochs());
  HashNode *node = table_.find(key);
  if (node == nullptr)
    return Errno::NoEnt;
  read_value(node, value);
  return {};
}

Status HashMap::sys_update(const void *key, const void *value,
                           std::uint64_t flags) {
  return upsert(key, ValueSource{value, true, {}}, flags);
}

Status HashMap::sys_delete(const void *key) { return remove(key, nullptr); }

Status HashMap::sys_lookup_and_delete(const void *key, void *value,
                                      std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  return remove(key, value);
}

Status HashMap::get_next_key(const void *key, void *next_key) {
  EpochDomain::ExternalGuard guard(epochs());
  return table_.get_next_key(key, next_key);
}

} // namespace bpfhost::maps
