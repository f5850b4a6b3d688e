// Every ALU operation, both widths and operand kinds, with the ISA's edge
// cases (RFC 9669 §4.1-4.2): division by zero, INT_MIN / -1, shift masking,
// zero extension of 32-bit results, sign-extending moves, byte swaps.
#include <gtest/gtest.h>

#include <cstdint>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::AluOp;

constexpr uint64_t kMax = ~uint64_t{0};
constexpr uint64_t kMin64 = uint64_t{1} << 63;
constexpr uint64_t kMin32 = uint64_t{1} << 31;
constexpr uint64_t kPattern = 0x1122334455667788;

Insn neg(int dst, bool is64) { return isa::Neg{reg(dst), is64}; }
Insn endian(isa::ByteOrder order, int bits) {
  return isa::Endian{order, reg(1), static_cast<uint8_t>(bits)};
}
uint64_t neg_of(uint64_t v) { return uint64_t{0} - v; }

// The program: r1 = a, r2 = b, then `op` (which works on r1), r0 = r1.
struct AluCase {
  const char *name;
  uint64_t a;
  uint64_t b;
  Insn op;
  uint64_t expected;
};

const AluCase kCases[] = {
    {"add64 reg", 1, 2, alu64(AluOp::Add, 1, R(2)), 3},
    {"add64 reg wraps", kMax, 1, alu64(AluOp::Add, 1, R(2)), 0},
    {"add64 imm sign-extends", 5, 0, alu64(AluOp::Add, 1, I(-1)), 4},
    {"add64 self", 21, 0, alu64(AluOp::Add, 1, R(1)), 42},
    {"add32 reg wraps", 0xffffffff, 1, alu32(AluOp::Add, 1, R(2)), 0},
    {"add32 imm clears upper", 0x100000005, 0, alu32(AluOp::Add, 1, I(1)), 6},
    {"sub64 reg", 0, 1, alu64(AluOp::Sub, 1, R(2)), kMax},
    {"sub64 imm", 10, 0, alu64(AluOp::Sub, 1, I(3)), 7},
    {"sub32 reg", 0, 1, alu32(AluOp::Sub, 1, R(2)), 0xffffffff},
    {"sub32 imm", 0x100000000, 0, alu32(AluOp::Sub, 1, I(1)), 0xffffffff},
    {"mul64 reg", 6, 7, alu64(AluOp::Mul, 1, R(2)), 42},
    {"mul64 intmin by -1", kMin64, 0, alu64(AluOp::Mul, 1, I(-1)), kMin64},
    {"mul32 reg overflow", 0x40000000, 4, alu32(AluOp::Mul, 1, R(2)), 0},
    {"mul32 intmin by -1", kMin32, 0, alu32(AluOp::Mul, 1, I(-1)), kMin32},
    {"div64 reg", 10, 3, alu64(AluOp::Div, 1, R(2)), 3},
    {"div64 by zero reg", 10, 0, alu64(AluOp::Div, 1, R(2)), 0},
    {"div64 by zero imm", 10, 0, alu64(AluOp::Div, 1, I(0)), 0},
    {"div64 negative imm is unsigned", kMax, 0, alu64(AluOp::Div, 1, I(-1)), 1},
    {"div32 reg high divisor", 0x10, 0x100000002, alu32(AluOp::Div, 1, R(2)),
     8},
    {"div32 by zero", 0x100000010, 0, alu32(AluOp::Div, 1, R(2)), 0},
    {"div32 imm", 0xfffffffe, 0, alu32(AluOp::Div, 1, I(2)), 0x7fffffff},
    {"sdiv64 reg", neg_of(10), 3, alu64(AluOp::SDiv, 1, R(2)), neg_of(3)},
    {"sdiv64 imm", neg_of(7), 0, alu64(AluOp::SDiv, 1, I(-2)), 3},
    {"sdiv64 intmin by -1", kMin64, kMax, alu64(AluOp::SDiv, 1, R(2)), kMin64},
    {"sdiv64 by zero", neg_of(7), 0, alu64(AluOp::SDiv, 1, I(0)), 0},
    {"sdiv32 reg", 0xfffffff6, 3, alu32(AluOp::SDiv, 1, R(2)), 0xfffffffd},
    {"sdiv32 intmin by -1", kMin32, 0, alu32(AluOp::SDiv, 1, I(-1)), kMin32},
    {"sdiv32 by zero", 0xfffffff6, 0x100000000, alu32(AluOp::SDiv, 1, R(2)), 0},
    {"mod64 reg", 10, 3, alu64(AluOp::Mod, 1, R(2)), 1},
    {"mod64 by zero keeps dst", kPattern, 0, alu64(AluOp::Mod, 1, R(2)),
     kPattern},
    {"mod64 imm", 10, 0, alu64(AluOp::Mod, 1, I(4)), 2},
    {"mod32 by zero keeps low half", 0x100000007, 0, alu32(AluOp::Mod, 1, R(2)),
     7},
    {"mod32 imm", 0x100000007, 0, alu32(AluOp::Mod, 1, I(4)), 3},
    {"smod64 neg by pos", neg_of(10), 3, alu64(AluOp::SMod, 1, R(2)), kMax},
    {"smod64 pos by neg", 10, neg_of(3), alu64(AluOp::SMod, 1, R(2)), 1},
    {"smod64 intmin by -1", kMin64, 0, alu64(AluOp::SMod, 1, I(-1)), 0},
    {"smod64 by zero", neg_of(7), 0, alu64(AluOp::SMod, 1, I(0)), neg_of(7)},
    {"smod32 neg by neg", 0xfffffff6, 0, alu32(AluOp::SMod, 1, I(-3)),
     0xffffffff},
    {"smod32 intmin by -1", kMin32, kMax, alu32(AluOp::SMod, 1, R(2)), 0},
    {"smod32 by zero", 0xaafffffff9, 0, alu32(AluOp::SMod, 1, R(2)),
     0xfffffff9},
    {"or64", 0xf0, 0x0f, alu64(AluOp::Or, 1, R(2)), 0xff},
    {"or64 imm sign-extends", 0, 0, alu64(AluOp::Or, 1, I(-16)), neg_of(16)},
    {"or32", 0x1000000f0, 0, alu32(AluOp::Or, 1, I(0x0f)), 0xff},
    {"and64", 0xff0, 0x0ff, alu64(AluOp::And, 1, R(2)), 0x0f0},
    {"and32", kMax, 0, alu32(AluOp::And, 1, I(-1)), 0xffffffff},
    {"xor64", 0xff, 0x0f, alu64(AluOp::Xor, 1, R(2)), 0xf0},
    {"xor64 self", kPattern, 0, alu64(AluOp::Xor, 1, R(1)), 0},
    {"xor32", kMax, 1, alu32(AluOp::Xor, 1, R(2)), 0xfffffffe},
    {"lsh64 by 63", 1, 63, alu64(AluOp::Lsh, 1, R(2)), kMin64},
    {"lsh64 by 64 masks to 0", 1, 64, alu64(AluOp::Lsh, 1, R(2)), 1},
    {"lsh64 by 65 masks to 1", 1, 65, alu64(AluOp::Lsh, 1, R(2)), 2},
    {"lsh64 imm by 70", 1, 0, alu64(AluOp::Lsh, 1, I(70)), 64},
    {"lsh64 by -1 masks to 63", 1, kMax, alu64(AluOp::Lsh, 1, R(2)), kMin64},
    {"lsh32 by 31", 1, 0, alu32(AluOp::Lsh, 1, I(31)), kMin32},
    {"lsh32 by 32 masks to 0", 1, 32, alu32(AluOp::Lsh, 1, R(2)), 1},
    {"lsh32 by 33 clears upper", 0x80000001, 33, alu32(AluOp::Lsh, 1, R(2)), 2},
    {"rsh64 by 63", kMin64, 63, alu64(AluOp::Rsh, 1, R(2)), 1},
    {"rsh64 by 64 masks to 0", kPattern, 0, alu64(AluOp::Rsh, 1, I(64)),
     kPattern},
    {"rsh32 ignores upper", 0xffffffff80000000, 31, alu32(AluOp::Rsh, 1, R(2)),
     1},
    {"rsh32 by 32 masks to 0", 0xaa12345678, 0, alu32(AluOp::Rsh, 1, I(32)),
     0x12345678},
    {"arsh64 by 63", kMin64, 0, alu64(AluOp::Arsh, 1, I(63)), kMax},
    {"arsh64 by 64 masks to 0", kMin64, 64, alu64(AluOp::Arsh, 1, R(2)),
     kMin64},
    {"arsh64 positive", 0x100, 4, alu64(AluOp::Arsh, 1, R(2)), 0x10},
    {"arsh32 by 31", kMin32, 31, alu32(AluOp::Arsh, 1, R(2)), 0xffffffff},
    {"arsh32 by 32 masks to 0", 0x180000000, 0, alu32(AluOp::Arsh, 1, I(32)),
     kMin32},
    {"arsh32 by 1 is 32-bit", 0x80000000, 0, alu32(AluOp::Arsh, 1, I(1)),
     0xc0000000},
    {"mov64 imm sign-extends", 0, 0, mov64(1, I(-1)), kMax},
    {"mov64 reg", 0, kPattern, mov64(1, R(2)), kPattern},
    {"mov32 imm", kPattern, 0, alu32(AluOp::Mov, 1, I(-1)), 0xffffffff},
    {"mov32 reg", 0, kPattern, alu32(AluOp::Mov, 1, R(2)), 0x55667788},
    {"movsx8 64", 0, 0x1280, alu64(AluOp::MovSx8, 1, R(2)), 0xffffffffffffff80},
    {"movsx8 64 positive", 0, 0x17f, alu64(AluOp::MovSx8, 1, R(2)), 0x7f},
    {"movsx16 64", 0, 0x18000, alu64(AluOp::MovSx16, 1, R(2)),
     0xffffffffffff8000},
    {"movsx32 64", 0, 0x180000000, alu64(AluOp::MovSx32, 1, R(2)),
     0xffffffff80000000},
    {"movsx8 32", kMax, 0x80, alu32(AluOp::MovSx8, 1, R(2)), 0xffffff80},
    {"movsx16 32", kMax, 0x8000, alu32(AluOp::MovSx16, 1, R(2)), 0xffff8000},
    {"movsx16 32 positive", kMax, 0xf7fff, alu32(AluOp::MovSx16, 1, R(2)),
     0x7fff},
    {"neg64", 1, 0, neg(1, true), kMax},
    {"neg64 intmin", kMin64, 0, neg(1, true), kMin64},
    {"neg32", 1, 0, neg(1, false), 0xffffffff},
    {"neg32 intmin", 0xff80000000, 0, neg(1, false), kMin32},
    {"le16", kPattern, 0, endian(isa::ByteOrder::ToLittle, 16), 0x7788},
    {"le32", kPattern, 0, endian(isa::ByteOrder::ToLittle, 32), 0x55667788},
    {"le64", kPattern, 0, endian(isa::ByteOrder::ToLittle, 64), kPattern},
    {"be16", kPattern, 0, endian(isa::ByteOrder::ToBig, 16), 0x8877},
    {"be32", kPattern, 0, endian(isa::ByteOrder::ToBig, 32), 0x88776655},
    {"be64", kPattern, 0, endian(isa::ByteOrder::ToBig, 64),
     0x8877665544332211},
    {"bswap16", kPattern, 0, endian(isa::ByteOrder::Swap, 16), 0x8877},
    {"bswap32", kPattern, 0, endian(isa::ByteOrder::Swap, 32), 0x88776655},
    {"bswap64", kPattern, 0, endian(isa::ByteOrder::Swap, 64),
     0x8877665544332211},
};

