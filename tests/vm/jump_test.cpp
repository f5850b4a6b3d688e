// Conditional jumps (64 and 32 bits, imm and reg, signed and unsigned) and
// the unconditional forms ja and gotol (RFC 9669 §4.3).
#include <gtest/gtest.h>

#include <cstdint>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::JumpCond;

constexpr uint64_t kMax = ~uint64_t{0};

// r1 = a, r2 = b; r0 = 1 if the jump "r1 <cond> (r2 | imm)" is taken.
struct JumpCase {
  const char *name;
  JumpCond cond;
  bool is32;
  uint64_t a;
  isa::Operand b; // Reg 2 (holding b_value) or an immediate
  uint64_t b_value;
  bool taken;
};

const JumpCase kCases[] = {
    {"jeq reg", JumpCond::Eq, false, 5, R(2), 5, true},
    {"jeq reg not", JumpCond::Eq, false, 5, R(2), 6, false},
    {"jeq imm sign-extends", JumpCond::Eq, false, kMax, I(-1), 0, true},
    {"jeq32 ignores upper", JumpCond::Eq, true, 0x100000005, R(2), 0x200000005,
     true},
    {"jeq32 imm", JumpCond::Eq, true, 0xffffffff, I(-1), 0, true},
    {"jne reg", JumpCond::Ne, false, 5, R(2), 6, true},
    {"jne imm not", JumpCond::Ne, false, 5, I(5), 0, false},
    {"jne32 ignores upper", JumpCond::Ne, true, 0x100000005, I(5), 0, false},
    {"jgt unsigned", JumpCond::Gt, false, kMax, I(1), 0, true},
    {"jgt equal", JumpCond::Gt, false, 1, R(2), 1, false},
    {"jgt32 ignores upper", JumpCond::Gt, true, 0x100000001, R(2), 2, false},
    {"jge equal", JumpCond::Ge, false, 7, I(7), 0, true},
    {"jge less", JumpCond::Ge, false, 6, R(2), 7, false},
    {"jge32", JumpCond::Ge, true, 0xffffffff, I(-1), 0, true},
    {"jlt unsigned", JumpCond::Lt, false, 1, I(-1), 0, true},
    {"jlt not", JumpCond::Lt, false, 2, R(2), 1, false},
    {"jlt32", JumpCond::Lt, true, 0x100000001, R(2), 2, true},
    {"jle equal", JumpCond::Le, false, 3, R(2), 3, true},
    {"jle32 not", JumpCond::Le, true, 4, I(3), 0, false},
    {"jset", JumpCond::Set, false, 0x6, I(0x2), 0, true},
    {"jset not", JumpCond::Set, false, 0x6, R(2), 0x9, false},
    {"jset upper bits", JumpCond::Set, false, 0x100000000, R(2), 0x100000000,
     true},
    {"jset32 ignores upper", JumpCond::Set, true, 0x100000000, R(2),
     0x100000000, false},
    {"jsgt signed", JumpCond::SGt, false, 1, I(-1), 0, true},
    {"jsgt negative", JumpCond::SGt, false, kMax, R(2), 0, false},
    {"jsgt32 signed", JumpCond::SGt, true, 0x7fffffff, R(2), 0x80000000, true},
    {"jsgt32 upper ignored", JumpCond::SGt, true, 0x0000000180000000, I(0), 0,
     false},
    {"jsge equal", JumpCond::SGe, false, kMax, I(-1), 0, true},
    {"jsge32", JumpCond::SGe, true, 0x80000000, I(-1), 0, false},
    {"jslt signed", JumpCond::SLt, false, kMax, I(0), 0, true},
    {"jslt not", JumpCond::SLt, false, 0, R(2), kMax, false},
    {"jslt32", JumpCond::SLt, true, 0x80000000, I(0), 0, true},
    {"jsle equal", JumpCond::SLe, false, 5, R(2), 5, true},
    {"jsle32 not", JumpCond::SLe, true, 1, I(-1), 0, false},
    {"jsle32 upper ignored", JumpCond::SLe, true, 0xffffffff00000001, I(1), 0,
     true},
};

TEST(VmJump, EveryCondition) {
  for (const JumpCase &c : kCases) {
    SCOPED_TRACE(c.name);
    const Outcome out = run_all({lddw(1, c.a), lddw(2, c.b_value),
                                 mov64(0, I(0)), jmp(c.cond, 1, c.b, 1, c.is32),
                                 exit_insn(), mov64(0, I(1)), exit_insn()});
    EXPECT_EQ(out.r0, c.taken ? 1u : 0u) << out.error;
  }
}

TEST(VmJump, Unconditional) {
  struct Case {
    const char *name;
    std::vector<Insn> program;
    uint64_t expected;
  };
  const Insn gotol = isa::Jump{JumpCond::Always, true, reg(0), I(0), 1};
  const Case cases[] = {
      {"ja forward", {mov64(0, I(1)), ja(1), mov64(0, I(2)), exit_insn()}, 1},
      {"ja zero", {mov64(0, I(1)), ja(0), exit_insn()}, 1},
      {"gotol forward",
       {mov64(0, I(1)), gotol, mov64(0, I(2)), exit_insn()},
       1},
      {"ja backward loop",
       {mov64(0, I(0)), mov64(1, I(10)), alu64(isa::AluOp::Add, 0, I(3)),
        alu64(isa::AluOp::Sub, 1, I(1)), jmp(JumpCond::Eq, 1, I(0), 1), ja(-4),
        exit_insn()},
       30},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(run_all(c.program).r0, c.expected);
  }
}

// A gotol over more slots than a 16-bit offset reaches.
TEST(VmJump, LongGotol) {
  std::vector<Insn> program{
      mov64(0, I(7)), isa::Jump{JumpCond::Always, true, reg(0), I(0), 40000}};
  program.insert(program.end(), 40000, mov64(0, I(1)));
  program.push_back(exit_insn());
  const Outcome out = run_all(program);
  EXPECT_EQ(out.r0, 7u);
  EXPECT_EQ(out.executed, 3u);
}

// A loop that runs many times, and the instruction count it reports.
TEST(VmJump, CountsLoopInstructions) {
  const Outcome out =
      run_all({mov64(0, I(0)), mov64(1, I(1000)),
               alu64(isa::AluOp::Add, 0, R(1)), alu64(isa::AluOp::Sub, 1, I(1)),
               jmp(JumpCond::Ne, 1, I(0), -3), exit_insn()});
  EXPECT_EQ(out.r0, 500500u);
  EXPECT_EQ(out.executed, 2u + 3u * 1000u + 1u);
}

} // namespace
} // namespace bpfhost::vm::test
