// Creation checks, one row per attribute case, with the errno Linux returns.
// Rows marked [kernel] were run with bpftool map create on Linux 6.18.
#include "map_test_util.hpp"

namespace bpfhost::maps {
namespace {

using namespace testing;

TEST(CreateMap, Table) {
  auto inner_hash = must_create(attr_of(MapType::Hash, 4, 4, 4));
  auto inner_prog = must_create(attr_of(MapType::ProgArray, 4, 4, 4));
  MapAttr outer_tmpl = attr_of(MapType::ArrayOfMaps, 4, 4, 2);
  outer_tmpl.inner_map = inner_hash;
  auto outer = must_create(outer_tmpl);
  auto with_inner = [](MapAttr a, std::shared_ptr<Map> inner) {
    a.inner_map = std::move(inner);
    return a;
  };
  struct Row {
    const char *name;
    MapAttr attr;
    Errno expected;
  };
  const Row rows[] = {
      {"hash", attr_of(MapType::Hash, 4, 4, 2), Errno::Ok},
      {"hash long key [kernel]", attr_of(MapType::Hash, 600, 4, 2), Errno::Ok},
      {"hash value 0 [kernel]", attr_of(MapType::Hash, 4, 0, 2), Errno::Inval},
      {"hash key 0", attr_of(MapType::Hash, 0, 4, 2), Errno::Inval},
      {"hash no entries", attr_of(MapType::Hash, 4, 4, 0), Errno::Inval},
      {"hash no prealloc", attr_of(MapType::Hash, 4, 4, 2, kBpfFNoPrealloc),
       Errno::Ok},
      {"hash NO_COMMON_LRU [kernel]",
       attr_of(MapType::Hash, 4, 4, 2, kBpfFNoCommonLru), Errno::Inval},
      {"hash RDONLY|WRONLY [kernel]",
       attr_of(MapType::Hash, 4, 4, 2, kBpfFRdonly | kBpfFWronly),
       Errno::Inval},
      {"hash RDONLY_PROG|WRONLY_PROG [kernel]",
       attr_of(MapType::Hash, 4, 4, 2, kBpfFRdonlyProg | kBpfFWronlyProg),
       Errno::Inval},
      {"hash MMAPABLE", attr_of(MapType::Hash, 4, 4, 2, kBpfFMmapable),
       Errno::Inval},
      {"hash huge value", attr_of(MapType::Hash, 4, 4u << 20, 2),
       Errno::TooBig},
      {"percpu hash huge value", attr_of(MapType::PercpuHash, 4, 40000, 2),
       Errno::TooBig},
      {"percpu hash NUMA", attr_of(MapType::PercpuHash, 4, 4, 2, kBpfFNumaNode),
       Errno::Inval},
      {"lru", attr_of(MapType::LruHash, 4, 4, 2), Errno::Ok},
      {"lru no prealloc [kernel]",
       attr_of(MapType::LruHash, 4, 4, 2, kBpfFNoPrealloc), Errno::NotSupp},
      {"lru percpu NO_COMMON_LRU",
       attr_of(MapType::LruPercpuHash, 4, 4, 2, kBpfFNoCommonLru), Errno::Ok},
      {"array", attr_of(MapType::Array, 4, 4, 2), Errno::Ok},
      {"array key 8 [kernel]", attr_of(MapType::Array, 8, 4, 2), Errno::Inval},
      {"array value 0", attr_of(MapType::Array, 4, 0, 2), Errno::Inval},
      {"array mmapable", attr_of(MapType::Array, 4, 4, 2, kBpfFMmapable),
       Errno::Ok},
      {"percpu array mmapable [kernel]",
       attr_of(MapType::PercpuArray, 4, 4, 2, kBpfFMmapable), Errno::Inval},
      {"array PRESERVE_ELEMS",
       attr_of(MapType::Array, 4, 4, 2, kBpfFPreserveElems), Errno::Inval},
      {"array NO_PREALLOC", attr_of(MapType::Array, 4, 4, 2, kBpfFNoPrealloc),
       Errno::Inval},
      {"prog array", attr_of(MapType::ProgArray, 4, 4, 2), Errno::Ok},
      {"prog array value 8", attr_of(MapType::ProgArray, 4, 8, 2),
       Errno::Inval},
      {"prog array RDONLY_PROG",
       attr_of(MapType::ProgArray, 4, 4, 2, kBpfFRdonlyProg), Errno::Inval},
      {"perf array value 8 [kernel]", attr_of(MapType::PerfEventArray, 4, 8, 2),
       Errno::Inval},
      {"perf array PRESERVE_ELEMS",
       attr_of(MapType::PerfEventArray, 4, 4, 2, kBpfFPreserveElems),
       Errno::Ok},
      {"queue", attr_of(MapType::Queue, 0, 4, 2), Errno::Ok},
      {"queue with key [kernel]", attr_of(MapType::Queue, 4, 4, 2),
       Errno::Inval},
      {"stack no entries", attr_of(MapType::Stack, 0, 4, 0), Errno::Inval},
      {"lpm without NO_PREALLOC [kernel]", attr_of(MapType::LpmTrie, 8, 4, 2),
       Errno::Inval},
      {"lpm [kernel]", attr_of(MapType::LpmTrie, 8, 4, 2, kBpfFNoPrealloc),
       Errno::Ok},
      {"lpm key 4", attr_of(MapType::LpmTrie, 4, 4, 2, kBpfFNoPrealloc),
       Errno::Inval},
      {"lpm key 261", attr_of(MapType::LpmTrie, 261, 4, 2, kBpfFNoPrealloc),
       Errno::Inval},
      {"lpm key 260", attr_of(MapType::LpmTrie, 260, 4, 2, kBpfFNoPrealloc),
       Errno::Ok},
      {"ringbuf 4096 [kernel]", attr_of(MapType::Ringbuf, 0, 0, 4096),
       Errno::Ok},
      {"ringbuf 12288 [kernel]", attr_of(MapType::Ringbuf, 0, 0, 12288),
       Errno::Inval},
      {"ringbuf 2048", attr_of(MapType::Ringbuf, 0, 0, 2048), Errno::Inval},
      {"ringbuf with key", attr_of(MapType::Ringbuf, 4, 0, 4096), Errno::Inval},
      {"devmap value 8 [kernel]", attr_of(MapType::Devmap, 4, 8, 2), Errno::Ok},
      {"devmap value 6 [kernel]", attr_of(MapType::Devmap, 4, 6, 2),
       Errno::Inval},
      {"devmap hash", attr_of(MapType::DevmapHash, 4, 4, 2), Errno::Ok},
      {"array of maps",
       with_inner(attr_of(MapType::ArrayOfMaps, 4, 4, 2), inner_hash),
       Errno::Ok},
      {"hash of maps",
       with_inner(attr_of(MapType::HashOfMaps, 4, 4, 2), inner_hash),
       Errno::Ok},
      {"map of maps without inner", attr_of(MapType::HashOfMaps, 4, 4, 2),
       Errno::Inval},
      {"map of maps value 8",
       with_inner(attr_of(MapType::HashOfMaps, 4, 8, 2), inner_hash),
       Errno::Inval},
      {"inner prog array [kernel]",
       with_inner(attr_of(MapType::ArrayOfMaps, 4, 4, 2), inner_prog),
       Errno::NotSupp},
      {"inner map of maps [kernel]",
       with_inner(attr_of(MapType::HashOfMaps, 4, 4, 2), outer), Errno::Inval},
      {"unspec", attr_of(MapType::Unspec, 4, 4, 2), Errno::Inval},
      {"unknown id", attr_of(static_cast<MapType>(99), 4, 4, 2), Errno::Inval},
      {"not implemented type", attr_of(MapType::Sockmap, 4, 4, 2),
       Errno::NotSupp},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto map = create_map(row.attr, test_env());
    if (row.expected == Errno::Ok) {
      EXPECT_TRUE(map.ok()) << map.error().to_string();
    } else {
      ASSERT_FALSE(map.ok());
      EXPECT_EQ(errno_name(creation_errno(map.error())),
                errno_name(row.expected))
          << map.error().to_string();
    }
  }
}

// The table agrees with create_map(): a supported type can be created.
TEST(CreateMap, EverySupportedTypeCreates) {
  auto inner = must_create(attr_of(MapType::Array, 4, 4, 1));
  for (const MapTypeInfo &info : map_type_table()) {
    if (!info.supported)
      continue;
    SCOPED_TRACE(std::string(info.name));
    MapAttr attr = attr_of(info.type, 4, 4, 4096);
    switch (info.type) {
    case MapType::Queue:
    case MapType::Stack:
      attr.key_size = 0;
      break;
    case MapType::Ringbuf:
      attr.key_size = attr.value_size = 0;
      break;
    case MapType::LpmTrie:
      attr.key_size = 8;
      attr.map_flags = kBpfFNoPrealloc;
      break;
    case MapType::ArrayOfMaps:
    case MapType::HashOfMaps:
      attr.inner_map = inner;
      break;
    default:
      break;
    }
    auto map = create_map(attr, test_env());
    ASSERT_TRUE(map.ok()) << map.error().to_string();
    EXPECT_EQ((*map)->type(), info.type);
  }
}

} // namespace
} // namespace bpfhost::maps
