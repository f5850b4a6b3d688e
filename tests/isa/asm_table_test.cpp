// Every row of the opcode table survives disassembly and reassembly in both
// syntaxes (STYLE.md §6: round trips over the whole table).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "isa/asm_parse.hpp"
#include "isa/decode.hpp"
#include "isa/disasm.hpp"
#include "isa/opcode_table.hpp"
#include "isa/row_samples.hpp"

namespace bpfhost::isa {
namespace {

// The sample with negative values in the free fields, to test signs.
std::vector<RawInsn> negative_sample(const OpcodeRow &row) {
  std::vector<RawInsn> slots = testing::sample_encoding(row);
  RawInsn &first = slots.front();
  if ((row.uses & kOff) && row.selector != Selector::Off)
    first.off = -7;
  if ((row.uses & kImm) && row.selector != Selector::Imm)
    first.imm = -100000;
  if (slots.size() == 2)
    slots.back().imm = -1;
  return slots;
}

std::string row_name(const OpcodeRow &row) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "0x%02x/%d %s", row.opcode, row.selector_value,
                std::string(row.mnemonic).c_str());
  return buf;
}

void expect_round_trip(const std::vector<RawInsn> &slots, Syntax syntax) {
  const std::string text = disassemble(slots, syntax);
  SCOPED_TRACE(text);
  auto again = assemble(text, syntax);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(*again, slots);
  EXPECT_EQ(disassemble(*again, syntax), text);
}

TEST(OpcodeTableSweep, EveryRowRoundTripsInBothSyntaxes) {
  for (const OpcodeRow &row : opcode_table()) {
    SCOPED_TRACE(row_name(row));
    for (const auto &slots :
         {testing::sample_encoding(row), negative_sample(row)}) {
      ASSERT_TRUE(decode(slots).ok()) << decode(slots).error().to_string();
      expect_round_trip(slots, Syntax::Conformance);
      expect_round_trip(slots, Syntax::Bpftool);
    }
  }
}

// The conformance text begins with the row's own mnemonic (callx prints as
// "call %rN", the corpus's spelling).
TEST(OpcodeTableSweep, ConformanceMnemonicsComeFromTheTable) {
  for (const OpcodeRow &row : opcode_table()) {
    SCOPED_TRACE(row_name(row));
    const std::string text =
        disassemble(testing::sample_encoding(row), Syntax::Conformance);
    const std::string expected =
        row.mnemonic == "callx" ? "call" : std::string(row.mnemonic);
    const char after =
        text.size() > expected.size() ? text[expected.size()] : 0;
    EXPECT_TRUE(text.rfind(expected, 0) == 0 && (after == ' ' || after == '\n'))
        << text;
  }
}

TEST(OpcodeTableSweep, UnknownOpcodesDisassembleAsInvalid) {
  for (unsigned opcode = 0; opcode < 256; ++opcode) {
    if (is_known_opcode(static_cast<uint8_t>(opcode)))
      continue;
    const std::vector<RawInsn> slots{
        RawInsn::make(static_cast<uint8_t>(opcode), 0, 0, 0, 0)};
    for (Syntax syntax : {Syntax::Conformance, Syntax::Bpftool}) {
      const std::string text = disassemble(slots, syntax);
      EXPECT_EQ(text.rfind("<invalid: ", 0), 0u) << text;
    }
  }
}

} // namespace
} // namespace bpfhost::isa
