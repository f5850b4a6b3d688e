// Interpreter speed against native code on the same workloads, in one run:
// an ALU loop (xorshift + sum, 50,000 rounds) and an Ethernet/IPv4/UDP parse
// with FNV-1a over 64- and 1500-byte frames. Each BPF workload reports the
// instructions one run executes (counted by an instrumented run) and the time
// per executed instruction; scripts/bench.sh turns the JSON into ratios.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "isa/asm_parse.hpp"
#include "native_workloads.hpp"
#include "vm/vm.hpp"

namespace {

using namespace bpfhost;

vm::Program load_workload(const char *file) {
  const std::string path = std::string(BPFHOST_BENCH_DIR) + "/workloads/" + file;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto slots = isa::assemble(text.str(), isa::Syntax::Conformance);
  if (!slots) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), slots.error().to_string().c_str());
    std::exit(2);
  }
  auto program = vm::Program::load(*slots);
  if (!program) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), program.error().to_string().c_str());
    std::exit(2);
  }
  return std::move(program).value();
}

// An Ethernet/IPv4/UDP frame of `size` bytes with a deterministic payload.
std::vector<uint8_t> udp_frame(size_t size) {
  std::vector<uint8_t> f(size);
  f[12] = 0x08; // EtherType IPv4
  f[13] = 0x00;
  f[14] = 0x45; // version 4, IHL 5
  f[23] = 17;   // UDP
  for (size_t i = 26; i < 34; ++i)
    f[i] = static_cast<uint8_t>(i * 7); // addresses
  for (size_t i = 42; i < size; ++i)
    f[i] = static_cast<uint8_t>(i * 31 + 1);
  return f;
}

// Runs the program once in unchecked mode with counting on, so the counters
// report what one run executes.
uint64_t executed_per_run(const vm::Program &program, vm::RunEnv env) {
  uint64_t count = 0;
  env.executed_count = &count;
  (void)vm::run(program, env);
  return count;
}

void run_bpf(benchmark::State &state, const vm::Program &program,
             vm::RunEnv env, uint64_t expected) {
  const uint64_t insns = executed_per_run(program, env);
  for (auto _ : state) {
    auto r0 = vm::run(program, env);
    benchmark::DoNotOptimize(r0);
    if (!r0 || *r0 != expected) {
      state.SkipWithError("interpreter result differs from native");
      return;
    }
  }
  state.counters["insns_per_run"] = static_cast<double>(insns);
  // Executed instructions per second; scripts/bench.sh prints ns/insn.
  state.counters["insn_rate"] = benchmark::Counter(
      static_cast<double>(insns) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

const uint64_t kSeed = 0x9e3779b97f4a7c15;

void BM_Xorshift_Native(benchmark::State &state) {
  const uint64_t *seed = &kSeed;
  for (auto _ : state) {
    benchmark::DoNotOptimize(seed);
    benchmark::DoNotOptimize(bench::native_xorshift_loop(seed));
  }
}

void BM_Xorshift_Interpreter(benchmark::State &state, vm::MemoryMode mode) {
  static const vm::Program program = load_workload("xorshift_loop.s");
  uint64_t seed = kSeed;
  const vm::MemoryRegion region{reinterpret_cast<uint64_t>(&seed), sizeof seed, false};
  vm::RunEnv env;
  env.mode = mode;
  env.r1 = region.start;
  env.regions = {&region, 1};
  run_bpf(state, program, env, bench::native_xorshift_loop(&seed));
}

void BM_UdpHash_Native(benchmark::State &state) {
  const auto frame = udp_frame(static_cast<size_t>(state.range(0)));
  const uint8_t *data = frame.data();
  for (auto _ : state) {
    benchmark::DoNotOptimize(data);
    benchmark::DoNotOptimize(bench::native_udp_hash(data, frame.size()));
  }
}

void BM_UdpHash_Interpreter(benchmark::State &state, vm::MemoryMode mode) {
  static const vm::Program program = load_workload("udp_hash.s");
  auto frame = udp_frame(static_cast<size_t>(state.range(0)));
  const vm::MemoryRegion region{reinterpret_cast<uint64_t>(frame.data()),
                                frame.size(), true};
  vm::RunEnv env;
  env.mode = mode;
  env.r1 = region.start;
  env.r2 = frame.size();
  env.regions = {&region, 1};
  const uint64_t expected = bench::native_udp_hash(frame.data(), frame.size());
  if (expected == 0) {
    state.SkipWithError("frame was rejected by the native parser");
    return;
  }
  run_bpf(state, program, env, expected);
}

BENCHMARK(BM_Xorshift_Native);
BENCHMARK_CAPTURE(BM_Xorshift_Interpreter, unchecked, vm::MemoryMode::Unchecked);
BENCHMARK_CAPTURE(BM_Xorshift_Interpreter, checked, vm::MemoryMode::Checked);
BENCHMARK(BM_UdpHash_Native)->Arg(64)->Arg(1500);
BENCHMARK_CAPTURE(BM_UdpHash_Interpreter, unchecked, vm::MemoryMode::Unchecked)
    ->Arg(64)
    ->Arg(1500);
BENCHMARK_CAPTURE(BM_UdpHash_Interpreter, checked, vm::MemoryMode::Checked)
    ->Arg(64)
    ->Arg(1500);

} // namespace

BENCHMARK_MAIN();
