// BPF_MAP_TYPE_ARRAY_OF_MAPS and HASH_OF_MAPS (kernel/bpf/map_in_map.c,
// arraymap.c, hashtab.c). Values are maps matching the inner map template
// (inner_map_matches()); a program's lookup returns the inner Map*, a bpf()
// lookup the inner map's id. bpf() updates pass a map descriptor, which the
// runtime resolves and hands to update_map(); replaced inner maps are
// released only after the programs that might use them have finished.
#pragma once

#include "maps/hash_table.hpp"
#include "maps/map.hpp"
#include "maps/slot_array.hpp"

#include <memory>

namespace bpfhost::maps {

class MapOfMaps final : public Map {
public:
  // Attributes already validated; null without memory.
  static std::shared_ptr<MapOfMaps> create(const MapAttr &attr,
                                           const MapEnvironment &env);

  // BPF_MAP_UPDATE_ELEM with an inner map: EINVAL if `inner` does not match
  // the template; arrays: flags must be BPF_ANY (EINVAL), index below
  // max_entries (E2BIG); hashes: flags and E2BIG as hash maps.
  Status update_map(const void *key, std::shared_ptr<Map> inner,
                    std::uint64_t flags);
  // The inner map at `key`, or null (user view).
  std::shared_ptr<Map> get_map(const void *key);

  // Program view: the inner Map* (as void*), or null.
  void *lookup(const void *key, ExecutionSlot slot) override;
  // bpf() lookup: the inner map's id (u32).
  Status sys_lookup(const void *key, void *value, std::uint64_t flags) override;
  // bpf() update with raw bytes: the value is a descriptor only the runtime
  // can resolve, so this is EINVAL; use update_map().
  Status sys_update(const void *key, const void *value,
                    std::uint64_t flags) override;
  Status sys_delete(const void *key) override;
  Status get_next_key(const void *key, void *next_key) override;

  MapOfMaps(const MapAttr &attr, const MapEnvironment &env);

private:
  bool is_array() const { return type() == MapType::ArrayOfMaps; }

  std::unique_ptr<SlotArray<std::shared_ptr<Map>>> slots_; // array of maps
  std::unique_ptr<HashTable> table_;                       // hash of maps
};

} // namespace bpfhost::maps
