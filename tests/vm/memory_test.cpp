// Loads and stores of every width (with and without sign extension), atomics
// (RFC 9669 §5.3), and the legacy packet loads LD_ABS / LD_IND.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <thread>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::AtomicOp;
using isa::Width;

uint64_t word(const std::vector<uint8_t> &mem, size_t at) {
  uint64_t v;
  std::memcpy(&v, mem.data() + at, sizeof v);
  return v;
}

// r1 points at 16 bytes: 88 99 aa bb cc dd ee ff 11 22 33 44 55 66 77 80.
struct LoadStoreCase {
  const char *name;
  std::vector<Insn> program;
  uint64_t expected_r0;
  uint64_t expected_word0; // the first 8 bytes after the run
};

const LoadStoreCase kLoadStoreCases[] = {
    {"ldxb", {ldx(Width::B, 0, 1, 0), exit_insn()}, 0x88, 0xffeeddccbbaa9988},
    {"ldxh", {ldx(Width::H, 0, 1, 0), exit_insn()}, 0x9988, 0xffeeddccbbaa9988},
    {"ldxw",
     {ldx(Width::W, 0, 1, 0), exit_insn()},
     0xbbaa9988,
     0xffeeddccbbaa9988},
    {"ldxdw",
     {ldx(Width::DW, 0, 1, 0), exit_insn()},
     0xffeeddccbbaa9988,
     0xffeeddccbbaa9988},
    {"ldxb offset",
     {ldx(Width::B, 0, 1, 9), exit_insn()},
     0x22,
     0xffeeddccbbaa9988},
    {"ldxh unaligned",
     {ldx(Width::H, 0, 1, 3), exit_insn()},
     0xccbb,
     0xffeeddccbbaa9988},
    {"ldxdw negative offset",
     {mov64(2, R(1)), alu64(isa::AluOp::Add, 2, I(8)), ldx(Width::DW, 0, 2, -8),
      exit_insn()},
     0xffeeddccbbaa9988,
     0xffeeddccbbaa9988},
    {"ldxsb negative",
     {ldx(Width::B, 0, 1, 0, true), exit_insn()},
     0xffffffffffffff88,
     0xffeeddccbbaa9988},
    {"ldxsb positive",
     {ldx(Width::B, 0, 1, 8, true), exit_insn()},
     0x11,
     0xffeeddccbbaa9988},
    {"ldxsh negative",
     {ldx(Width::H, 0, 1, 0, true), exit_insn()},
     0xffffffffffff9988,
     0xffeeddccbbaa9988},
    {"ldxsh positive",
     {ldx(Width::H, 0, 1, 8, true), exit_insn()},
     0x2211,
     0xffeeddccbbaa9988},
    {"ldxsw negative",
     {ldx(Width::W, 0, 1, 0, true), exit_insn()},
     0xffffffffbbaa9988,
     0xffeeddccbbaa9988},
    {"ldxsw positive",
     {ldx(Width::W, 0, 1, 8, true), exit_insn()},
     0x44332211,
     0xffeeddccbbaa9988},
    {"ldxsw into same register",
     {ldx(Width::W, 1, 1, 0, true), mov64(0, R(1)), exit_insn()},
     0xffffffffbbaa9988,
     0xffeeddccbbaa9988},
    {"stb imm truncates",
     {st(Width::B, 1, 1, I(0x1ff)), mov64(0, I(0)), exit_insn()},
     0,
     0xffeeddccbbaaff88},
    {"sth imm",
     {st(Width::H, 1, 2, I(0x1234)), mov64(0, I(0)), exit_insn()},
     0,
     0xffeeddcc12349988},
    {"stw imm",
     {st(Width::W, 1, 4, I(-1)), mov64(0, I(0)), exit_insn()},
     0,
     0xffffffffbbaa9988},
    {"stdw imm sign-extends",
     {st(Width::DW, 1, 0, I(-2)), mov64(0, I(0)), exit_insn()},
     0,
     0xfffffffffffffffe},
    {"stxb",
     {lddw(2, 0x1122334455667701), st(Width::B, 1, 7, R(2)), mov64(0, I(0)),
      exit_insn()},
     0,
     0x01eeddccbbaa9988},
    {"stxh",
     {lddw(2, 0x1122334455667701), st(Width::H, 1, 0, R(2)), mov64(0, I(0)),
      exit_insn()},
     0,
     0xffeeddccbbaa7701},
    {"stxw",
     {lddw(2, 0x1122334455667701), st(Width::W, 1, 0, R(2)), mov64(0, I(0)),
      exit_insn()},
     0,
     0xffeeddcc55667701},
    {"stxdw",
     {lddw(2, 0x1122334455667701), st(Width::DW, 1, 0, R(2)), mov64(0, I(0)),
      exit_insn()},
     0,
     0x1122334455667701},
    {"store then load through the stack",
     {lddw(2, 0x0102030405060708), st(Width::DW, 10, -8, R(2)),
      ldx(Width::W, 0, 10, -4), exit_insn()},
     0x01020304,
     0xffeeddccbbaa9988},
    {"stack byte by byte",
     {st(Width::B, 10, -1, I(0xab)), st(Width::B, 10, -2, I(0xcd)),
      ldx(Width::H, 0, 10, -2), exit_insn()},
     0xabcd,
     0xffeeddccbbaa9988},
};

