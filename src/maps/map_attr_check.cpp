// Creation checks per map type, in the order of the kernel's alloc_check
// functions (kernel/bpf/hashtab.c, arraymap.c, queue_stack_maps.c,
// lpm_trie.c, ringbuf.c, devmap.c, map_in_map.c).
#include "maps/map_attr_check.hpp"

#include <string>

namespace bpfhost::maps {
namespace {

constexpr std::uint32_t kAccessMask =
    kBpfFRdonly | kBpfFWronly | kBpfFRdonlyProg | kBpfFWronlyProg;
constexpr std::uint32_t kHashFlags = kBpfFNoPrealloc | kBpfFNoCommonLru |
                                     kBpfFNumaNode | kAccessMask |
                                     kBpfFZeroSeed;
constexpr std::uint32_t kArrayFlags = kBpfFNumaNode | kBpfFMmapable |
                                      kAccessMask | kBpfFPreserveElems |
                                      kBpfFInnerMap;
constexpr std::uint32_t kQueueFlags = kBpfFNumaNode | kAccessMask;
constexpr std::uint32_t kLpmFlags =
    kBpfFNoPrealloc | kBpfFNumaNode | kAccessMask;
constexpr std::uint32_t kDevmapFlags = kBpfFNumaNode | kAccessMask;
constexpr std::uint32_t kRingbufFlags = kBpfFNumaNode;

// struct bpf_lpm_trie_key: u32 prefixlen, then 1..256 bytes of data.
constexpr std::uint32_t kLpmKeyMin = 4 + 1;
constexpr std::uint32_t kLpmKeyMax = 4 + 256;
// KMALLOC_MAX_SIZE - MAX_BPF_STACK - sizeof(struct lpm_trie_node) - 256.
constexpr std::uint64_t kLpmValueMax = kKmallocMaxSize - 512 - 40 - 256;

constexpr std::uint32_t round8(std::uint32_t n) { return (n + 7) & ~7u; }

Error fail(Errno code, const std::string &why) {
  return to_error(code, "map create: " + why);
}

bool access_ok(std::uint32_t flags) {
  return !((flags & kBpfFRdonlyProg) && (flags & kBpfFWronlyProg));
}

Result<void> check_hash(const MapAttr &a) {
  bool per_cpu =
      a.type == MapType::PercpuHash || a.type == MapType::LruPercpuHash;
  bool lru = a.type == MapType::LruHash || a.type == MapType::LruPercpuHash;
  if ((a.map_flags & ~kHashFlags) || !access_ok(a.map_flags))
    return fail(Errno::Inval, "flags not allowed for a hash map");
  if (!lru && (a.map_flags & kBpfFNoCommonLru))
    return fail(Errno::Inval, "BPF_F_NO_COMMON_LRU needs an LRU map");
  if (lru && (a.map_flags & kBpfFNoPrealloc))
    return fail(Errno::NotSupp, "LRU maps are always preallocated");
  if ((a.map_flags & kBpfFNumaNode) &&
      (per_cpu || (a.map_flags & kBpfFNoCommonLru)))
    return fail(Errno::Inval, "a NUMA node for per-CPU data");
  if (a.max_entries == 0 || a.key_size == 0 || a.value_size == 0)
    return fail(Errno::Inval, "zero max_entries, key_size or value_size");
  if (std::uint64_t{a.key_size} + a.value_size >= kKmallocMaxSize - 48)
    return fail(Errno::TooBig, "key and value too large");
  if (per_cpu && round8(a.value_size) > kPcpuMinUnitSize)
    return fail(Errno::TooBig, "per-CPU value too large");
  if (a.max_entries > (1u << 31))
    return fail(Errno::TooBig, "too many buckets");
  return {};
}

Result<void> check_array(const MapAttr &a) {
  bool per_cpu = a.type == MapType::PercpuArray;
  if (a.max_entries == 0 || a.key_size != 4 || a.value_size == 0 ||
      (a.map_flags & ~kArrayFlags) || !access_ok(a.map_flags) ||
      (per_cpu && (a.map_flags & kBpfFNumaNode)))
    return fail(Errno::Inval, "array needs a 4-byte key, a value, entries");
  if (a.type != MapType::Array &&
      (a.map_flags & (kBpfFMmapable | kBpfFInnerMap)))
    return fail(Errno::Inval, "BPF_F_MMAPABLE/INNER_MAP only for arrays");
  if (a.type != MapType::PerfEventArray && (a.map_flags & kBpfFPreserveElems))
    return fail(Errno::Inval, "BPF_F_PRESERVE_ELEMS only for perf arrays");
  if (a.value_size > 0x7fffffffu ||
      std::uint64_t{a.max_entries} * round8(a.value_size) > (1ull << 32))
    return fail(Errno::TooBig, "array too large");
  if (per_cpu && round8(a.value_size) > kPcpuMinUnitSize)
    return fail(Errno::TooBig, "per-CPU value too large");
  return {};
}

// fd_array_map_alloc_check: arrays whose values are descriptors.
Result<void> check_fd_array(const MapAttr &a) {
  if (a.value_size != 4)
    return fail(Errno::Inval, "descriptor arrays have 4-byte values");
  if (a.map_flags & (kBpfFRdonlyProg | kBpfFWronlyProg))
    return fail(Errno::Inval, "program access flags on a descriptor array");
  return check_array(a);
}

// bpf_map_meta_alloc: the inner map template of a map of maps.
Result<void> check_inner(const MapAttr &a) {
  if (!a.inner_map)
    return fail(Errno::Inval, "a map of maps needs an inner map template");
  const MapAttr &inner = a.inner_map->attr();
  if (inner.inner_map)
    return fail(Errno::Inval, "maps of maps do not nest");
  if (inner.type == MapType::ProgArray)
    return fail(Errno::NotSupp, "a prog array cannot be an inner map");
  return {};
}

Result<void> check_queue(const MapAttr &a) {
  if (a.max_entries == 0 || a.key_size != 0 || a.value_size == 0 ||
      (a.map_flags & ~kQueueFlags) || !access_ok(a.map_flags))
    return fail(Errno::Inval, "queue/stack needs key_size 0, a value");
  if (a.value_size > kKmallocMaxSize)
    return fail(Errno::TooBig, "value too large");
  return {};
}

Result<void> check_lpm(const MapAttr &a) {
  if (a.max_entries == 0 || !(a.map_flags & kBpfFNoPrealloc) ||
      (a.map_flags & ~kLpmFlags) || !access_ok(a.map_flags) ||
      a.key_size < kLpmKeyMin || a.key_size > kLpmKeyMax || a.value_size < 1 ||
      a.value_size > kLpmValueMax)
    return fail(Errno::Inval, "LPM trie needs BPF_F_NO_PREALLOC and a key "
                              "of 4 + 1..256 bytes");
  return {};
}

Result<void> check_ringbuf(const MapAttr &a) {
  if (a.map_flags & ~kRingbufFlags)
    return fail(Errno::Inval, "flags not allowed for a ring buffer");
  bool power_of_2 =
      a.max_entries != 0 && (a.max_entries & (a.max_entries - 1)) == 0;
  if (a.key_size != 0 || a.value_size != 0 || !power_of_2 ||
      a.max_entries % kRingbufPageSize != 0)
    return fail(Errno::Inval, "ring buffer needs key and value size 0 and a "
                              "power-of-2 multiple of the page size");
  return {};
}

Result<void> check_devmap(const MapAttr &a) {
  if (a.max_entries == 0 || a.key_size != 4 ||
      (a.value_size != 4 && a.value_size != 8) || (a.map_flags & ~kDevmapFlags))
    return fail(Errno::Inval, "devmap needs a 4-byte key, a 4- or 8-byte "
                              "struct bpf_devmap_val");
  if (a.type == MapType::DevmapHash && a.max_entries > (1u << 31))
    return fail(Errno::Inval, "too many buckets");
  return {};
}

} // namespace

Result<void> check_map_attr(const MapAttr &a) {
  if ((a.map_flags & kBpfFRdonly) && (a.map_flags & kBpfFWronly))
    return fail(Errno::Inval, "BPF_F_RDONLY with BPF_F_WRONLY");
  switch (a.type) {
  case MapType::Hash:
  case MapType::PercpuHash:
  case MapType::LruHash:
  case MapType::LruPercpuHash:
    return check_hash(a);
  case MapType::HashOfMaps:
    if (a.value_size != 4)
      return fail(Errno::Inval, "maps of maps have 4-byte values");
    if (auto ok = check_hash(a); !ok)
      return ok;
    return check_inner(a);
  case MapType::Array:
  case MapType::PercpuArray:
    return check_array(a);
  case MapType::ProgArray:
  case MapType::PerfEventArray:
    return check_fd_array(a);
  case MapType::ArrayOfMaps:
    if (auto ok = check_fd_array(a); !ok)
      return ok;
    return check_inner(a);
  case MapType::Queue:
  case MapType::Stack:
    return check_queue(a);
  case MapType::LpmTrie:
    return check_lpm(a);
  case MapType::Ringbuf:
    return check_ringbuf(a);
  case MapType::Devmap:
  case MapType::DevmapHash:
    return check_devmap(a);
  case MapType::Unspec:
    return fail(Errno::Inval, "map type 0");
  case MapType::StackTrace:
  case MapType::CgroupArray:
  case MapType::Sockmap:
  case MapType::Cpumap:
  case MapType::Xskmap:
  case MapType::Sockhash:
  case MapType::CgroupStorage:
  case MapType::ReuseportSockarray:
  case MapType::PercpuCgroupStorage:
  case MapType::SkStorage:
  case MapType::StructOps:
  case MapType::InodeStorage:
  case MapType::TaskStorage:
  case MapType::BloomFilter:
  case MapType::UserRingbuf:
  case MapType::CgrpStorage:
  case MapType::Arena:
    return fail(Errno::NotSupp, "map type not supported by bpfhost");
  }
  return fail(Errno::Inval,
              "unknown map type " +
                  std::to_string(static_cast<std::uint32_t>(a.type)));
}

bool inner_map_matches(const MapAttr &tmpl, const MapAttr &inner) {
  if (tmpl.type != inner.type || tmpl.key_size != inner.key_size ||
      tmpl.value_size != inner.value_size || tmpl.map_flags != inner.map_flags)
    return false;
  if (tmpl.type == MapType::Array && !(tmpl.map_flags & kBpfFInnerMap))
    return tmpl.max_entries == inner.max_entries;
  return true;
}

} // namespace bpfhost::maps
