// Input the assemblers accept beyond what the disassembler prints (PREVAIL's,
// LLVM's and the corpus's variants, labels, comments, listings), shown by the
// canonical text each one disassembles to.
#include <gtest/gtest.h>

#include "isa/asm_parse.hpp"
#include "isa/disasm.hpp"

namespace bpfhost::isa {
namespace {

constexpr Syntax C = Syntax::Conformance;
constexpr Syntax B = Syntax::Bpftool;

struct Variant {
  const char *name;
  Syntax syntax;
  const char *input;
  const char *canonical; // disassemble(assemble(input)) in the same syntax
};

const Variant kVariants[] = {
    // conformance: the corpus's aliases and spellings
    {"64 suffix", C, "add64 %r1, 2", "add %r1, 2\n"},
    {"lock 64 suffix", C, "lock add64 [%r1+0], %r2", "lock add [%r1+0], %r2\n"},
    {"swap alias", C, "swap16 %r0", "bswap16 %r0\n"},
    {"callx spelled out", C, "callx %r2", "call %r2\n"},
    {"call runtime", C, "call runtime 5", "call btf 5\n"},
    {"call helper", C, "call helper 5", "call 5\n"},
    {"hex imm pattern", C, "mov %r1, 0xfffffffe", "mov %r1, -2\n"},
    {"min imm", C, "jslt %r1, -2147483648, +0", "jslt %r1, -2147483648, +0\n"},
    {"memory without offset", C, "ldxw %r0, [%r1]", "ldxw %r0, [%r1+0]\n"},
    {"memory hex and spaces", C, "ldxw %r0, [ %r1 + 0x10 ]",
     "ldxw %r0, [%r1+16]\n"},
    {"unsigned jump offset", C, "ja 2", "ja +2\n"},
    {"decimal lddw", C, "lddw %r0, 2147483648", "lddw %r0, 0x80000000\n"},
    {"negative lddw", C, "lddw %r0, -1", "lddw %r0, 0xffffffffffffffff\n"},
    {"comments", C, "# header\nmov %r0, 1 # why\n; semi\n// slashes\nexit",
     "mov %r0, 1\nexit\n"},
    {"labels", C, "L1:\nja L2\nL2: mov %r0, 0\nja L1",
     "ja +0\nmov %r0, 0\nja -3\n"},
    {"implicit exit label", C, "jeq %r1, 1, exit\nmov %r0, 1\nexit\nexit",
     "jeq %r1, 1, +1\nmov %r0, 1\nexit\nexit\n"},
    {"explicit exit label wins", C, "ja exit\nexit\nexit:\nexit",
     "ja +1\nexit\nexit\n"},
    {"call local label", C, "call local f\nexit\nf:\nexit",
     "call local +1\nexit\nexit\n"},
    {"subprog label", C, "lddw %r1, subprog[f]\nexit\nf:\nexit",
     "lddw %r1, subprog[+2]\nexit\nexit\n"}, // relative to pc + 1, as the
                                             // kernel
    {"ja32 label", C, "ja32 L\nexit\nL:\nexit",
     "ja32 +1\nexit\n"
     "exit\n"},
    {"listing", C, "   0: mov %r0, 0\n   1: exit", "mov %r0, 0\nexit\n"},
    // bpftool: PREVAIL's variants
    {"spaced offset", B, "r0 = *(u32 *)(r1 + 4)", "r0 = *(u32 *)(r1 +4)\n"},
    {"spaced negative offset", B, "*(u64 *)(r10 - 8) = r1",
     "*(u64 *)(r10 -8) = r1\n"},
    {"no offset", B, "r0 = *(u8 *)(r1)", "r0 = *(u8 *)(r1 +0)\n"},
    {"fetch suffix", B, "lock *(u32 *)(r2 + 0) += r1 fetch",
     "r1 = atomic_fetch_add((u32 *)(r2 +0), r1)\n"},
    {"x=", B, "lock *(u64 *)(r2 + 4) x= r1",
     "r1 = atomic64_xchg((u64 *)(r2 +4), r1)\n"},
    {"cx=", B, "lock *(u32 *)(r2 + 4) cx= r1",
     "r0 = atomic_cmpxchg((u32 *)(r2 +4), r0, r1)\n"},
    {"swap16", B, "r0 = swap16 r0", "r0 = bswap16 r0\n"},
    {"negative ll", B, "r1 = -9223372036854775807ll",
     "r1 = 0x8000000000000001 ll\n"},
    {"max ll", B, "r1 = 18446744073709551615ll",
     "r1 = 0xffffffffffffffff ll\n"},
    {"hex ll", B, "r1 = 0xffffffffffffffffll", "r1 = 0xffffffffffffffff ll\n"},
    {"s8=", B, "r1 s8= r2", "r1 = (s8)r2\n"},
    {"s16= 32-bit", B, "w1 s16= w2", "w1 = (s16)w2\n"},
    {"&==", B, "if r1 &== 0 goto +0", "if r1 & 0x0 goto pc+0\n"},
    {"spaced neg", B, "r0 = - r0", "r0 = -r0\n"},
    {"no spaces", B, "r1=r2", "r1 = r2\n"},
    {"negative mov", B, "r0 = -5", "r0 = -5\n"},
    {"negative hex mov", B, "w0 = -0x10", "w0 = -16\n"},
    {"32-bit op, 64-bit source", B, "w1 <<= r2", "w1 <<= w2\n"},
    {"32-bit mov of r", B, "w2 = r1", "w2 = w1\n"},
    {"32-bit compare with r", B, "if w1 > r2 goto +0",
     "if w1 > w2 goto pc+0\n"},
    {"unsigned decimal imm", B, "w0 = 4194435072", "w0 = -100532224\n"},
    {"callx", B, "callx r2; bpf_get_stack", "callx r2\n"},
    {"helper comment", B, "call 1; bpf_map_lookup_elem", "call 1\n"},
    {"map_fd", B, "r1 = map_fd 1", "r1 = map[fd:1]\n"},
    {"map_val", B, "r2 = map_val(1) + 8", "r2 = map[fd:1][0]+8\n"},
    {"skb index only", B, "r0 = *(u16 *)skb[r2]", "r0 = *(u16 *)skb[r2 + 0]\n"},
    {"skb negative", B, "r0 = *(u16 *)skb[r2 + -4]",
     "r0 = *(u16 *)skb[r2 + -4]\n"},
    {"trailing semicolon", B, "r0 += 1;", "r0 += 1\n"},
    {"hash comment", B, "# a comment\nexit", "exit\n"},
    {"labels", B, "<start>: r0 = 1\ngoto <out>\nr0 = 2\n<out>:\nexit",
     "r0 = 1\ngoto pc+1\nr0 = 2\nexit\n"},
    {"call label", B, "call <sub>\nexit\n<sub>:\nexit",
     "call pc+1\nexit\nexit\n"},
    {"bare labels", B, "goto out\nout:\nexit", "goto pc+0\nexit\n"},
    // bpftool: the kernel's and LLVM's spellings
    {"helper name", B, "call bpf_map_lookup_elem#1", "call 1\n"},
    {"unknown helper", B, "call unknown#300", "call 300\n"},
    {"kfunc", B, "call kfunc#7", "call kernel-function#7\n"},
    {"llvm goto", B, "goto +3\ngoto -1", "goto pc+3\ngoto pc-1\n"},
    {"spaced ll", B, "r0 = 5 ll", "r0 = 0x5 ll\n"},
    {"decimal jump imm", B, "if r1 s< -1 goto pc+0",
     "if r1 s< 0xffffffff goto pc+0\n"},
    {"verifier log line", B, "0: (b7) r0 = 1  ; R0_w=1\n1: (95) exit",
     "r0 = 1\nexit\n"},
    {"gotol label", B, "gotol <l>\n<l>: exit", "gotol pc+0\nexit\n"},
    {"crlf", B, "r0 = 1\r\nexit\r\n", "r0 = 1\nexit\n"},
};

TEST(AssembleSyntax, AcceptedVariants) {
  for (const Variant &v : kVariants) {
    SCOPED_TRACE(v.name);
    auto slots = assemble(v.input, v.syntax);
    ASSERT_TRUE(slots.ok()) << v.input << ": " << slots.error().to_string();
    EXPECT_EQ(disassemble(*slots, v.syntax), v.canonical) << v.input;
  }
}

TEST(AssembleSyntax, EmptyTextIsAnEmptyProgram) {
  for (Syntax syntax : {C, B}) {
    auto slots = assemble("\n  # nothing\n", syntax);
    ASSERT_TRUE(slots.ok());
    EXPECT_TRUE(slots->empty());
  }
}

} // namespace
} // namespace bpfhost::isa
