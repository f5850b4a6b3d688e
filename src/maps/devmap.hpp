// BPF_MAP_TYPE_DEVMAP and DEVMAP_HASH (kernel/bpf/devmap.c): interfaces for
// bpf_redirect_map, as struct bpf_devmap_val { u32 ifindex; u32 prog fd/id; }
// (value_size 4 or 8). An ifindex must exist (MapEnvironment::
// interface_exists, else EINVAL). Partial: a program attached to an entry
// (prog fd > 0) is refused with EOPNOTSUPP.
#pragma once

#include "maps/hash_table.hpp"
#include "maps/map.hpp"
#include "maps/slot_array.hpp"

#include <array>
#include <functional>
#include <memory>

namespace bpfhost::maps {

class DevMap final : public Map {
public:
  // Attributes already validated.
  static std::shared_ptr<DevMap> create(const MapAttr &attr,
                                        const MapEnvironment &env);

  // The ifindex for `key` (what bpf_redirect_map redirects to), 0 if none.
  std::uint32_t ifindex(std::uint32_t key) const;

  // Program view: pointer to the entry's struct bpf_devmap_val (read-only).
  void *lookup(const void *key, ExecutionSlot slot) override;

  Status sys_lookup(const void *key, void *value, std::uint64_t flags) override;
  Status sys_update(const void *key, const void *value,
                    std::uint64_t flags) override;
  Status sys_delete(const void *key) override;
  Status get_next_key(const void *key, void *next_key) override;

  DevMap(const MapAttr &attr, const MapEnvironment &env);

private:
  using Value = std::array<std::uint32_t, 2>; // ifindex, program id

  const Value *find(std::uint32_t key) const;

  std::function<bool(std::uint32_t)> interface_exists_;
  std::unique_ptr<SlotArray<Value>> slots_; // devmap
  std::unique_ptr<HashTable> table_;        // devmap hash
};

} // namespace bpfhost::maps
