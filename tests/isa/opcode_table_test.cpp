// Sweeps the opcode table and all 256 opcode bytes through decode and encode.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "isa/decode.hpp"
#include "isa/encode.hpp"
#include "isa/opcode_table.hpp"
#include "isa/row_samples.hpp"

namespace bpfhost::isa {
namespace {

std::string row_name(const OpcodeRow &row) {
  return std::string(row.mnemonic) + " opcode " + std::to_string(row.opcode) +
         " selector " + std::to_string(row.selector_value);
}

TEST(OpcodeTable, HasOneRowPerEncoding) {
  std::set<std::pair<uint8_t, int32_t>> seen;
  for (const OpcodeRow &row : opcode_table()) {
    SCOPED_TRACE(row_name(row));
    EXPECT_TRUE(seen.insert({row.opcode, row.selector_value}).second);
  }
  // RFC 9669 Appendix A lists these encodings, plus callx.
  EXPECT_EQ(opcode_table().size(), 171u);
}

TEST(OpcodeTable, EveryRowRoundTripsThroughDecodeAndEncode) {
  for (const OpcodeRow &row : opcode_table()) {
    SCOPED_TRACE(row_name(row));
    const auto slots = testing::sample_encoding(row);
    auto insn = decode_at(slots, 0);
    ASSERT_TRUE(insn.ok()) << insn.error().to_string();
    EXPECT_EQ(find_opcode_row(slots[0]), &row);
    std::vector<RawInsn> again;
    encode(*insn, again);
    EXPECT_EQ(again, slots);
  }
}

TEST(OpcodeTable, UnusedFieldsMustBeZero) {
  for (const OpcodeRow &row : opcode_table()) {
    SCOPED_TRACE(row_name(row));
    const RawInsn good = testing::sample_encoding(row)[0];
    struct Poke {
      uint8_t field;
      Selector selector;
      RawInsn insn;
    };
    const Poke pokes[] = {
        {kDst, Selector::None, RawInsn::make(good.opcode, 1, good.src(), good.off, good.imm)},
        {kSrc, Selector::Src, RawInsn::make(good.opcode, good.dst(), 1, good.off, good.imm)},
        {kOff, Selector::Off, RawInsn::make(good.opcode, good.dst(), good.src(), 2, good.imm)},
        {kImm, Selector::Imm, RawInsn::make(good.opcode, good.dst(), good.src(), good.off, 2)},
    };
    for (const Poke &p : pokes) {
      if ((row.uses & p.field) || row.selector == p.selector)
        continue;
      std::vector<RawInsn> slots{p.insn, RawInsn{}};
      auto insn = decode_at(slots, 0);
      EXPECT_FALSE(insn.ok()) << "field " << int(p.field) << " accepted";
    }
  }
}

TEST(OpcodeTable, OpcodeBytesWithoutRowsAreUnknown) {
  std::set<uint8_t> known;
  for (const OpcodeRow &row : opcode_table())
    known.insert(row.opcode);
  // ALU 27 (12 ops x K/X, neg, le, be), ALU64 26 (12 x 2, neg, bswap),
  // JMP 26 (ja, 11 conditions x 2, call, callx, exit), JMP32 23, LD 7 (lddw,
  // 3 abs, 3 ind), LDX 7 (4 + 3 sign-extending), ST 4, STX 6 (4 + 2 atomic).
  EXPECT_EQ(known.size(), 126u);
  for (int opcode = 0; opcode < 256; ++opcode) {
    if (known.count(static_cast<uint8_t>(opcode)))
      continue;
    SCOPED_TRACE(opcode);
    std::vector<RawInsn> slots{RawInsn::make(static_cast<uint8_t>(opcode), 0, 0, 0, 0),
                               RawInsn{}};
    auto insn = decode_at(slots, 0);
    ASSERT_FALSE(insn.ok());
    EXPECT_EQ(insn.error().message.rfind("unknown opcode", 0), 0u)
        << insn.error().message;
  }
}

} // namespace
} // namespace bpfhost::isa