std::vector<uint8_t> sample_memory() {
  return {0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
          0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x80};
}

TEST(VmMemory, LoadsAndStores) {
  for (const LoadStoreCase &c : kLoadStoreCases) {
    SCOPED_TRACE(c.name);
    std::vector<uint8_t> mem = sample_memory();
    const Outcome out = run_all(c.program, {.memory = &mem});
    EXPECT_EQ(out.r0, c.expected_r0) << out.error;
    EXPECT_EQ(word(mem, 0), c.expected_word0);
  }
}

// Memory word 0 starts as `initial`, r2 as `src`, r0 as `r0`; after the
// atomic, the program stores r0 and r2 in words 1 and 2.
struct AtomicCase {
  const char *name;
  AtomicOp op;
  bool fetch;
  Width width;
  uint64_t initial, src, r0;
  uint64_t expected_mem, expected_src, expected_r0;
};

constexpr uint64_t kHigh = 0xaaaaaaaa00000000;

const AtomicCase kAtomicCases[] = {
    {"add", AtomicOp::Add, false, Width::DW, 0x10, 3, 7, 0x13, 3, 7},
    {"fetch add", AtomicOp::Add, true, Width::DW, 0x10, 3, 7, 0x13, 0x10, 7},
    {"or", AtomicOp::Or, false, Width::DW, 0xf0, 0x0f, 7, 0xff, 0x0f, 7},
    {"fetch or", AtomicOp::Or, true, Width::DW, 0xf0, 0x0f, 7, 0xff, 0xf0, 7},
    {"and", AtomicOp::And, false, Width::DW, 0xf0, 0x3c, 7, 0x30, 0x3c, 7},
    {"fetch and", AtomicOp::And, true, Width::DW, 0xf0, 0x3c, 7, 0x30, 0xf0, 7},
    {"xor", AtomicOp::Xor, false, Width::DW, 0xff, 0x0f, 7, 0xf0, 0x0f, 7},
    {"fetch xor", AtomicOp::Xor, true, Width::DW, 0xff, 0x0f, 7, 0xf0, 0xff, 7},
    {"xchg", AtomicOp::Xchg, true, Width::DW, 0x10, 0x20, 7, 0x20, 0x10, 7},
    {"cmpxchg match", AtomicOp::CmpXchg, true, Width::DW, 0x10, 0x20, 0x10,
     0x20, 0x20, 0x10},
    {"cmpxchg mismatch", AtomicOp::CmpXchg, true, Width::DW, 0x10, 0x20, 0x11,
     0x10, 0x20, 0x10},
    {"add32 no carry into upper", AtomicOp::Add, false, Width::W,
     kHigh | 0xffffffff, 1, 7, kHigh, 1, 7},
    {"fetch add32 zero-extends", AtomicOp::Add, true, Width::W,
     kHigh | 0xffffffff, 1, 7, kHigh, 0xffffffff, 7},
    {"add32 ignores src upper", AtomicOp::Add, false, Width::W, kHigh | 5,
     0xffffffff00000001, 7, kHigh | 6, 0xffffffff00000001, 7},
    {"or32", AtomicOp::Or, false, Width::W, kHigh | 0xf0, 0x0f, 7, kHigh | 0xff,
     0x0f, 7},
    {"fetch or32", AtomicOp::Or, true, Width::W, kHigh | 0xf0, 0x0f, 7,
     kHigh | 0xff, 0xf0, 7},
    {"and32", AtomicOp::And, false, Width::W, kHigh | 0xf0, 0x3c, 7,
     kHigh | 0x30, 0x3c, 7},
    {"fetch and32", AtomicOp::And, true, Width::W, kHigh | 0xf0, 0x3c, 7,
     kHigh | 0x30, 0xf0, 7},
    {"xor32", AtomicOp::Xor, false, Width::W, kHigh | 0xff, 0x0f, 7,
     kHigh | 0xf0, 0x0f, 7},
    {"fetch xor32", AtomicOp::Xor, true, Width::W, kHigh | 0xff, 0x0f, 7,
     kHigh | 0xf0, 0xff, 7},
    {"xchg32", AtomicOp::Xchg, true, Width::W, kHigh | 0x11111111,
     0xbbbbbbbb22222222, 7, kHigh | 0x22222222, 0x11111111, 7},
    {"cmpxchg32 match ignores r0 upper", AtomicOp::CmpXchg, true, Width::W,
     kHigh | 0x11111111, 0x22222222, 0xffffffff11111111, kHigh | 0x22222222,
     0x22222222, 0x11111111},
    {"cmpxchg32 mismatch", AtomicOp::CmpXchg, true, Width::W,
     kHigh | 0x11111111, 0x22222222, 0x11111112, kHigh | 0x11111111, 0x22222222,
     0x11111111},
};

