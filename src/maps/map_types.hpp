// Map type ids and names: the one table of the Linux map types (uapi
// <linux/bpf.h> enum bpf_map_type, names as libbpf's libbpf_bpf_map_type_str()
// and bpftool spell them), plus the uapi flag constants maps interpret.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace bpfhost::maps {

// Linux map type ids (enum bpf_map_type); the values are uapi and never change.
enum class MapType : std::uint32_t {
  Unspec = 0,
  Hash = 1,
  Array = 2,
  ProgArray = 3,
  PerfEventArray = 4,
  PercpuHash = 5,
  PercpuArray = 6,
  StackTrace = 7,
  CgroupArray = 8,
  LruHash = 9,
  LruPercpuHash = 10,
  LpmTrie = 11,
  ArrayOfMaps = 12,
  HashOfMaps = 13,
  Devmap = 14,
  Sockmap = 15,
  Cpumap = 16,
  Xskmap = 17,
  Sockhash = 18,
  CgroupStorage = 19,
  ReuseportSockarray = 20,
  PercpuCgroupStorage = 21,
  Queue = 22,
  Stack = 23,
  SkStorage = 24,
  DevmapHash = 25,
  StructOps = 26,
  Ringbuf = 27,
  InodeStorage = 28,
  TaskStorage = 29,
  BloomFilter = 30,
  UserRingbuf = 31,
  CgrpStorage = 32,
  Arena = 33,
};

// One row of the map type table.
struct MapTypeInfo {
  MapType type;
  // libbpf's name (libbpf_bpf_map_type_str), which bpftool also accepts.
  std::string_view name;
  // Whether bpfhost implements the type (create_map() accepts it).
  bool supported;
  // Whether values are per CPU (user view: round_up(value_size, 8) per CPU).
  bool per_cpu;
};

// Every Linux map type, in id order (row i has id i).
std::span<const MapTypeInfo> map_type_table();

// The row of `type`, or NotFound for an id Linux does not define.
Result<MapTypeInfo> map_type_info(MapType type);

// The type named `name` (libbpf spelling), or NotFound.
Result<MapType> map_type_from_name(std::string_view name);

// Update flags (uapi BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK).
inline constexpr std::uint64_t kBpfAny = 0;
inline constexpr std::uint64_t kBpfNoexist = 1;
inline constexpr std::uint64_t kBpfExist = 2;
inline constexpr std::uint64_t kBpfFLock = 4;

// Map creation flags (uapi BPF_F_* for map_flags).
inline constexpr std::uint32_t kBpfFNoPrealloc = 1u << 0;
inline constexpr std::uint32_t kBpfFNoCommonLru = 1u << 1;
inline constexpr std::uint32_t kBpfFNumaNode = 1u << 2;
inline constexpr std::uint32_t kBpfFRdonly = 1u << 3;
inline constexpr std::uint32_t kBpfFWronly = 1u << 4;
inline constexpr std::uint32_t kBpfFStackBuildId = 1u << 5;
inline constexpr std::uint32_t kBpfFZeroSeed = 1u << 6;
inline constexpr std::uint32_t kBpfFRdonlyProg = 1u << 7;
inline constexpr std::uint32_t kBpfFWronlyProg = 1u << 8;
inline constexpr std::uint32_t kBpfFClone = 1u << 9;
inline constexpr std::uint32_t kBpfFMmapable = 1u << 10;
inline constexpr std::uint32_t kBpfFPreserveElems = 1u << 11;
inline constexpr std::uint32_t kBpfFInnerMap = 1u << 12;

// Ring buffer flags (uapi BPF_RB_*) and bpf_ringbuf_query() selectors.
inline constexpr std::uint64_t kBpfRbNoWakeup = 1;
inline constexpr std::uint64_t kBpfRbForceWakeup = 2;
inline constexpr std::uint64_t kBpfRbAvailData = 0;
inline constexpr std::uint64_t kBpfRbRingSize = 1;
inline constexpr std::uint64_t kBpfRbConsPos = 2;
inline constexpr std::uint64_t kBpfRbProdPos = 3;

// bpf_perf_event_output() flags (uapi BPF_F_INDEX_MASK, BPF_F_CURRENT_CPU,
// BPF_F_CTXLEN_MASK).
inline constexpr std::uint64_t kBpfFIndexMask = 0xffffffffull;
inline constexpr std::uint64_t kBpfFCurrentCpu = kBpfFIndexMask;
inline constexpr std::uint64_t kBpfFCtxlenMask = 0xfffffull << 32;

} // namespace bpfhost::maps
