// BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c): longest-prefix match over
// keys struct bpf_lpm_trie_key { u32 prefixlen; u8 data[]; } (data in network
// order, compared bit by bit from the most significant bit). A binary
// Patricia trie with intermediate nodes, built and walked exactly as Linux's,
// so get_next_key visits keys in the same post order. Lookups take no lock;
// updates hold one map-wide lock (as Linux's trie->lock) and retire replaced
// nodes to the epochs.
#pragma once

#include "maps/map.hpp"
#include "maps/spin_lock.hpp"

#include <atomic>
#include <memory>

namespace bpfhost::maps {

class LpmTrie final : public Map {
public:
  // Attributes already validated.
  static std::shared_ptr<LpmTrie> create(const MapAttr &attr,
                                         const MapEnvironment &env);

  void *lookup(const void *key, ExecutionSlot slot) override;
  Status update(const void *key, const void *value, std::uint64_t flags,
                ExecutionSlot slot) override;
  Status erase(const void *key, ExecutionSlot slot) override;

  Status sys_lookup(const void *key, void *value, std::uint64_t flags) override;
  Status sys_update(const void *key, const void *value,
                    std::uint64_t flags) override;
  Status sys_delete(const void *key) override;
  Status get_next_key(const void *key, void *next_key) override;

  LpmTrie(const MapAttr &attr, const MapEnvironment &env);
  ~LpmTrie() override;

  struct Node;

private:
  Node *allocate(const void *key, const void *value, bool intermediate);
  void *find(const void *key);
  Status insert(const void *key, const void *value, std::uint64_t flags);
  Status remove(const void *key);
  Status check_add(std::uint64_t flags);
  void retire(Node *node);

  std::uint32_t data_size_;
  std::uint32_t max_prefixlen_;
  std::uint32_t value_offset_;
  SpinLock lock_;
  std::atomic<Node *> root_{nullptr};
  std::uint32_t n_entries_ = 0;
};

} // namespace bpfhost::maps
