// Recency list of the LRU hash maps (see lru_list.hpp).
#include "maps/lru_list.hpp"

#include <algorithm>
#include <mutex>

namespace bpfhost::maps {

LruList::LruList(std::uint32_t max_entries, unsigned cpus)
    : free_(max_entries), batch_(std::clamp<std::uint32_t>(
                              max_entries / std::max(cpus, 1u) / 2, 1, 128)) {}

void LruList::push_head(HashNode *node) {
  node->lru_prev = nullptr;
  node->lru_next = head_;
  if (head_ != nullptr)
    head_->lru_prev = node;
  head_ = node;
  if (tail_ == nullptr)
    tail_ = node;
}

void LruList::remove(HashNode *node) {
  if (node->lru_prev != nullptr)
    node->lru_prev->lru_next = node->lru_next;
  else
    head_ = node->lru_next;
  if (node->lru_next != nullptr)
    node->lru_next->lru_prev = node->lru_prev;
  else
    tail_ = node->lru_prev;
  node->lru_prev = node->lru_next = nullptr;
}

void LruList::evict_batch(HashTable &table) {
  std::uint32_t evicted = 0;
  // A referenced element is rotated to the head with its bit cleared; after
  // a full rotation the oldest goes. The bound keeps lookups that keep
  // setting bits from holding the writer forever.
  std::uint64_t steps = 2 * std::uint64_t{table.size()} + batch_;
  for (HashNode *node = tail_; node != nullptr && evicted < batch_;
       node = tail_) {
    if (steps-- != 0 &&
        node->referenced.exchange(false, std::memory_order_relaxed)) {
      remove(node);
      push_head(node);
      continue;
    }
    remove(node);
    HashTable::Bucket &bucket = table.bucket(node->hash);
    {
      std::lock_guard<SpinLock> guard(bucket.lock);
      table.unlink(bucket, node);
    }
    table.release();
    table.retire(node);
    ++free_;
    ++evicted;
  }
}

bool LruList::take(HashTable &table) {
  if (free_ == 0)
    evict_batch(table);
  if (free_ == 0)
    return false;
  --free_;
  return true;
}

} // namespace bpfhost::maps
