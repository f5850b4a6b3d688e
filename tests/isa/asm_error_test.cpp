// Assembler errors: exact messages, one case per line (STYLE.md §5, §6).
#include <gtest/gtest.h>

#include "isa/asm_parse.hpp"

namespace bpfhost::isa {
namespace {

constexpr Syntax C = Syntax::Conformance;
constexpr Syntax B = Syntax::Bpftool;

struct ErrorCase {
  const char *name;
  Syntax syntax;
  const char *text;
  const char *expected; // Error::to_string()
};

const ErrorCase kCases[] = {
    // conformance syntax
    {"unknown mnemonic", C, "mov %r0, 1\nexit\nfoo %r1",
     "line 3: unknown mnemonic 'foo'"},
    {"unknown lock op", C, "lock nand [%r1+0], %r2",
     "line 1: unknown mnemonic 'lock nand'"},
    {"bare lock", C, "exit\nlock", "line 2: lock: invalid number of operands"},
    {"lock without op", C, "lock [%r10-8], %r1",
     "line 1: lock: expected an atomic operation, found '[%r10-8]'"},
    {"lock one operand", C, "lock or [%r10-8]",
     "line 1: lock or: invalid number of operands (expected 2, found 1)"},
    {"too many operands", C, "add %r1, %r2, %r3",
     "line 1: add: invalid number of operands (expected 2, found 3)"},
    {"no operands", C, "neg",
     "line 1: neg: invalid number of operands (expected 1, found 0)"},
    {"empty operand", C, "add %r1, , 2", "line 1: add: empty operand"},
    {"imm32 hex", C, "\n\n\n\nmov %r0, 0x1ffffffff",
     "line 5: immediate 0x1ffffffff out of range for 32 bits"},
    {"imm32 dec", C, "mov32 %r0, 2147483648",
     "line 1: immediate 2147483648 out of range for 32 bits"},
    {"imm32 neg", C, "mov32 %r0, -2147483649",
     "line 1: immediate -2147483649 out of range for 32 bits"},
    {"imm64", C, "lddw %r0, 0x10000000000000000",
     "line 1: immediate 0x10000000000000000 out of range for 64 bits"},
    {"imm64 neg", C, "lddw %r0, -9223372036854775809",
     "line 1: immediate -9223372036854775809 out of range for 64 bits"},
    {"undefined label", C, "ja L1\nL1:\nja L1\nexit\nja L9",
     "line 5: undefined label 'L9'"},
    {"duplicate label", C, "L1:\nexit\nL1:\nexit",
     "line 3: duplicate label 'L1' (first defined on line 1)"},
    {"register r11", C, "\n\n\n\n\n\nmov %r11, 1",
     "line 7: invalid register '%r11'"},
    {"register name", C, "mov %x1, 1", "line 1: invalid register '%x1'"},
    {"register leading zero", C, "mov %r01, 1",
     "line 1: invalid register '%r01'"},
    {"mem offset", C, "ldxw %r0, [%r1+40000]",
     "line 1: offset 40000 out of range"},
    {"jump offset", C, "ja +40000", "line 1: offset +40000 out of range"},
    {"memory expected", C, "stxw %r1, %r2",
     "line 1: stxw: expected a memory operand like [%r1+0], found '%r1'"},
    {"immediate expected", C, "add %r1, [%r2+0]",
     "line 1: expected an immediate, found '[%r2+0]'"},
    {"trailing text", C, "mov %r0, 1 2", "line 1: mov: unexpected '2'"},
    {"64 suffix on 32-bit op", C, "exit64",
     "line 1: unknown mnemonic 'exit64'"},
    {"forward label is fine", C, "ja far\nfar:\nexit", ""},
    {"lddw pseudo", C, "lddw %r1, map[fd:x]",
     "line 1: expected an immediate, found 'x]'"},
    // bpftool syntax
    {"unrecognised", B, "r0 = 1\nfoo bar",
     "line 2: unrecognised instruction 'foo bar'"},
    {"register r11", B, "\n\n\n\n\n\nr11 = 1",
     "line 7: invalid register 'r11'"},
    {"imm32", B, "r0 = 0x1ffffffff",
     "line 1: immediate 0x1ffffffff out of range for 32 bits"},
    {"offset", B, "r0 = *(u32 *)(r1 +40000)",
     "line 1: offset 40000 out of range"},
    {"goto range", B, "goto pc+40000", "line 1: offset 40000 out of range"},
    {"undefined label", B, "goto <out>", "line 1: undefined label 'out'"},
    {"imm32 unsigned decimal", B, "r0 = 4294967296",
     "line 1: immediate 4294967296 out of range for 32 bits"},
    {"assume", B, "assume r1 > 0",
     "line 1: 'assume' is a PREVAIL verifier statement, not an instruction"},
    {"nset", B, "if r1 &!= 0 goto pc+0",
     "line 1: '&!=' (jump if no bit is set) has no eBPF encoding"},
    {"packet dst", B, "r1 = *(u8 *)skb[12]",
     "line 1: packet loads write r0, found 'r1'"},
    {"packet size", B, "r0 = *(u64 *)skb[12]",
     "line 1: packet loads are u8, u16 or u32, found u64"},
    {"atomic size", B, "lock *(u16 *)(r1 +0) += r2",
     "line 1: atomic operations are on u32 or u64, found u16"},
    {"atomic fn size", B, "r1 = atomic64_fetch_add((u32 *)(r2 +0), r1)",
     "line 1: atomic64_fetch_add takes (u64 *), found (u32 *)"},
    {"atomic fn reg", B, "r1 = atomic_fetch_add((u32 *)(r2 +0), r3)",
     "line 1: atomic_fetch_add returns the old value in its operand register "
     "'r3', not 'r1'"},
    {"cmpxchg r0", B, "r1 = atomic_cmpxchg((u32 *)(r2 +0), r0, r3)",
     "line 1: atomic_cmpxchg compares with and writes r0"},
    {"signed store", B, "*(s32 *)(r1 +0) = 1",
     "line 1: stores take an unsigned size, found s32"},
    {"access size", B, "r0 = *(u24 *)(r1 +0)",
     "line 1: unknown access size 'u24'"},
    {"neg in place", B, "r0 = -r1",
     "line 1: negation is in place: write 'r0 = -r0'"},
    {"endian in place", B, "r0 = be16 r1",
     "line 1: be16 converts a register in place: write 'r0 = be16 r0'"},
    {"movsx imm", B, "r0 s8= 5",
     "line 1: sign extension takes a register, found '5'"},
    {"lddw needs r", B, "w0 = 1 ll",
     "line 1: expected a 64-bit register, found 'w0'"},
    {"missing goto", B, "if r1 > 0 pc+1",
     "line 1: expected 'goto', found 'pc+1'"},
    {"listing index", B, "   0: r0 = 0\n   2: exit",
     "line 2: listing index 2 does not match slot 1"},
    {"trailing", B, "exit now",
     "line 1: after the instruction: unexpected 'now'"},
};

TEST(AssembleErrors, ExactMessages) {
  for (const ErrorCase &c : kCases) {
    SCOPED_TRACE(c.name);
    auto slots = assemble(c.text, c.syntax);
    if (*c.expected == '\0') {
      EXPECT_TRUE(slots.ok()) << slots.error().to_string();
      continue;
    }
    ASSERT_FALSE(slots.ok()) << c.text;
    EXPECT_EQ(slots.error().to_string(), c.expected);
    EXPECT_EQ(slots.error().code, ErrorCode::InvalidInput);
  }
}

TEST(AssembleErrors, LabelOutOfRange) {
  std::string text = "ja far\n";
  for (int i = 0; i < 40000; ++i)
    text += "exit\n";
  text += "far:\nexit\n";
  auto slots = assemble(text, Syntax::Conformance);
  ASSERT_FALSE(slots.ok());
  EXPECT_EQ(slots.error().to_string(),
            "line 1: jump to label 'far' out of range (offset 40000)");
  text.replace(0, 2, "ja32");
  EXPECT_TRUE(assemble(text, Syntax::Conformance).ok());
}

} // namespace
} // namespace bpfhost::isa
