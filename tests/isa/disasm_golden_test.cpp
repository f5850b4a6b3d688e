// The exact text a user sees for one instruction in each syntax, and that the
// text assembles back to the same encoding.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "isa/asm_parse.hpp"
#include "isa/disasm.hpp"
#include "isa/encode.hpp"

namespace bpfhost::isa {
namespace {

struct Golden {
  const char *name;
  Insn insn;
  const char *conformance;
  const char *bpftool;
};

const Reg r0{0}, r1{1}, r2{2}, r10{10};

const Golden kGolden[] = {
    {"mov32 imm", Alu{AluOp::Mov, r0, Imm{0}, false}, "mov32 %r0, 0", "w0 = 0"},
    {"mov imm", Alu{AluOp::Mov, r0, Imm{1}, true}, "mov %r0, 1", "r0 = 1"},
    {"add reg", Alu{AluOp::Add, r1, r2, true}, "add %r1, %r2", "r1 += r2"},
    {"add imm neg", Alu{AluOp::Add, r2, Imm{-4}, true}, "add %r2, -4",
     "r2 += -4"},
    {"sdiv32 imm", Alu{AluOp::SDiv, r0, Imm{3}, false}, "sdiv32 %r0, 3",
     "w0 s/= 3"},
    {"smod reg", Alu{AluOp::SMod, r0, r1, true}, "smod %r0, %r1", "r0 s%= r1"},
    {"arsh imm", Alu{AluOp::Arsh, r0, Imm{3}, true}, "arsh %r0, 3",
     "r0 s>>= 3"},
    {"movsx832", Alu{AluOp::MovSx8, r0, r1, false}, "movsx832 %r0, %r1",
     "w0 = (s8)w1"},
    {"movsx1664", Alu{AluOp::MovSx16, r0, r1, true}, "movsx1664 %r0, %r1",
     "r0 = (s16)r1"},
    {"neg", Neg{r0, true}, "neg %r0", "r0 = -r0"},
    {"neg32", Neg{r0, false}, "neg32 %r0", "w0 = -w0"},
    {"be16", Endian{ByteOrder::ToBig, r0, 16}, "be16 %r0", "r0 = be16 r0"},
    {"le32", Endian{ByteOrder::ToLittle, r0, 32}, "le32 %r0", "r0 = le32 r0"},
    {"bswap64", Endian{ByteOrder::Swap, r0, 64}, "bswap64 %r0",
     "r0 = bswap64 r0"},
    {"ldxdw", Load{r0, r1, 2, Width::DW, false}, "ldxdw %r0, [%r1+2]",
     "r0 = *(u64 *)(r1 +2)"},
    {"ldxw off 0", Load{r1, r1, 0, Width::W, false}, "ldxw %r1, [%r1+0]",
     "r1 = *(u32 *)(r1 +0)"},
    {"ldxsb", Load{r0, r1, 2, Width::B, true}, "ldxsb %r0, [%r1+2]",
     "r0 = *(s8 *)(r1 +2)"},
    {"stxw", Store{r10, -4, Width::W, r1}, "stxw [%r10-4], %r1",
     "*(u32 *)(r10 -4) = r1"},
    {"stw", Store{r1, 8, Width::W, Imm{5}}, "stw [%r1+8], 5",
     "*(u32 *)(r1 +8) = 5"},
    {"lock add", Atomic{AtomicOp::Add, false, Width::DW, r10, -8, r1},
     "lock add [%r10-8], %r1", "lock *(u64 *)(r10 -8) += r1"},
    {"lock fetch add32", Atomic{AtomicOp::Add, true, Width::W, r10, -4, r1},
     "lock fetch add32 [%r10-4], %r1",
     "r1 = atomic_fetch_add((u32 *)(r10 -4), r1)"},
    {"lock fetch or", Atomic{AtomicOp::Or, true, Width::DW, r10, -8, r2},
     "lock fetch or [%r10-8], %r2",
     "r2 = atomic64_fetch_or((u64 *)(r10 -8), r2)"},
    {"lock xchg32", Atomic{AtomicOp::Xchg, true, Width::W, r10, -4, r1},
     "lock xchg32 [%r10-4], %r1", "r1 = atomic_xchg((u32 *)(r10 -4), r1)"},
    {"lock cmpxchg", Atomic{AtomicOp::CmpXchg, true, Width::DW, r10, -8, r1},
     "lock cmpxchg [%r10-8], %r1",
     "r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)"},
    {"jeq imm", Jump{JumpCond::Eq, false, r1, Imm{5}, 3}, "jeq %r1, 5, +3",
     "if r1 == 0x5 goto pc+3"},
    {"jgt imm neg", Jump{JumpCond::Gt, false, r1, Imm{-1}, 0},
     "jgt %r1, -1, +0", "if r1 > 0xffffffff goto pc+0"},
    {"jslt32 reg", Jump{JumpCond::SLt, true, r1, r2, -2}, "jslt32 %r1, %r2, -2",
     "if w1 s< w2 goto pc-2"},
    {"jset", Jump{JumpCond::Set, false, r1, Imm{8}, 1}, "jset %r1, 8, +1",
     "if r1 & 0x8 goto pc+1"},
    {"ja", Jump{JumpCond::Always, false, Reg{}, Imm{}, 1}, "ja +1",
     "goto pc+1"},
    {"ja32", Jump{JumpCond::Always, true, Reg{}, Imm{}, 100}, "ja32 +100",
     "gotol pc+100"},
    {"call helper", Call{5}, "call 5", "call 5"},
    {"call local", CallLocal{3}, "call local +3", "call pc+3"},
    {"call btf", CallBtf{7, 0}, "call btf 7", "call kernel-function#7"},
    {"call btf module", CallBtf{7, 2}, "call btf 7, 2",
     "call kernel-function#7 module 2"},
    {"callx", CallX{r2}, "call %r2", "callx r2"},
    {"exit", Exit{}, "exit", "exit"},
    {"lddw", LoadImm64{r0, LddwKind::Imm, 0x55667788, 0x11223344},
     "lddw %r0, 0x1122334455667788", "r0 = 0x1122334455667788 ll"},
    {"lddw map fd", LoadImm64{r1, LddwKind::MapFd, 3, 0}, "lddw %r1, map[fd:3]",
     "r1 = map[fd:3]"},
    {"lddw map value", LoadImm64{r1, LddwKind::MapValue, 3, 8},
     "lddw %r1, map[fd:3][0]+8", "r1 = map[fd:3][0]+8"},
    {"lddw btf id", LoadImm64{r1, LddwKind::BtfId, 5, 0}, "lddw %r1, btf[id:5]",
     "r1 = btf[id:5]"},
    {"lddw func", LoadImm64{r1, LddwKind::Func, -2, 0}, "lddw %r1, subprog[-2]",
     "r1 = subprog[-2]"},
    {"lddw map idx", LoadImm64{r1, LddwKind::MapIdx, 0, 0},
     "lddw %r1, map[idx:0]", "r1 = map[idx:0]"},
    {"lddw map idx value", LoadImm64{r1, LddwKind::MapIdxValue, 1, -4},
     "lddw %r1, map[idx:1][0]-4", "r1 = map[idx:1][0]-4"},
    {"lddw map fd stray imm", LoadImm64{r1, LddwKind::MapFd, 3, 7},
     "lddw %r1, map[fd:3]+7", "r1 = map[fd:3]+7"},
    {"ldabsw", PacketLoad{Width::W, std::nullopt, 12}, "ldabsw 12",
     "r0 = *(u32 *)skb[12]"},
    {"ldindh", PacketLoad{Width::H, r2, 4}, "ldindh %r2, 4",
     "r0 = *(u16 *)skb[r2 + 4]"},
};

TEST(DisassembleGolden, BothSyntaxes) {
  for (const Golden &g : kGolden) {
    SCOPED_TRACE(g.name);
    EXPECT_EQ(disassemble(g.insn, Syntax::Conformance), g.conformance);
    EXPECT_EQ(disassemble(g.insn, Syntax::Bpftool), g.bpftool);
    std::vector<RawInsn> expected;
    encode(g.insn, expected);
    for (auto [syntax, text] : {std::pair{Syntax::Conformance, g.conformance},
                                std::pair{Syntax::Bpftool, g.bpftool}}) {
      auto slots = assemble(text, syntax);
      ASSERT_TRUE(slots.ok()) << text << ": " << slots.error().to_string();
      EXPECT_EQ(*slots, expected) << text;
    }
  }
}

const std::vector<RawInsn> kProgram = {
    RawInsn::make(0xb7, 0, 0, 0, 0), // r0 = 0
    RawInsn::make(0x18, 1, 1, 0, 3), // r1 = map[fd:3]
    RawInsn::make(0x00, 0, 0, 0, 0), //   (second slot)
    RawInsn::make(0x85, 0, 0, 0, 1), // call 1
    RawInsn::make(0x95, 0, 0, 0, 0), // exit
};

TEST(DisassembleGolden, Listings) {
  EXPECT_EQ(disassemble(kProgram, Syntax::Bpftool),
            "r0 = 0\nr1 = map[fd:3]\ncall 1\nexit\n");
  EXPECT_EQ(disassemble_listing(kProgram, Syntax::Bpftool),
            "   0: r0 = 0\n   1: r1 = map[fd:3]\n   3: call 1\n   4: exit\n");
  EXPECT_EQ(disassemble_listing(kProgram, Syntax::Bpftool, {true}),
            "   0: (b7) r0 = 0\n   1: (18) r1 = map[fd:3]\n   3: (85) call 1\n"
            "   4: (95) exit\n");
  EXPECT_EQ(disassemble_listing(kProgram, Syntax::Conformance),
            "   0: mov %r0, 0\n   1: lddw %r1, map[fd:3]\n   3: call 1\n"
            "   4: exit\n");
}

TEST(DisassembleGolden, UndecodableSlotsAreMarkedAndSkipped) {
  const std::vector<RawInsn> slots = {RawInsn::make(0x07, 0, 0, 1, 1),
                                      RawInsn::make(0x95, 0, 0, 0, 0)};
  EXPECT_EQ(disassemble(slots, Syntax::Bpftool),
            "<invalid: offset is 1, must be 0 for add>\nexit\n");
}

} // namespace
} // namespace bpfhost::isa
