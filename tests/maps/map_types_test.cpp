// The map type table against Linux's uapi header, where there is one.
#include "maps/map_types.hpp"

#include <gtest/gtest.h>

#if __has_include(<linux/bpf.h>)
#include <linux/bpf.h>
#define BPFHOST_HAVE_LINUX_BPF_H 1
#endif

namespace bpfhost::maps {
namespace {

TEST(MapTypes, RowsAreInIdOrderAndNamesRoundTrip) {
  auto table = map_type_table();
  ASSERT_EQ(table.size(), 34u);
  for (std::size_t i = 0; i < table.size(); ++i) {
    SCOPED_TRACE(std::string(table[i].name));
    EXPECT_EQ(static_cast<std::size_t>(table[i].type), i);
    auto by_name = map_type_from_name(table[i].name);
    ASSERT_TRUE(by_name.ok());
    EXPECT_EQ(*by_name, table[i].type);
    auto info = map_type_info(table[i].type);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->name, table[i].name);
  }
  EXPECT_FALSE(map_type_info(static_cast<MapType>(34)).ok());
  EXPECT_FALSE(map_type_from_name("no_such_map").ok());
}

#ifdef BPFHOST_HAVE_LINUX_BPF_H
TEST(MapTypes, IdsMatchLinuxUapi) {
  struct Row {
    MapType ours;
    int linux_id;
  };
  // The ids this machine's <linux/bpf.h> has (older headers stop earlier).
  const Row rows[] = {
      {MapType::Hash, BPF_MAP_TYPE_HASH},
      {MapType::Array, BPF_MAP_TYPE_ARRAY},
      {MapType::ProgArray, BPF_MAP_TYPE_PROG_ARRAY},
      {MapType::PerfEventArray, BPF_MAP_TYPE_PERF_EVENT_ARRAY},
      {MapType::PercpuHash, BPF_MAP_TYPE_PERCPU_HASH},
      {MapType::PercpuArray, BPF_MAP_TYPE_PERCPU_ARRAY},
      {MapType::StackTrace, BPF_MAP_TYPE_STACK_TRACE},
      {MapType::CgroupArray, BPF_MAP_TYPE_CGROUP_ARRAY},
      {MapType::LruHash, BPF_MAP_TYPE_LRU_HASH},
      {MapType::LruPercpuHash, BPF_MAP_TYPE_LRU_PERCPU_HASH},
      {MapType::LpmTrie, BPF_MAP_TYPE_LPM_TRIE},
      {MapType::ArrayOfMaps, BPF_MAP_TYPE_ARRAY_OF_MAPS},
      {MapType::HashOfMaps, BPF_MAP_TYPE_HASH_OF_MAPS},
      {MapType::Devmap, BPF_MAP_TYPE_DEVMAP},
      {MapType::Sockmap, BPF_MAP_TYPE_SOCKMAP},
      {MapType::Cpumap, BPF_MAP_TYPE_CPUMAP},
      {MapType::Xskmap, BPF_MAP_TYPE_XSKMAP},
      {MapType::Sockhash, BPF_MAP_TYPE_SOCKHASH},
      {MapType::CgroupStorage, BPF_MAP_TYPE_CGROUP_STORAGE},
      {MapType::ReuseportSockarray, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY},
      {MapType::PercpuCgroupStorage, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE},
      {MapType::Queue, BPF_MAP_TYPE_QUEUE},
      {MapType::Stack, BPF_MAP_TYPE_STACK},
      {MapType::SkStorage, BPF_MAP_TYPE_SK_STORAGE},
      {MapType::DevmapHash, BPF_MAP_TYPE_DEVMAP_HASH},
      {MapType::StructOps, BPF_MAP_TYPE_STRUCT_OPS},
      {MapType::Ringbuf, BPF_MAP_TYPE_RINGBUF},
      {MapType::InodeStorage, BPF_MAP_TYPE_INODE_STORAGE},
      {MapType::TaskStorage, BPF_MAP_TYPE_TASK_STORAGE},
      {MapType::BloomFilter, BPF_MAP_TYPE_BLOOM_FILTER},
      {MapType::UserRingbuf, BPF_MAP_TYPE_USER_RINGBUF},
  };
  for (const Row &row : rows)
    EXPECT_EQ(static_cast<int>(row.ours), row.linux_id)
        << map_type_info(row.ours)->name;
  EXPECT_EQ(kBpfNoexist, static_cast<std::uint64_t>(BPF_NOEXIST));
  EXPECT_EQ(kBpfExist, static_cast<std::uint64_t>(BPF_EXIST));
  EXPECT_EQ(kBpfFLock, static_cast<std::uint64_t>(BPF_F_LOCK));
  EXPECT_EQ(kBpfFNoPrealloc, static_cast<std::uint32_t>(BPF_F_NO_PREALLOC));
  EXPECT_EQ(kBpfFZeroSeed, static_cast<std::uint32_t>(BPF_F_ZERO_SEED));
  EXPECT_EQ(kBpfFMmapable, static_cast<std::uint32_t>(BPF_F_MMAPABLE));
  EXPECT_EQ(kBpfFInnerMap, static_cast<std::uint32_t>(BPF_F_INNER_MAP));
  EXPECT_EQ(kBpfFPreserveElems,
            static_cast<std::uint32_t>(BPF_F_PRESERVE_ELEMS));
  EXPECT_EQ(kBpfFCurrentCpu, static_cast<std::uint64_t>(BPF_F_CURRENT_CPU));
  EXPECT_EQ(kBpfRbForceWakeup, static_cast<std::uint64_t>(BPF_RB_FORCE_WAKEUP));
  EXPECT_EQ(kBpfRbProdPos, static_cast<std::uint64_t>(BPF_RB_PROD_POS));
}
#endif

} // namespace
} // namespace bpfhost::maps