TEST(VmMemory, Atomics) {
  for (const AtomicCase &c : kAtomicCases) {
    SCOPED_TRACE(c.name);
    std::vector<uint8_t> mem(24, 0);
    const Outcome out =
        run_all({lddw(3, c.initial), st(Width::DW, 1, 0, R(3)), lddw(2, c.src),
                 lddw(0, c.r0), atomic(c.op, c.fetch, c.width, 1, 0, 2),
                 st(Width::DW, 1, 8, R(0)), st(Width::DW, 1, 16, R(2)),
                 mov64(0, I(0)), exit_insn()},
                {.memory = &mem});
    EXPECT_EQ(out.r0, 0u) << out.error;
    EXPECT_EQ(word(mem, 0), c.expected_mem);
    EXPECT_EQ(word(mem, 8), c.expected_r0);
    EXPECT_EQ(word(mem, 16), c.expected_src);
  }
}

TEST(VmMemory, AtomicOnStack) {
  const Outcome out =
      run_all({st(Width::DW, 10, -8, I(40)), mov64(1, I(2)),
               atomic(AtomicOp::Add, true, Width::DW, 10, -8, 1),
               ldx(Width::DW, 0, 10, -8), alu64(isa::AluOp::Add, 0, R(1)),
               exit_insn()});
  EXPECT_EQ(out.r0, 82u); // 42 in memory + the fetched 40
}

