// The map interface: one in-memory map object with Linux semantics. Two views
// of each map, as in the kernel:
//  * the program view (what helpers call): lookup() returns a pointer into
//    the map without taking any lock; the caller is inside an epoch on its
//    ExecutionSlot (EpochDomain::enter), and the pointer stays valid until it
//    exits. Per-CPU maps give the slot's own value. Update and delete may take
//    a per-bucket lock.
//  * the user view (what bpf() commands do): values are copied in and out,
//    per-CPU values for all CPUs at once (round_up(value_size, 8) bytes per
//    CPU). Callable from any thread, not from inside an epoch.
// Descriptors and ids belong to the runtime; a map only stores the id it is
// given so that maps of maps can report it.
#pragma once

#include "maps/epoch.hpp"
#include "maps/map_types.hpp"
#include "maps/status.hpp"
#include "support/result.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace bpfhost::maps {

class Map;

// What the runtime supplies to every map it creates.
struct MapEnvironment {
  // The readers' epochs; its slot_count() is the number of per-CPU values.
  // Required, and must outlive every map created with it (the runtime owns
  // both; maps do not keep it alive, since retired items that own maps would
  // then keep their own domain alive).
  EpochDomain *epochs = nullptr;
  // Devmaps accept an ifindex only if this returns true for it (Linux:
  // dev_get_by_index, else EINVAL). Default (empty): every ifindex exists.
  std::function<bool(std::uint32_t ifindex)> interface_exists;
};

// Creation attributes, as in union bpf_attr for BPF_MAP_CREATE.
struct MapAttr {
  MapType type = MapType::Unspec;
  // Key size in bytes.
  std::uint32_t key_size = 0;
  // Value size in bytes (one CPU's value for per-CPU maps).
  std::uint32_t value_size = 0;
  std::uint32_t max_entries = 0;
  // BPF_F_* creation flags (kBpfF...).
  std::uint32_t map_flags = 0;
  // Array/hash of maps: the inner map template (inner_map_fd). Default null.
  std::shared_ptr<Map> inner_map;
  // The map's name (at most 15 characters in Linux; not checked here).
  std::string name;
};

// A map. Thread-safe as described at the top of this file.
class Map {
public:
  virtual ~Map() = default;
  Map(const Map &) = delete;
  Map &operator=(const Map &) = delete;

  const MapAttr &attr() const { return attr_; }
  MapType type() const { return attr_.type; }
  std::uint32_t key_size() const { return attr_.key_size; }
  std::uint32_t value_size() const { return attr_.value_size; }
  std::uint32_t max_entries() const { return attr_.max_entries; }
  // Bytes of a value in the user view: value_size, or round_up(value_size, 8)
  // times the number of CPUs for per-CPU maps.
  std::uint32_t user_value_size() const { return user_value_size_; }
  // Number of per-CPU values (the domain's slot count).
  unsigned cpu_count() const { return epochs_->slot_count(); }
  EpochDomain &epochs() const { return *epochs_; }

  // The id the runtime gave the map (0 until set); reported by lookups in
  // maps of maps.
  std::uint32_t id() const { return id_.load(std::memory_order_relaxed); }
  void set_id(std::uint32_t id) { id_.store(id, std::memory_order_relaxed); }

  // --- program view (bpf_map_*_elem helpers); caller inside an epoch.
  // The value for `key` (this slot's for per-CPU maps), or null. Maps of maps
  // return the inner Map*.
  virtual void *lookup(const void *key, ExecutionSlot slot);
  // bpf_map_update_elem: per-CPU maps set this slot's value (a new element's
  // other values are zero).
  virtual Status update(const void *key, const void *value, std::uint64_t flags,
                        ExecutionSlot slot);
  // bpf_map_delete_elem.
  virtual Status erase(const void *key, ExecutionSlot slot);
  // bpf_map_push_elem / pop_elem / peek_elem (queue and stack).
  virtual Status push(const void *value, std::uint64_t flags);
  virtual Status pop(void *value);
  virtual Status peek(void *value);

  // --- user view (bpf() commands).
  // BPF_MAP_LOOKUP_ELEM: copies user_value_size() bytes into `value`.
  virtual Status sys_lookup(const void *key, void *value, std::uint64_t flags);
  // BPF_MAP_UPDATE_ELEM with user_value_size() bytes from `value`.
  virtual Status sys_update(const void *key, const void *value,
                            std::uint64_t flags);
  // BPF_MAP_DELETE_ELEM.
  virtual Status sys_delete(const void *key);
  // BPF_MAP_LOOKUP_AND_DELETE_ELEM.
  virtual Status sys_lookup_and_delete(const void *key, void *value,
                                       std::uint64_t flags);
  // BPF_MAP_GET_NEXT_KEY: the key after `key`; with a null or missing key the
  // first key. ENOENT after the last.
  virtual Status get_next_key(const void *key, void *next_key);

protected:
  Map(const MapAttr &attr, EpochDomain *epochs);

private:
  MapAttr attr_;
  std::uint32_t user_value_size_;
  EpochDomain *epochs_;
  std::atomic<std::uint32_t> id_{0};
};

// Creates a map, validating the attributes as Linux's map_alloc_check does
// for the type: InvalidInput (EINVAL) for bad sizes or flags, OutOfRange
// (E2BIG) for values too large, NotSupported (ENOTSUPP) for combinations
// Linux refuses as unsupported and for types bpfhost does not implement. The
// error's message carries the Linux errno name; creation_errno() recovers it.
Result<std::shared_ptr<Map>> create_map(const MapAttr &attr,
                                        const MapEnvironment &env);

// The Linux errno that BPF_MAP_CREATE returns for an error of create_map().
Errno creation_errno(const Error &error);

} // namespace bpfhost::maps
