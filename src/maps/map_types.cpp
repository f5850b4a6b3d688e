// The map type table (uapi enum bpf_map_type, libbpf's map_type_name[]).
#include "maps/map_types.hpp"

#include <array>
#include <string>

namespace bpfhost::maps {
namespace {

constexpr std::array<MapTypeInfo, 34> kTable{{
    {MapType::Unspec, "unspec", false, false},
    {MapType::Hash, "hash", true, false},
    {MapType::Array, "array", true, false},
    {MapType::ProgArray, "prog_array", true, false},
    {MapType::PerfEventArray, "perf_event_array", true, false},
    {MapType::PercpuHash, "percpu_hash", true, true},
    {MapType::PercpuArray, "percpu_array", true, true},
    {MapType::StackTrace, "stack_trace", false, false},
    {MapType::CgroupArray, "cgroup_array", false, false},
    {MapType::LruHash, "lru_hash", true, false},
    {MapType::LruPercpuHash, "lru_percpu_hash", true, true},
    {MapType::LpmTrie, "lpm_trie", true, false},
    {MapType::ArrayOfMaps, "array_of_maps", true, false},
    {MapType::HashOfMaps, "hash_of_maps", true, false},
    {MapType::Devmap, "devmap", true, false},
    {MapType::Sockmap, "sockmap", false, false},
    {MapType::Cpumap, "cpumap", false, false},
    {MapType::Xskmap, "xskmap", false, false},
    {MapType::Sockhash, "sockhash", false, false},
    {MapType::CgroupStorage, "cgroup_storage", false, false},
    {MapType::ReuseportSockarray, "reuseport_sockarray", false, false},
    {MapType::PercpuCgroupStorage, "percpu_cgroup_storage", false, true},
    {MapType::Queue, "queue", true, false},
    {MapType::Stack, "stack", true, false},
    {MapType::SkStorage, "sk_storage", false, false},
    {MapType::DevmapHash, "devmap_hash", true, false},
    {MapType::StructOps, "struct_ops", false, false},
    {MapType::Ringbuf, "ringbuf", true, false},
    {MapType::InodeStorage, "inode_storage", false, false},
    {MapType::TaskStorage, "task_storage", false, false},
    {MapType::BloomFilter, "bloom_filter", false, false},
    {MapType::UserRingbuf, "user_ringbuf", false, false},
    {MapType::CgrpStorage, "cgrp_storage", false, false},
    {MapType::Arena, "arena", false, false},
}};

// Row i must describe id i: lookups index the table.
constexpr bool rows_in_id_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i)
    if (static_cast<std::size_t>(kTable[i].type) != i)
      return false;
  return true;
}
static_assert(rows_in_id_order());

} // namespace

std::span<const MapTypeInfo> map_type_table() { return kTable; }

Result<MapTypeInfo> map_type_info(MapType type) {
  auto id = static_cast<std::uint32_t>(type);
  if (id >= kTable.size())
    return make_error(ErrorCode::NotFound,
                      "unknown map type " + std::to_string(id));
  return kTable[id];
}

Result<MapType> map_type_from_name(std::string_view name) {
  for (const MapTypeInfo &row : kTable)
    if (row.name == name)
      return row.type;
  return make_error(ErrorCode::NotFound,
                    "unknown map type \"" + std::string(name) + "\"");
}

} // namespace bpfhost::maps
