// Element semantics of the keyed maps, one row per case: update flags against
// existing and missing elements, full maps, deletes, lookup-and-delete,
// get_next_key, program-side views, queue and stack order. Rows marked
// [kernel] were run with bpftool against Linux 6.18 on the development
// machine and gave the same results.
#include "map_test_util.hpp"

namespace bpfhost::maps {
namespace {

using namespace testing;
using namespace testing::steps;

struct Row {
  const char *name;
  MapAttr attr;
  std::vector<Step> steps;
};

constexpr auto kNoexist = kBpfNoexist;
constexpr auto kExist = kBpfExist;
const MapAttr kHash = attr_of(MapType::Hash, 4, 4, 2);
const MapAttr kPcpuHash = attr_of(MapType::PercpuHash, 4, 4, 2);
const MapAttr kArray = attr_of(MapType::Array, 4, 4, 3);
const MapAttr kPcpuArray = attr_of(MapType::PercpuArray, 4, 4, 3);
const MapAttr kLru = attr_of(MapType::LruHash, 4, 4, 4);
const MapAttr kQueue = attr_of(MapType::Queue, 0, 4, 2);
const MapAttr kStack = attr_of(MapType::Stack, 0, 4, 2);
const MapAttr kDevmap = attr_of(MapType::Devmap, 4, 4, 2);
const MapAttr kDevmapHash = attr_of(MapType::DevmapHash, 4, 4, 2);

const Row kRows[] = {
    // Hash [kernel]
    {"hash exist on missing", kHash, {upd(1, 1, kExist, Errno::NoEnt)}},
    {"hash noexist on missing", kHash, {upd(1, 1, kNoexist), get(1, 1)}},
    {"hash noexist on existing",
     kHash,
     {upd(1, 1), upd(1, 2, kNoexist, Errno::Exist), get(1, 1)}},
    {"hash exist on existing",
     kHash,
     {upd(1, 1), upd(1, 2, kExist), get(1, 2)}},
    {"hash any replaces", kHash, {upd(1, 1), upd(1, 2), get(1, 2)}},
    {"hash full refuses new key",
     kHash,
     {upd(1, 1), upd(2, 2), upd(3, 3, kBpfAny, Errno::TooBig), miss(3)}},
    {"hash full replaces existing",
     kHash,
     {upd(1, 1), upd(2, 2), upd(2, 9), get(2, 9)}},
    {"hash delete frees room",
     kHash,
     {upd(1, 1), upd(2, 2), del(1), upd(3, 3), get(3, 3), miss(1)}},
    {"hash delete missing", kHash, {del(7, Errno::NoEnt)}},
    {"hash bad flags",
     kHash,
     {upd(1, 1, 3, Errno::Inval), upd(1, 1, 8, Errno::Inval)}},
    {"hash F_LOCK without spin lock",
     kHash,
     {upd(1, 1, kBpfFLock, Errno::Inval)}},
    {"hash lookup and delete",
     kHash,
     {upd(1, 5), take(1, 5), miss(1), take(1, 0, Errno::NoEnt)}},
    {"hash next of empty", kHash, {next(kNoKey, 0, Errno::NoEnt)}},
    {"hash next of null is first",
     kHash,
     {upd(4, 1), next(kNoKey, 4), next(4, 0, Errno::NoEnt)}},
    {"hash next of missing is first", kHash, {upd(4, 1), next(7, 4)}},
    {"hash program view",
     kHash,
     {pupd(1, 3, 2), pget(1, 3, 0), pdel(1), pmiss(1), pdel(1, Errno::NoEnt)}},
    // Per-CPU hash: programs see their slot's value; a new element's other
    // CPUs read 0; the user view gives every CPU.
    {"percpu hash slot values",
     kPcpuHash,
     {pupd(1, 7, 2), pget(1, 7, 2), pget(1, 0, 1), get(1, 0)}},
    {"percpu hash user update sets all",
     kPcpuHash,
     {upd(1, 5), pget(1, 5, 0), pget(1, 5, 3)}},
    {"percpu hash in-place update",
     kPcpuHash,
     {upd(1, 5), pupd(1, 6, 3, kExist), pget(1, 6, 3), pget(1, 5, 1)}},
    {"percpu hash noexist",
     kPcpuHash,
     {upd(1, 5), upd(1, 6, kNoexist, Errno::Exist)}},
    // Array [kernel]
    {"array starts zeroed", kArray, {get(2, 0)}},
    {"array noexist always exists",
     kArray,
     {upd(1, 1, kNoexist, Errno::Exist)}},
    {"array exist and any",
     kArray,
     {upd(1, 1, kExist), upd(2, 2), get(1, 1), get(2, 2)}},
    {"array index out of range",
     kArray,
     {upd(3, 1, kBpfAny, Errno::TooBig), miss(3), pmiss(3)}},
    {"array delete is EINVAL",
     kArray,
     {del(1, Errno::Inval), pdel(1, Errno::Inval)}},
    {"array bad flags",
     kArray,
     {upd(1, 1, 3, Errno::Inval), upd(1, 1, kBpfFLock, Errno::Inval)}},
    {"array next",
     kArray,
     {next(kNoKey, 0), next(0, 1), next(1, 2), next(2, 0, Errno::NoEnt),
      next(9, 0)}},
    {"array program view", kArray, {pupd(2, 4, 1), pget(2, 4, 3), get(2, 4)}},
    {"array lookup and delete", kArray, {take(0, 0, Errno::NotSupp)}},
    {"percpu array slots",
     kPcpuArray,
     {pupd(0, 9, 3), pget(0, 9, 3), pget(0, 0, 0), upd(1, 4), pget(1, 4, 2)}},
    // LRU hash: with 4 entries over 4 CPUs one element is evicted at a time,
    // oldest first [kernel]; a lookup from a program gives a second chance.
    {"lru evicts oldest",
     kLru,
     {upd(1, 1), upd(2, 2), upd(3, 3), upd(4, 4), upd(5, 5), miss(1), get(2, 2),
      get(5, 5)}},
    {"lru referenced survives",
     kLru,
     {upd(1, 1), upd(2, 2), upd(3, 3), upd(4, 4), pget(1, 1), upd(5, 5),
      get(1, 1), miss(2)}},
    {"lru user lookup does not reference",
     kLru,
     {upd(1, 1), upd(2, 2), upd(3, 3), upd(4, 4), get(1, 1), upd(5, 5),
      miss(1)}},
    {"lru flags",
     kLru,
     {upd(1, 1), upd(1, 2, kNoexist, Errno::Exist),
      upd(2, 2, kExist, Errno::NoEnt), get(1, 1)}},
    {"lru delete", kLru, {upd(1, 1), del(1), miss(1), del(1, Errno::NoEnt)}},
    // Queue and stack [kernel]
    {"queue fifo",
     kQueue,
     {push(1), push(2), peek(1), pop(1), pop(2), pop(0, Errno::NoEnt)}},
    {"queue full",
     kQueue,
     {push(1), push(2), push(3, kBpfAny, Errno::TooBig), peek(1)}},
    {"queue exist overwrites oldest",
     kQueue,
     {push(1), push(2), push(3, kExist), pop(2), pop(3)}},
    {"queue noexist is EINVAL", kQueue, {push(1, kNoexist, Errno::Inval)}},
    {"queue user view",
     kQueue,
     {upd(0, 1), upd(0, 2), get(0, 1), take(0, 1), take(0, 2),
      take(0, 0, Errno::NoEnt)}},
    {"queue no keys",
     kQueue,
     {del(0, Errno::Inval), next(kNoKey, 0, Errno::Inval)}},
    {"stack lifo",
     kStack,
     {push(1), push(2), peek(2), pop(2), pop(1), pop(0, Errno::NoEnt)}},
    {"stack exist overwrites oldest",
     kStack,
     {push(1), push(2), push(3, kExist), pop(3), pop(2), pop(0, Errno::NoEnt)}},
    {"stack wraps",
     kStack,
     {push(1), pop(1), push(2), push(3), pop(3), push(4), pop(4), pop(2)}},
    // Devmaps [kernel]: hold ifindexes; delete of an empty slot succeeds.
    {"devmap update and lookup",
     kDevmap,
     {upd(0, 1), get(0, 1), pget(0, 1), miss(1)}},
    {"devmap noexist", kDevmap, {upd(0, 1, kNoexist, Errno::Exist)}},
    {"devmap out of range",
     kDevmap,
     {upd(2, 1, kBpfAny, Errno::TooBig), del(7, Errno::Inval)}},
    {"devmap delete", kDevmap, {upd(0, 1), del(0), del(0), miss(0)}},
    {"devmap ifindex 0 empties", kDevmap, {upd(0, 1), upd(0, 0), miss(0)}},
    {"devmap next", kDevmap, {next(0, 1), next(1, 0, Errno::NoEnt)}},
    {"devmap hash",
     kDevmapHash,
     {upd(7, 1), upd(8, 1), upd(9, 1, kBpfAny, Errno::TooBig),
      upd(7, 2, kNoexist, Errno::Exist), upd(7, 2, kExist), get(7, 2)}},
    {"devmap hash exist on missing, ifindex 0",
     kDevmapHash,
     {upd(7, 1, kExist), get(7, 1), upd(8, 0, kBpfAny, Errno::Inval)}},
    {"devmap hash delete",
     kDevmapHash,
     {upd(7, 1), del(7), del(7, Errno::NoEnt), next(5, 0, Errno::NoEnt)}},
};

TEST(MapSemantics, Table) {
  for (const Row &row : kRows) {
    SCOPED_TRACE(row.name);
    auto map = must_create(row.attr);
    ASSERT_TRUE(map);
    run_steps(*map, row.steps);
  }
}

// Every key is visited once by a get_next_key walk, whatever the order.
TEST(MapSemantics, GetNextKeyWalksEveryKey) {
  for (MapType type : {MapType::Hash, MapType::PercpuHash, MapType::LruHash}) {
    SCOPED_TRACE(std::string(map_type_info(type)->name));
    auto map = must_create(attr_of(type, 8, 8, 100));
    ASSERT_TRUE(map);
    std::vector<unsigned char> value(map->user_value_size());
    for (std::uint64_t k = 1; k <= 100; ++k)
      ASSERT_TRUE(map->sys_update(bytes(k * 977, 8).data(), value.data(), 0));
    std::vector<int> seen(101);
    std::vector<unsigned char> key(8), next_key(8);
    const void *cursor = nullptr;
    while (map->get_next_key(cursor, next_key.data()).ok()) {
      std::uint64_t k = as_int(next_key.data(), 8) / 977;
      ASSERT_TRUE(k >= 1 && k <= 100);
      ++seen[k];
      key = next_key;
      cursor = key.data();
    }
    for (std::uint64_t k = 1; k <= 100; ++k)
      EXPECT_EQ(seen[k], 1) << k;
  }
}

// The user view of per-CPU values: round_up(value_size, 8) per CPU, padding
// zero [kernel: a 3-byte percpu_array shows 3 bytes per CPU in bpftool,
// which reads 8 per CPU].
TEST(MapSemantics, PerCpuUserView) {
  auto map = must_create(attr_of(MapType::PercpuArray, 4, 3, 2));
  ASSERT_TRUE(map);
  EXPECT_EQ(map->user_value_size(), 8 * kTestCpus);
  std::vector<unsigned char> in(map->user_value_size(), 0xee), out(in.size());
  for (unsigned cpu = 0; cpu < kTestCpus; ++cpu)
    in[cpu * 8] = static_cast<unsigned char>(cpu + 1);
  auto key = bytes(1, 4);
  ASSERT_TRUE(map->sys_update(key.data(), in.data(), 0));
  ASSERT_TRUE(map->sys_lookup(key.data(), out.data(), 0));
  for (unsigned cpu = 0; cpu < kTestCpus; ++cpu) {
    EXPECT_EQ(out[cpu * 8], cpu + 1);
    EXPECT_EQ(out[cpu * 8 + 2], 0xee);
    EXPECT_EQ(out[cpu * 8 + 3], 0) << "padding";
  }
}

// Linux evicts a batch of clamp(max_entries / cpus / 2, 1, 128) elements
// when an LRU map is full [kernel: 64 entries, 2 CPUs, 70 inserts leave 54:
// keys 17..70].
TEST(MapSemantics, LruEvictsInBatches) {
  auto map = must_create(attr_of(MapType::LruHash, 4, 4, 64), test_env(2));
  ASSERT_TRUE(map);
  for (std::uint64_t k = 1; k <= 70; ++k)
    ASSERT_TRUE(map->sys_update(bytes(k, 4).data(), bytes(k, 4).data(), 0));
  std::vector<unsigned char> out(4);
  for (std::uint64_t k = 1; k <= 70; ++k)
    EXPECT_EQ(map->sys_lookup(bytes(k, 4).data(), out.data(), 0).ok(), k >= 17)
        << k;
}

} // namespace
} // namespace bpfhost::maps
