// Map lookup scaling: lookups per second with 1 and 2 threads for hash and
// array maps, each thread a "program" on its own ExecutionSlot entering an
// epoch per run of kLookupsPerRun lookups, against the baseline in the same
// run: std::unordered_map under a std::shared_mutex taken (shared) per
// lookup, as a locking map helper would. Compare items_per_second of
// BM_Map* with BM_Baseline* at the same thread count (ratios in the report of
// the measured run; bench/summarize.py style).
#include "maps/map.hpp"

#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace {

using namespace bpfhost::maps;

constexpr std::uint32_t kKeys = 1024;
constexpr int kLookupsPerRun = 64;

// Keys in a random but fixed order, so lookups do not walk memory in order.
const std::vector<std::uint32_t> &key_order() {
  static const std::vector<std::uint32_t> order = [] {
    std::vector<std::uint32_t> v(kKeys * 4);
    std::mt19937 rng(42);
    for (auto &k : v)
      k = rng() % kKeys;
    return v;
  }();
  return order;
}

EpochDomain &domain() {
  static EpochDomain d(2);
  return d;
}

std::shared_ptr<Map> make_map(MapType type) {
  MapAttr attr;
  attr.type = type;
  attr.key_size = 4;
  attr.value_size = 8;
  attr.max_entries = kKeys;
  MapEnvironment env;
  env.epochs = &domain();
  auto map = create_map(attr, env);
  if (!map.ok())
    return nullptr;
  for (std::uint32_t k = 0; k < kKeys; ++k) {
    std::uint64_t v = k;
    (void)(*map)->sys_update(&k, &v, 0);
  }
  return *map;
}

Map &hash_map() {
  static auto map = make_map(MapType::Hash);
  return *map;
}

Map &array_map() {
  static auto map = make_map(MapType::Array);
  return *map;
}

void run_map(benchmark::State &state, Map &map) {
  ExecutionSlot slot{static_cast<std::uint32_t>(state.thread_index())};
  const auto &order = key_order();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 997;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    EpochDomain::Guard guard(map.epochs(), slot);
    for (int n = 0; n < kLookupsPerRun; ++n) {
      std::uint32_t key = order[i++ % order.size()];
      auto *value = static_cast<const std::uint64_t *>(map.lookup(&key, slot));
      sum += value != nullptr ? *value : 0;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * kLookupsPerRun);
}

void BM_MapHashLookup(benchmark::State &state) { run_map(state, hash_map()); }
void BM_MapArrayLookup(benchmark::State &state) { run_map(state, array_map()); }

struct Baseline {
  std::shared_mutex mutex;
  std::unordered_map<std::uint32_t, std::uint64_t> map;
  Baseline() {
    for (std::uint32_t k = 0; k < kKeys; ++k)
      map[k] = k;
  }
};

void BM_BaselineSharedMutexLookup(benchmark::State &state) {
  static Baseline baseline;
  const auto &order = key_order();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 997;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    for (int n = 0; n < kLookupsPerRun; ++n) {
      std::uint32_t key = order[i++ % order.size()];
      std::shared_lock<std::shared_mutex> lock(baseline.mutex);
      auto it = baseline.map.find(key);
      sum += it != baseline.map.end() ? it->second : 0;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * kLookupsPerRun);
}

BENCHMARK(BM_MapHashLookup)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_MapArrayLookup)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_BaselineSharedMutexLookup)->Threads(1)->Threads(2)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
