// Recency list of the LRU hash maps. Internal to src/maps.
//
// Models what Linux's common LRU (kernel/bpf/bpf_lru_list.c) makes visible:
// the map holds max_entries elements; when an insertion finds no free element
// it evicts a batch of the least recently inserted ones, target_free =
// clamp(max_entries / possible_cpus / 2, 1, 128) (LOCAL_FREE_TARGET), and
// evicted room serves later insertions; a lookup from a program sets the
// element's reference bit, which buys it a second chance (moved to the head
// instead of evicted). Not modelled: per-CPU local free lists (Linux may evict
// on one CPU while another CPU's local list still has room) and the
// BPF_F_NO_COMMON_LRU per-CPU lists (accepted, served by the common list).
#pragma once

#include "maps/hash_table.hpp"

#include <cstdint>

namespace bpfhost::maps {

class LruList {
public:
  LruList(std::uint32_t max_entries, unsigned cpus);

  // The map-wide lock every LRU mutation holds (Linux: the LRU list lock).
  SpinLock &lock() { return lock_; }

  // With the lock held: takes one free element's room, evicting a batch
  // (through `table`) if none is free. False if nothing could be evicted.
  bool take(HashTable &table);
  // With the lock held: gives back one element's room.
  void give() { ++free_; }
  // With the lock held: puts `node` at the head (most recent).
  void push_head(HashNode *node);
  // With the lock held: removes `node` from the list.
  void remove(HashNode *node);

private:
  void evict_batch(HashTable &table);

  SpinLock lock_;
  HashNode *head_ = nullptr;
  HashNode *tail_ = nullptr;
  std::uint32_t free_;
  std::uint32_t batch_;
};

} // namespace bpfhost::maps
