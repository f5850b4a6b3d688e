// The shared hash table (see hash_table.hpp).
#include "maps/hash_table.hpp"

#include <cstring>
#include <new>
#include <random>

namespace bpfhost::maps {
namespace {

constexpr std::uint32_t round8(std::uint32_t n) { return (n + 7) & ~7u; }

std::uint64_t load64(const unsigned char *p, std::size_t n) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

// MurmurHash3's 64-bit finaliser.
std::uint64_t fmix64(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

void free_node(Retired *item) {
  auto *node = reinterpret_cast<HashNode *>(item);
  if (node->destroy_value != nullptr)
    node->destroy_value(reinterpret_cast<unsigned char *>(node) +
                        node->value_offset);
  node->~HashNode();
  ::operator delete(node);
}

std::uint32_t bucket_count_for(std::uint32_t max_entries) {
  std::uint32_t n = 1;
  while (n < max_entries && n < (1u << 31))
    n <<= 1;
  return n;
}

} // namespace

HashTable::HashTable(std::uint32_t key_size, std::uint32_t value_bytes,
                     std::uint32_t max_entries, bool zero_seed,
                     EpochDomain &epochs, void (*destroy_value)(void *))
    : key_size_(key_size), value_bytes_(value_bytes),
      value_offset_(static_cast<std::uint32_t>(sizeof(HashNode)) +
                    round8(key_size)),
      max_entries_(max_entries),
      seed_(zero_seed ? 0
                      : (std::uint64_t{std::random_device{}()} << 32) ^
                            std::random_device{}()),
      epochs_(epochs), destroy_value_(destroy_value),
      bucket_count_(bucket_count_for(max_entries)),
      buckets_(new Bucket[bucket_count_]) {}

HashTable::~HashTable() {
  for (std::uint32_t i = 0; i < bucket_count_; ++i) {
    HashNode *node = buckets_[i].head.load(std::memory_order_relaxed);
    while (node != nullptr) {
      HashNode *next = node->next.load(std::memory_order_relaxed);
      free_now(node);
      node = next;
    }
  }
}

std::uint32_t HashTable::hash(const void *key) const {
  const auto *p = static_cast<const unsigned char *>(key);
  // Fixed-size loads for the common key sizes (u32 indexes, u64 ids, IPv4
  // pairs) so the compiler needs no variable-length copy.
  if (key_size_ == 4)
    return static_cast<std::uint32_t>(fmix64(seed_ ^ load64(p, 4)));
  if (key_size_ == 8)
    return static_cast<std::uint32_t>(
        fmix64(seed_ ^ load64(p, 8) ^ 0x9e3779b97f4a7c15ull));
  std::uint64_t h = seed_ ^ (key_size_ * 0x9e3779b97f4a7c15ull);
  std::size_t n = key_size_;
  for (; n >= 8; n -= 8, p += 8)
    h = (h ^ load64(p, 8)) * 0x9e3779b97f4a7c15ull + (h >> 29);
  if (n != 0)
    h = (h ^ load64(p, n)) * 0x9e3779b97f4a7c15ull;
  return static_cast<std::uint32_t>(fmix64(h));
}

namespace {

// Key comparison with fixed-size compares for the common sizes.
bool same_key(const unsigned char *a, const void *b, std::uint32_t size) {
  if (size == 4)
    return load64(a, 4) == load64(static_cast<const unsigned char *>(b), 4);
  if (size == 8)
    return load64(a, 8) == load64(static_cast<const unsigned char *>(b), 8);
  return std::memcmp(a, b, size) == 0;
}

} // namespace

HashNode *HashTable::find(const void *key, std::uint32_t hash) const {
  HashNode *node = bucket(hash).head.load(std::memory_order_acquire);
  while (node != nullptr) {
    if (node->hash == hash && same_key(key_of(node), key, key_size_))
      return node;
    node = node->next.load(std::memory_order_acquire);
  }
  return nullptr;
}

HashNode *HashTable::allocate(const void *key, std::uint32_t hash) {
  std::size_t size = value_offset_ + std::size_t{value_bytes_};
  void *memory = ::operator new(size, std::nothrow);
  if (memory == nullptr)
    return nullptr;
  std::memset(memory, 0, size);
  auto *node = new (memory) HashNode;
  node->retired.reclaim = &free_node;
  node->hash = hash;
  node->destroy_value = destroy_value_;
  node->value_offset = value_offset_;
  std::memcpy(key_of(node), key, key_size_);
  return node;
}

void HashTable::free_now(HashNode *node) { free_node(&node->retired); }

void HashTable::link(Bucket &bucket, HashNode *node, HashNode *replaced) {
  node->next.store(bucket.head.load(std::memory_order_relaxed),
                   std::memory_order_relaxed);
  bucket.head.store(node, std::memory_order_release);
  if (replaced != nullptr)
    unlink(bucket, replaced);
}

void HashTable::unlink(Bucket &bucket, HashNode *node) {
  std::atomic<HashNode *> *link = &bucket.head;
  for (HashNode *cur = link->load(std::memory_order_relaxed); cur != nullptr;
       cur = link->load(std::memory_order_relaxed)) {
    if (cur == node) {
      // The unlinked node keeps its next pointer: readers standing on it
      // still reach the rest of the chain.
      link->store(node->next.load(std::memory_order_relaxed),
                  std::memory_order_release);
      return;
    }
    link = &cur->next;
  }
}

bool HashTable::reserve() {
  if (count_.fetch_add(1, std::memory_order_relaxed) >= max_entries_) {
    count_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

Status HashTable::get_next_key(const void *key, void *next_key) const {
  std::uint32_t index = 0;
  if (key != nullptr) {
    std::uint32_t h = hash(key);
    if (HashNode *node = find(key, h); node != nullptr) {
      if (HashNode *next = node->next.load(std::memory_order_acquire)) {
        std::memcpy(next_key, key_of(next), key_size_);
        return {};
      }
      index = (h & (bucket_count_ - 1)) + 1;
    }
  }
  for (; index < bucket_count_; ++index) {
    if (HashNode *node = buckets_[index].head.load(std::memory_order_acquire)) {
      std::memcpy(next_key, key_of(node), key_size_);
      return {};
    }
  }
  return Errno::NoEnt;
}

} // namespace bpfhost::maps
