// BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY: max_entries preallocated, zeroed
// values of round_up(value_size, 8) bytes, indexed by a u32 key; elements
// always exist, so delete is EINVAL.
#pragma once

#include "maps/map.hpp"

#include <memory>

namespace bpfhost::maps {

class ArrayMap final : public Map {
public:
  // Attributes already validated; null without memory.
  static std::shared_ptr<ArrayMap> create(const MapAttr &attr,
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

  // The values of CPU `cpu` (of the only copy for plain arrays) as one block
  // of max_entries * round_up(value_size, 8) bytes: global data sections
  // (.data, .bss) are such arrays, and loads use direct value addresses.
  unsigned char *values(unsigned cpu = 0) { return data_.get() + cpu * block_; }

  ArrayMap(const MapAttr &attr, const MapEnvironment &env,
           std::unique_ptr<unsigned char[]> data, std::size_t block);

private:
  Status check_update(const void *key, std::uint64_t flags,
                      std::uint32_t &index) const;

  bool per_cpu_;
  std::uint32_t stride_;
  std::size_t block_; // bytes per CPU
  std::unique_ptr<unsigned char[]> data_;
};

// Linux's get_next_key for index-keyed maps (array, prog array, devmap, ...):
// a null key or one out of range gives 0; the last index gives ENOENT.
Status array_get_next_key(std::uint32_t max_entries, const void *key,
                          void *next_key);

} // namespace bpfhost::maps