TEST(VmAlu, EveryOperation) {
  for (const AluCase &c : kCases) {
    SCOPED_TRACE(c.name);
    const Outcome out = run_all(
        {lddw(1, c.a), lddw(2, c.b), c.op, mov64(0, R(1)), exit_insn()});
    EXPECT_EQ(out.r0, c.expected) << out.error;
  }
}

// The same cases with r1 first copied from r3, so that the loader merges
// "mov r1, r3" with the operation where it can (run_all compares fused and
// unfused runs).
TEST(VmAlu, EveryOperationAfterMov) {
  for (const AluCase &c : kCases) {
    SCOPED_TRACE(c.name);
    const Outcome out =
        run_all({lddw(3, c.a), lddw(2, c.b), lddw(1, 0xdead), mov64(1, R(3)),
                 c.op, mov64(0, R(1)), exit_insn()});
    EXPECT_EQ(out.r0, c.expected) << out.error;
    EXPECT_EQ(out.executed, 7u); // lddw counts once; a fused pair twice
  }
}

// Merging "mov" with the next ALU step must keep each instruction's meaning.
TEST(VmAlu, FusedPairs) {
  struct Case {
    const char *name;
    std::vector<Insn> program;
    uint64_t expected;
  };
  const Case cases[] = {
      {"mov32 then alu64 sees the zero extension",
       {lddw(2, kMax), alu32(AluOp::Mov, 0, R(2)), alu64(AluOp::Add, 0, I(1)),
        exit_insn()},
       0x100000000},
      {"mov64 then alu32 uses the low half",
       {lddw(2, kMax), mov64(0, R(2)), alu32(AluOp::Add, 0, I(1)), exit_insn()},
       0},
      {"second instruction is a jump target",
       {mov64(0, I(5)), mov64(1, I(1)), jmp(isa::JumpCond::Eq, 1, I(1), 1),
        mov64(0, R(1)), alu64(AluOp::Add, 0, I(10)), exit_insn()},
       15},
      {"mov then movsx is not merged",
       {mov64(2, I(0x80)), mov64(0, R(2)), alu64(AluOp::MovSx8, 0, R(0)),
        exit_insn()},
       0xffffffffffffff80},
      {"source register overwritten by the pair",
       {mov64(1, I(3)), mov64(1, R(1)), alu64(AluOp::Mul, 1, R(1)),
        mov64(0, R(1)), exit_insn()},
       9},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(run_all(c.program).r0, c.expected);
  }
}

} // namespace
} // namespace bpfhost::vm::test
