// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH.
#pragma once

#include "maps/hash_table.hpp"
#include "maps/lru_list.hpp"
#include "maps/map.hpp"

#include <memory>

namespace bpfhost::maps {

class HashMap final : public Map {
public:
  // Attributes already validated; null without memory.
  static std::shared_ptr<HashMap> create(const MapAttr &attr,
                                         const MapEnvironment &env);

  void *lookup(const void *key, ExecutionSlot slot) override;
  Status update(const void *key, const void *value, std::uint64_t flags,
                ExecutionSlot slot) override;
  Status erase(const void *key, ExecutionSlot slot) override;

  Status sys_lookup(const void *key, void *value, std::uint64_t flags) override;
  Status sys_update(const void *key, const void *value,
                    std::uint64_t flags) override;
  Status sys_delete(const void *key) override;
  Status sys_lookup_and_delete(const void *key, void *value,
                               std::uint64_t flags) override;
  Status get_next_key(const void *key, void *next_key) override;

  HashMap(const MapAttr &attr, const MapEnvironment &env);

private:
  // How a new or existing element's value is written.
  struct ValueSource {
    const void *value;
    bool all_cpus;      // user view: one value per CPU
    ExecutionSlot slot; // program view: the slot written
  };

  Status upsert(const void *key, const ValueSource &source,
                std::uint64_t flags);
  Status upsert_lru(const void *key, const ValueSource &source,
                    std::uint64_t flags);
  Status remove(const void *key, void *value_out);
  void write_value(HashNode *node, const ValueSource &source);
  void read_value(HashNode *node, void *out);

  bool per_cpu_;
  std::uint32_t stride_; // bytes between per-CPU values
  HashTable table_;
  std::unique_ptr<LruList> lru_; // LRU maps only
};

} // namespace bpfhost::maps
