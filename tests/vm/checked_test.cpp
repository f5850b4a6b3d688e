// Checked mode: accesses outside the stack frames and the registered regions,
// misaligned atomics and runaway programs end the run with an exact error.
#include <gtest/gtest.h>

#include <cstdint>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::AluOp;
using isa::AtomicOp;
using isa::JumpCond;
using isa::Width;

// The region the tests register: 16 bytes, read-only unless `writable`.
alignas(16) uint8_t g_region[16];
const std::string kRegion =
    "[" + hex_of(g_region) + ", " + hex_of(g_region + sizeof g_region) + ")";

struct FaultCase {
  const char *name;
  std::vector<Insn> program; // r1 = the region
  bool writable;
  std::string error;
};

const FaultCase kCases[] = {
    {"read below the stack frame",
     {ldx(Width::DW, 0, 10, -520), exit_insn()},
     false,
     "insn 0: invalid read of 8 bytes at fp-520: stack overflow (below the "
     "512-byte stack frame)"},
    {"write below a small frame through a returned pointer",
     {st(Width::DW, 10, -16, I(0)), call_local(3), st(Width::DW, 0, 0, I(1)),
      mov64(0, I(0)), exit_insn(), /* slot 5 */ mov64(0, R(10)),
      alu64(AluOp::Add, 0, I(-8)), exit_insn()},
     false,
     "insn 2: invalid write of 8 bytes at fp-24: stack overflow (below the "
     "16-byte stack frame)"},
    {"read at fp",
     {ldx(Width::DW, 0, 10, 0), exit_insn()},
     false,
     "insn 0: invalid read of 8 bytes at fp+0: stack underflow (above the top "
     "of the stack)"},
    {"read across the top of the stack",
     {ldx(Width::DW, 0, 10, -4), exit_insn()},
     false,
     "insn 0: invalid read of 8 bytes at fp-4: stack underflow (above the top "
     "of the stack)"},
    {"write to a read-only region",
     {st(Width::W, 1, 4, I(1)), mov64(0, I(0)), exit_insn()},
     false,
     "insn 0: invalid write of 4 bytes at " + hex_of(g_region + 4) +
         ": region " + kRegion + " is read-only"},
    {"read past the end of a region",
     {ldx(Width::DW, 0, 1, 12), exit_insn()},
     true,
     "insn 0: invalid read of 8 bytes at " + hex_of(g_region + 12) +
         ": not inside region " + kRegion},
    {"read before a region",
     {ldx(Width::B, 0, 1, -1), exit_insn()},
     true,
     "insn 0: invalid read of 1 byte at " +
         hex_of(reinterpret_cast<uintptr_t>(g_region) - 1) +
         ": outside the stack and every memory region"},
    {"null pointer",
     {mov64(2, I(0)), ldx(Width::W, 0, 2, 0), exit_insn()},
     true,
     "insn 1: invalid read of 4 bytes at 0x0: outside the stack and every "
     "memory region"},
    {"address wraps around",
     {mov64(2, I(-1)), ldx(Width::DW, 0, 2, 0), exit_insn()},
     true,
     "insn 1: invalid read of 8 bytes at 0xffffffffffffffff: outside the stack "
     "and every memory region"},
    {"atomic on a read-only region",
     {mov64(2, I(1)), atomic(AtomicOp::Add, false, Width::DW, 1, 0, 2),
      mov64(0, I(0)), exit_insn()},
     false,
     "insn 1: invalid write of 8 bytes at " + hex_of(g_region) + ": region " +
         kRegion + " is read-only"},
    {"misaligned atomic",
     {st(Width::DW, 10, -16, I(0)), mov64(2, I(1)),
      atomic(AtomicOp::Add, false, Width::DW, 10, -12, 2), mov64(0, I(0)),
      exit_insn()},
     true,
     "insn 2: misaligned atomic access of 8 bytes at fp-12 (the address must "
     "be a multiple of 8)"},
    {"misaligned atomic32",
     {mov64(2, I(1)), atomic(AtomicOp::Xchg, true, Width::W, 1, 2, 2),
      mov64(0, I(0)), exit_insn()},
     true,
     "insn 1: misaligned atomic access of 4 bytes at " + hex_of(g_region + 2) +
         " (the address must be a multiple of 4)"},
};

TEST(VmChecked, Faults) {
  for (const FaultCase &c : kCases) {
    SCOPED_TRACE(c.name);
    const MemoryRegion region{reinterpret_cast<uintptr_t>(g_region),
                              sizeof g_region, c.writable};
    auto program = Program::load(encode(c.program));
    ASSERT_TRUE(program) << program.error().to_string();
    RunEnv env;
    env.r1 = region.start;
    env.regions = {&region, 1};
    auto r = run(*program, env);
    ASSERT_FALSE(r) << "r0 = " << *r;
    EXPECT_EQ(r.error().to_string(), c.error);
  }
}

TEST(VmChecked, AccessesInsideRegionsPass) {
  std::vector<uint8_t> mem(16, 0);
  const Outcome out = run_all({st(Width::DW, 1, 8, I(7)),
                               ldx(Width::DW, 0, 1, 8), ldx(Width::B, 2, 1, 15),
                               st(Width::DW, 10, -512, I(1)), exit_insn()},
                              {.memory = &mem});
  EXPECT_EQ(out.r0, 7u) << out.error;
}

TEST(VmChecked, FaultCodes) {
  auto program = Program::load(encode({ldx(Width::DW, 0, 10, 0), exit_insn()}));
  ASSERT_TRUE(program);
  auto r = run(*program, RunEnv{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Unsafe);
  EXPECT_EQ(r.error().location, "insn 0");
}

// A program that never ends stops at the budget; one that needs exactly the
// budget completes.
TEST(VmChecked, InstructionBudget) {
  struct Case {
    const char *name;
    std::vector<Insn> program;
    uint64_t budget;
    std::optional<uint64_t> r0;
    std::string error;
    uint64_t executed;
  };
  const std::vector<Insn> loop10 = {
      mov64(0, I(0)),
      mov64(1, I(10)),
      alu64(AluOp::Add, 0, I(1)),
      alu64(AluOp::Sub, 1, I(1)),
      jmp(JumpCond::Ne, 1, I(0), -3),
      exit_insn()}; // 2 + 30 + 1 = 33 instructions
  const Case cases[] = {
      {"endless loop",
       {mov64(0, I(0)), ja(-1)},
       1000,
       std::nullopt,
       "insn 1: instruction budget of 1000 exhausted",
       1000},
      {"exactly the budget", loop10, 33, 10, "", 33},
      {"one short", loop10, 32, std::nullopt,
       "insn 5: instruction budget of 32 exhausted", 32},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    for (bool fuse : {true, false}) {
      const Outcome out = run_once(encode(c.program), MemoryMode::Checked, fuse,
                                   true, {.insn_budget = c.budget});
      EXPECT_EQ(out.r0, c.r0);
      EXPECT_EQ(out.error, c.error);
      EXPECT_EQ(out.executed, c.executed);
    }
  }
}

// Unchecked runs ignore the budget (verified programs terminate).
TEST(VmChecked, UncheckedIgnoresBudget) {
  const Outcome out = run_once(
      encode({mov64(0, I(0)), mov64(1, I(100)), alu64(AluOp::Sub, 1, I(1)),
              jmp(JumpCond::Ne, 1, I(0), -2), exit_insn()}),
      MemoryMode::Unchecked, true, true, {.insn_budget = 10});
  EXPECT_EQ(out.r0, 0u) << out.error;
  EXPECT_EQ(out.executed, 203u);
}

} // namespace
} // namespace bpfhost::vm::test