// Programs on several threads add to one counter: the atomics must be real.
TEST(VmMemory, AtomicsAreAtomicAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kIterations = 20000;
  auto program = Program::load(encode(
      {mov64(2, I(kIterations)), mov64(3, I(1)),
       atomic(AtomicOp::Add, false, Width::DW, 1, 0, 3), mov64(4, I(1)),
       atomic(AtomicOp::Add, true, Width::W, 1, 8, 4),
       alu64(isa::AluOp::Sub, 2, I(1)), jmp(isa::JumpCond::Ne, 2, I(0), -5),
       mov64(0, I(0)), exit_insn()}));
  ASSERT_TRUE(program) << program.error().to_string();
  alignas(8) uint64_t counters[2] = {0, 0};
  const MemoryRegion region{reinterpret_cast<uintptr_t>(counters),
                            sizeof counters, true};
  for (MemoryMode mode : {MemoryMode::Checked, MemoryMode::Unchecked}) {
    counters[0] = counters[1] = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        RunEnv env;
        env.mode = mode;
        env.r1 = region.start;
        env.regions = {&region, 1};
        auto r = run(*program, env);
        EXPECT_TRUE(r) << r.error().to_string();
      });
    }
    for (std::thread &t : threads)
      t.join();
    EXPECT_EQ(counters[0], uint64_t{kThreads} * kIterations);
    EXPECT_EQ(counters[1], uint64_t{kThreads} * kIterations);
  }
}

// LD_ABS / LD_IND read the packet in network byte order; out of bounds ends
// the program with r0 = 0.
TEST(VmMemory, PacketLoads) {
  const Insn ind_b = isa::PacketLoad{Width::B, reg(7), 1};
  struct Case {
    const char *name;
    Insn load;
    uint64_t index; // r7
    uint64_t expected;
  };
  const Case cases[] = {
      {"abs b", isa::PacketLoad{Width::B, std::nullopt, 1}, 0, 0x22},
      {"abs h", isa::PacketLoad{Width::H, std::nullopt, 0}, 0, 0x1122},
      {"abs w", isa::PacketLoad{Width::W, std::nullopt, 2}, 0, 0x33445566},
      {"abs w last bytes", isa::PacketLoad{Width::W, std::nullopt, 4}, 0,
       0x55667788},
      {"abs w past end", isa::PacketLoad{Width::W, std::nullopt, 5}, 0, 0},
      {"abs negative", isa::PacketLoad{Width::B, std::nullopt, -1}, 0, 0},
      {"abs far", isa::PacketLoad{Width::B, std::nullopt, 0x7fffffff}, 0, 0},
      {"ind b", ind_b, 2, 0x44},
      {"ind h", isa::PacketLoad{Width::H, reg(7), 0}, 6, 0x7788},
      {"ind w", isa::PacketLoad{Width::W, reg(7), -2}, 3, 0x22334455},
      {"ind past end", ind_b, 7, 0},
      {"ind wraps to negative", ind_b, 0xfffffffe, 0},
      {"ind uses 32-bit sum", ind_b, 0x100000000, 0x22},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    // 99 marks "the program went on after an out-of-bounds load".
    const Outcome out = run_all(
        {lddw(7, c.index), mov64(6, R(1)), c.load,
         jmp(isa::JumpCond::Ne, 0, I(0), 1), mov64(0, I(99)), exit_insn()},
        {.packet = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}});
    EXPECT_EQ(out.r0, c.expected) << out.error;
  }
}

// Out of bounds inside a called function still ends the whole program.
TEST(VmMemory, PacketLoadOutOfBoundsInCallee) {
  const Outcome out =
      run_all({mov64(0, I(5)), call_local(2), mov64(0, I(99)), exit_insn(),
               isa::PacketLoad{Width::W, std::nullopt, 100}, exit_insn()},
              {.packet = {1, 2, 3, 4}});
  EXPECT_EQ(out.r0, 0u) << out.error;
  EXPECT_EQ(out.executed, 3u);
}

} // namespace
} // namespace bpfhost::vm::test
