// The .data test-file reader: sections, both -- raw forms, and errors.
#include <gtest/gtest.h>

#include "isa/data_file.hpp"

namespace bpfhost::isa {
namespace {

TEST(DataFile, ReadsEverySection) {
  auto file = parse_data_file("# Copyright\n"
                              "-- c\n"
                              "int x;\n"
                              "-- asm\n"
                              "# comment kept\n"
                              "mov %r0, 1\n"
                              "exit\n"
                              "-- mem\n"
                              "00 01 fe\n"
                              "FF\n"
                              "-- result\n"
                              "0x8977665544332211\n"
                              "-- no register offset\n"
                              "call instruction\n"
                              "-- error\n"
                              "Invalid\n");
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  EXPECT_EQ(file->c_source, "int x;\n");
  EXPECT_EQ(file->asm_text, "# comment kept\nmov %r0, 1\nexit\n");
  EXPECT_EQ(file->asm_line, 5u);
  EXPECT_EQ(file->memory, (std::vector<uint8_t>{0x00, 0x01, 0xfe, 0xff}));
  EXPECT_EQ(file->result, 0x8977665544332211ULL);
  EXPECT_EQ(file->no_register_offset, "call instruction");
  EXPECT_EQ(file->error, "Invalid");
  EXPECT_FALSE(file->raw.has_value());
}

TEST(DataFile, RawAsWordsAndAsBytes) {
  const std::vector<RawInsn> lddw_exit = {
      RawInsn::make(0x18, 0, 0, 0, 0x55667788),
      RawInsn::make(0x00, 0, 0, 0, 0x11223344),
      RawInsn::make(0x95, 0, 0, 0, 0)};
  auto words = parse_data_file("-- raw\n0x5566778800000018\n"
                               "0x1122334400000000\n0x0000000000000095\n");
  ASSERT_TRUE(words.ok()) << words.error().to_string();
  EXPECT_EQ(words->raw, lddw_exit);
  auto bytes = parse_data_file("-- raw\n07 00 01 00 01 00 00 00\n"
                               "95 00 00 00 00 00 00 00\n-- error\n");
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  EXPECT_EQ(bytes->raw,
            (std::vector<RawInsn>{RawInsn::make(0x07, 0, 0, 1, 1),
                                  RawInsn::make(0x95, 0, 0, 0, 0)}));
  EXPECT_EQ(bytes->error, "");
  EXPECT_FALSE(bytes->result.has_value());
}

TEST(DataFile, DecimalResultAndNoSections) {
  auto decimal = parse_data_file("-- result\n0\n");
  ASSERT_TRUE(decimal.ok());
  EXPECT_EQ(decimal->result, 0u);
  auto empty = parse_data_file("# only comments\n\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->asm_text.has_value());
  EXPECT_FALSE(empty->result.has_value());
}

struct BadFile {
  const char *name;
  const char *text;
  const char *expected;
};

TEST(DataFile, Errors) {
  const BadFile rows[] = {
      {"unknown section", "-- asm\nexit\n-- Unknown directive\n",
       "line 3: unknown section '-- Unknown directive'"},
      {"repeated section", "-- result\n1\n-- result\n2\n",
       "line 3: repeated section '-- result'"},
      {"text before sections", "exit\n",
       "line 1: text outside a section: 'exit'"},
      {"bad memory byte", "-- mem\n00 zz\n",
       "line 2: invalid memory byte 'zz'"},
      {"two results", "-- result\n1\n2\n", "line 3: more than one result"},
      {"bad result", "-- result\nabc\n",
       "line 2: expected an immediate, found 'abc'"},
      {"bad raw byte", "-- raw\n07 0\n", "line 2: invalid raw byte '0'"},
      {"partial slot", "-- raw\n07 00 00\n",
       "raw section ends inside a slot (3 of 8 bytes)"},
      {"word after bytes", "-- raw\n07 00 0x95\n",
       "line 2: raw word '0x95' follows an incomplete slot of bytes"},
  };
  for (const BadFile &row : rows) {
    SCOPED_TRACE(row.name);
    auto file = parse_data_file(row.text);
    ASSERT_FALSE(file.ok());
    EXPECT_EQ(file.error().to_string(), row.expected);
  }
}

} // namespace
} // namespace bpfhost::isa
