// Delete-versus-lookup stress: one thread runs "programs" that look up and
// read values without locks while another deletes and re-inserts the same
// keys. Memory must never be freed under a reader (ASan: use-after-free;
// TSan: races) and a reader must never see a torn or reused value. Run
// under the asan preset and by hand under TSan.
#include "map_test_util.hpp"

#include "maps/map_of_maps.hpp"

#include <atomic>
#include <chrono>
#include <thread>

namespace bpfhost::maps {
namespace {

using namespace testing;

constexpr std::uint32_t kKeys = 64;
constexpr std::uint32_t kValueSize = 64;
constexpr int kWriterRounds = 20000;
constexpr std::uint64_t kMinHits = 1000;

// Every byte of key k's value is (k * 7 + generation) & 0xff for one
// generation; a reader checks that all bytes agree.
void fill(std::vector<unsigned char> &value, std::uint32_t k, unsigned gen) {
  std::fill(value.begin(), value.end(),
            static_cast<unsigned char>(k * 7 + gen));
}

// Runs lookups on slot 0 against deletes and updates from slot 1 (program
// view) and from bpf() (user view), until the writer is done.
void stress(Map &map, std::vector<unsigned char> (*key_of)(std::uint32_t)) {
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> hits{0}, torn{0};
  std::thread reader([&] {
    std::uint32_t k = 0;
    while (!done.load(std::memory_order_relaxed)) {
      auto key = key_of(k++ % kKeys);
      EpochDomain::Guard guard(map.epochs(), ExecutionSlot{0});
      auto *value = static_cast<const unsigned char *>(
          map.lookup(key.data(), ExecutionSlot{0}));
      if (value == nullptr)
        continue;
      hits.fetch_add(1, std::memory_order_relaxed);
      for (std::uint32_t i = 1; i < kValueSize; ++i)
        if (value[i] != value[0]) {
          torn.fetch_add(1, std::memory_order_relaxed);
          break;
        }
    }
  });
  std::vector<unsigned char> value(kValueSize);
  // The writer also keeps going until the reader has seen values (a thread
  // can start late, as under Wine), bounded so that a broken map cannot hang.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (int round = 0; round < kWriterRounds ||
                      (hits.load(std::memory_order_relaxed) < kMinHits &&
                       std::chrono::steady_clock::now() < deadline);
       ++round) {
    std::uint32_t k = static_cast<std::uint32_t>(round) % kKeys;
    auto key = key_of(k);
    fill(value, k, static_cast<unsigned>(round));
    if (round % 2 == 0) {
      EpochDomain::Guard guard(map.epochs(), ExecutionSlot{1});
      (void)map.erase(key.data(), ExecutionSlot{1});
      (void)map.update(key.data(), value.data(), kBpfAny, ExecutionSlot{1});
    } else {
      (void)map.sys_delete(key.data());
      (void)map.sys_update(key.data(), value.data(), kBpfAny);
      (void)map.sys_update(key.data(), value.data(), kBpfExist);
    }
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0u);
  EXPECT_GT(hits.load(), 0u);
  map.epochs().synchronize();
  EXPECT_EQ(map.epochs().pending(), 0u);
}

std::vector<unsigned char> u32_key(std::uint32_t k) { return bytes(k, 4); }
std::vector<unsigned char> lpm_key(std::uint32_t k) {
  return lpm4(24 + k % 9, 10, k & 0xff, 0, 0);
}

TEST(Stress, DeleteVersusLookup) {
  struct Row {
    const char *name;
    MapAttr attr;
    std::vector<unsigned char> (*key)(std::uint32_t);
  };
  const Row rows[] = {
      {"hash", attr_of(MapType::Hash, 4, kValueSize, kKeys), &u32_key},
      {"lru hash", attr_of(MapType::LruHash, 4, kValueSize, kKeys / 2),
       &u32_key},
      {"lpm trie",
       attr_of(MapType::LpmTrie, 8, kValueSize, kKeys, kBpfFNoPrealloc),
       &lpm_key},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto map = must_create(row.attr, test_env(2));
    ASSERT_TRUE(map);
    stress(*map, row.key);
  }
}

// Inner maps replaced in a hash of maps stay alive while a program may still
// use the pointer its lookup returned.
TEST(Stress, InnerMapReplacedUnderLookup) {
  MapEnvironment env = test_env(2);
  MapAttr outer = attr_of(MapType::HashOfMaps, 4, 4, 8);
  outer.inner_map = must_create(attr_of(MapType::Array, 4, 8, 4), env);
  auto map = std::static_pointer_cast<MapOfMaps>(must_create(outer, env));
  ASSERT_TRUE(map);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    auto key = bytes(1, 4);
    auto index = bytes(2, 4);
    while (!done.load(std::memory_order_relaxed)) {
      EpochDomain::Guard guard(*env.epochs, ExecutionSlot{0});
      auto *inner =
          static_cast<Map *>(map->lookup(key.data(), ExecutionSlot{0}));
      if (inner == nullptr)
        continue;
      auto *value = static_cast<const unsigned char *>(
          inner->lookup(index.data(), ExecutionSlot{0}));
      ASSERT_NE(value, nullptr);
      EXPECT_EQ(value[0], value[7]);
    }
  });
  for (int round = 0; round < 5000; ++round) {
    auto inner = must_create(attr_of(MapType::Array, 4, 8, 4), env);
    std::vector<unsigned char> value(8, static_cast<unsigned char>(round));
    ASSERT_TRUE(inner->sys_update(bytes(2, 4).data(), value.data(), 0));
    if (round % 3 == 0)
      (void)map->sys_delete(bytes(1, 4).data());
    ASSERT_TRUE(map->update_map(bytes(1, 4).data(), std::move(inner), 0));
  }
  done = true;
  reader.join();
}

} // namespace
} // namespace bpfhost::maps
