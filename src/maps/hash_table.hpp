// The hash table shared by the hash-based maps (hash, per-CPU hash, LRU
// hashes, hash of maps, devmap hash). Internal to src/maps.
//
// Buckets are singly linked lists with atomic links: lookups walk them
// without locks (inside an epoch); writers hold the bucket's lock, publish a
// fully built node with a release store, and retire unlinked nodes to the
// EpochDomain. A replaced element is a new node linked at the head before the
// old one is unlinked (as Linux's htab does), so a concurrent lookup sees the
// old or the new value, never a mix.
#pragma once

#include "maps/epoch.hpp"
#include "maps/spin_lock.hpp"
#include "maps/status.hpp"

#include <atomic>
#include <cstdint>
#include <memory>

namespace bpfhost::maps {

// One element; the key (padded to 8 bytes) and the value area follow it.
struct HashNode {
  Retired retired; // first: the EpochDomain frees the node through it
  std::atomic<HashNode *> next{nullptr};
  std::uint32_t hash = 0;
  // LRU maps: set by lookups, cleared by the LRU (second chance).
  std::atomic<bool> referenced{false};
  // LRU maps: list links, protected by the map's lock.
  HashNode *lru_prev = nullptr;
  HashNode *lru_next = nullptr;
  // Releases what the value holds (maps of maps); null for plain bytes.
  void (*destroy_value)(void *value) = nullptr;
  std::uint32_t value_offset = 0;
};

class HashTable {
public:
  struct Bucket {
    std::atomic<HashNode *> head{nullptr};
    SpinLock lock;
  };

  // A table for up to `max_entries` elements with `value_bytes` of value
  // storage each; buckets: max_entries rounded up to a power of two (as
  // Linux). `destroy_value` (may be null) runs when a node is freed.
  HashTable(std::uint32_t key_size, std::uint32_t value_bytes,
            std::uint32_t max_entries, bool zero_seed, EpochDomain &epochs,
            void (*destroy_value)(void *) = nullptr);
  ~HashTable();
  HashTable(const HashTable &) = delete;
  HashTable &operator=(const HashTable &) = delete;

  std::uint32_t hash(const void *key) const;
  Bucket &bucket(std::uint32_t hash) const {
    return buckets_[hash & (bucket_count_ - 1)];
  }

  // The node for `key`, or null; lock-free, call inside an epoch (or under
  // the bucket's lock).
  HashNode *find(const void *key, std::uint32_t hash) const;
  HashNode *find(const void *key) const { return find(key, hash(key)); }

  unsigned char *key_of(HashNode *node) const {
    return reinterpret_cast<unsigned char *>(node) + sizeof(HashNode);
  }
  unsigned char *value_of(HashNode *node) const {
    return reinterpret_cast<unsigned char *>(node) + value_offset_;
  }

  // A new unlinked node holding `key` and a zeroed value; null without memory.
  HashNode *allocate(const void *key, std::uint32_t hash);
  // Frees a node that no reader ever saw.
  void free_now(HashNode *node);
  // Hands an unlinked node to the epochs.
  void retire(HashNode *node) { epochs_.retire(&node->retired); }

  // With `bucket`'s lock held: links `node` at the head, and unlinks
  // `replaced` (if not null) after it.
  void link(Bucket &bucket, HashNode *node, HashNode *replaced);
  // With `bucket`'s lock held: unlinks `node` (which must be in the bucket).
  void unlink(Bucket &bucket, HashNode *node);

  // Reserves room for one more element; false when max_entries are in use.
  bool reserve();
  // Gives back a reservation (element deleted or insertion abandoned).
  void release() { count_.fetch_sub(1, std::memory_order_relaxed); }
  std::uint32_t size() const { return count_.load(std::memory_order_relaxed); }

  // Linux's htab_map_get_next_key: the node after `key` in its bucket, else
  // the first of the following buckets; a null or missing key starts at
  // bucket 0. Copies the key; ENOENT after the last. Call inside an epoch.
  Status get_next_key(const void *key, void *next_key) const;

  std::uint32_t key_size() const { return key_size_; }
  std::uint32_t value_bytes() const { return value_bytes_; }

private:
  std::uint32_t key_size_;
  std::uint32_t value_bytes_;
  std::uint32_t value_offset_;
  std::uint32_t max_entries_;
  std::uint64_t seed_;
  EpochDomain &epochs_;
  void (*destroy_value_)(void *);
  std::uint32_t bucket_count_;
  std::unique_ptr<Bucket[]> buckets_;
  std::atomic<std::uint32_t> count_{0};
};

} // namespace bpfhost::maps
