// Decoder and validator error cases: each names the instruction and the fault.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "isa/decode.hpp"
#include "isa/encode.hpp"
#include "isa/validate.hpp"

namespace bpfhost::isa {
namespace {

const RawInsn kExit = RawInsn::make(0x95, 0, 0, 0, 0);
const RawInsn kMovR0 = RawInsn::make(0xb7, 0, 0, 0, 1); // r0 = 1

struct BadProgram {
  const char *name;
  std::vector<RawInsn> slots;
  const char *expected; // Error::to_string()
};

TEST(Validate, RejectsMalformedPrograms) {
  const BadProgram rows[] = {
      {"empty", {}, "program has no instructions"},
      {"unknown opcode", {RawInsn::make(0x8c, 0, 0, 0, 0), kExit},
       "insn 0: unknown opcode 0x8c"},
      {"nonzero src on imm form", {kMovR0, RawInsn::make(0x04, 0, 1, 0, 1), kExit},
       "insn 1: src_reg is 1, must be 0 for add32"},
      {"nonzero imm on reg form", {RawInsn::make(0x0f, 0, 1, 0, 7), kExit},
       "insn 0: imm is 7, must be 0 for add"},
      {"nonzero offset", {RawInsn::make(0x07, 0, 0, 3, 1), kExit},
       "insn 0: offset is 3, must be 0 for add"},
      {"bad movsx width", {RawInsn::make(0xbf, 0, 1, 4, 0), kExit},
       "insn 0: invalid encoding of opcode 0xbf (src_reg 1, offset 4, imm 0)"},
      {"bad register", {RawInsn::make(0xb7, 11, 0, 0, 1), kExit},
       "insn 0: invalid dst_reg r11"},
      {"bad src register", {RawInsn::make(0xbf, 0, 12, 0, 0), kExit},
       "insn 0: invalid src_reg r12"},
      {"write r10", {RawInsn::make(0xb7, 10, 0, 0, 1), kExit},
       "insn 0: writes r10, the read-only frame pointer"},
      {"fetch into r10",
       {RawInsn::make(0xdb, 1, 10, 0, kAtomicAdd | kAtomicFetch), kExit},
       "insn 0: writes r10, the read-only frame pointer"},
      {"jump past end", {RawInsn::make(0x05, 0, 0, 5, 0), kExit},
       "insn 0: jump target 6 is outside the program (0..1)"},
      {"jump before start", {kMovR0, RawInsn::make(0x05, 0, 0, -3, 0), kExit},
       "insn 1: jump target -1 is outside the program (0..2)"},
      {"jump into lddw",
       {RawInsn::make(0x05, 0, 0, 1, 0), RawInsn::make(0x18, 0, 0, 0, 1),
        RawInsn::make(0, 0, 0, 0, 2), kExit},
       "insn 0: jump target 2 is the second slot of an lddw"},
      {"local call past end", {RawInsn::make(0x85, 0, 1, 0, 9), kExit},
       "insn 0: jump target 10 is outside the program (0..1)"},
      {"lddw truncated", {kMovR0, RawInsn::make(0x18, 0, 0, 0, 1)},
       "insn 1: lddw is missing its second slot"},
      {"lddw bad second slot",
       {RawInsn::make(0x18, 0, 0, 0, 1), RawInsn::make(0x07, 0, 0, 0, 2), kExit},
       "insn 1: second slot of lddw must have opcode, registers and offset 0 "
       "(found opcode 0x07)"},
      {"falls off end", {kMovR0}, "insn 0: execution can fall off the end of "
                                  "the program (the last instruction must be "
                                  "exit or goto)"},
      {"conditional at end", {kMovR0, RawInsn::make(0x15, 0, 0, -2, 0)},
       "insn 1: execution can fall off the end of the program (the last "
       "instruction must be exit or goto)"},
  };
  for (const BadProgram &row : rows) {
    SCOPED_TRACE(row.name);
    auto result = validate(row.slots);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().to_string(), row.expected);
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
  }
}

TEST(Validate, AcceptsWellFormedPrograms) {
  const std::vector<std::vector<RawInsn>> rows = {
      {kMovR0, kExit},
      {RawInsn::make(0x05, 0, 0, 0, 0), kExit},             // goto +0
      {RawInsn::make(0x06, 0, 0, 0, 1), kExit, kExit},      // gotol +1
      {RawInsn::make(0x18, 0, 0, 0, 1), RawInsn::make(0, 0, 0, 0, 2), kExit},
      {RawInsn::make(0x85, 0, 1, 0, 1), kExit, kMovR0, kExit}, // local call
      {kMovR0, RawInsn::make(0x05, 0, 0, -2, 0)},            // ends in goto
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    auto result = validate(rows[i]);
    EXPECT_TRUE(result.ok()) << result.error().to_string();
  }
}

TEST(Decode, ResolvesEncodingTricks) {
  struct Row {
    const char *name;
    RawInsn slot;
    Insn expected;
  };
  const Row rows[] = {
      {"sdiv64 imm", RawInsn::make(0x37, 1, 0, 1, -3),
       Alu{AluOp::SDiv, Reg{1}, Imm{-3}, true}},
      {"smod32 reg", RawInsn::make(0x9c, 1, 2, 1, 0),
       Alu{AluOp::SMod, Reg{1}, Reg{2}, false}},
      {"movsx32", RawInsn::make(0xbf, 1, 2, 32, 0),
       Alu{AluOp::MovSx32, Reg{1}, Reg{2}, true}},
      {"be16", RawInsn::make(0xdc, 3, 0, 0, 16), Endian{ByteOrder::ToBig, Reg{3}, 16}},
      {"bswap64", RawInsn::make(0xd7, 3, 0, 0, 64), Endian{ByteOrder::Swap, Reg{3}, 64}},
      {"ldxsh", RawInsn::make(0x89, 1, 2, -4, 0),
       Load{Reg{1}, Reg{2}, -4, Width::H, true}},
      {"st imm", RawInsn::make(0x62, 10, 0, -8, 5),
       Store{Reg{10}, -8, Width::W, Imm{5}}},
      {"cmpxchg32", RawInsn::make(0xc3, 10, 1, -8, kAtomicCmpXchg),
       Atomic{AtomicOp::CmpXchg, true, Width::W, Reg{10}, -8, Reg{1}}},
      {"gotol", RawInsn::make(0x06, 0, 0, 0, 70000),
       Jump{JumpCond::Always, true, Reg{}, Imm{}, 70000}},
      {"jslt32 reg", RawInsn::make(0xce, 1, 2, -1, 0),
       Jump{JumpCond::SLt, true, Reg{1}, Reg{2}, -1}},
      {"callx", RawInsn::make(0x8d, 2, 0, 0, 0), CallX{Reg{2}}},
      {"call local", RawInsn::make(0x85, 0, 1, 0, 4), CallLocal{4}},
      {"ldindh", RawInsn::make(0x48, 0, 7, 0, 14), PacketLoad{Width::H, Reg{7}, 14}},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    std::vector<RawInsn> slots{row.slot};
    auto insn = decode_at(slots, 0);
    ASSERT_TRUE(insn.ok()) << insn.error().to_string();
    EXPECT_EQ(*insn, row.expected);
  }
}

TEST(RawInsn, BytesAreLittleEndian) {
  const std::vector<RawInsn> slots{RawInsn::make(0x18, 1, 2, -2, 0x11223344)};
  const std::vector<uint8_t> bytes = raw_insns_to_bytes(slots);
  const std::vector<uint8_t> expected{0x18, 0x21, 0xfe, 0xff, 0x44, 0x33, 0x22, 0x11};
  EXPECT_EQ(bytes, expected);
  EXPECT_EQ(raw_insns_from_bytes(bytes), slots);
}

} // namespace
} // namespace bpfhost::isa
