// BTF and BTF.ext parsing: sizes, malformed blobs, and line info and CO-RE
// records following the instructions of a program.
#include <gtest/gtest.h>

#include <functional>

#include "object/btf.hpp"
#include "object/btf_builder.hpp"
#include "object/btf_ext.hpp"
#include "object/elf_builder.hpp"
#include "object/test_insns.hpp"

namespace bpfhost::object::testing {
namespace {

TEST(Btf, ResolvesSizes) {
  BtfBuilder b;
  const uint32_t i32 = b.int_type("int", 4);
  const uint32_t arr = b.array(i32, i32, 5);
  const uint32_t td = b.typedef_of("five", arr);
  const uint32_t p = b.ptr(td);
  const uint32_t s = b.structure("s", 24, {{"a", i32, 0, 0}});
  const auto bytes = b.build();
  auto btf = Btf::parse(bytes);
  ASSERT_TRUE(btf.ok()) << btf.error().to_string();
  EXPECT_EQ(*btf->resolve_size(td), 20u);
  EXPECT_EQ(*btf->resolve_size(p), 8u);
  EXPECT_EQ(*btf->resolve_size(s), 24u);
  EXPECT_EQ(btf->skip_modifiers(td), arr);
  EXPECT_EQ(btf->find(BtfKind::Struct, "s"), s);
  EXPECT_EQ(btf->type(s)->members.at(0).name, "a");
  EXPECT_EQ(btf->resolve_size(b.func_proto(0)).ok(), false);
}

struct BtfRow {
  const char *name;
  std::function<std::vector<uint8_t>()> bytes;
  const char *expected;
};

std::vector<uint8_t> with(std::function<void(BtfBuilder &)> f) {
  BtfBuilder b;
  f(b);
  return b.build();
}

TEST(Btf, RejectsMalformedBlobs) {
  const BtfRow rows[] = {
      {"short", [] { return std::vector<uint8_t>(10, 0); },
       "BTF is 10 bytes, too short for its header (24 bytes)"},
      {"magic",
       [] {
         auto b = with([](BtfBuilder &) {});
         b[0] = 0;
         return b;
       },
       "bad BTF magic 0xeb00"},
      {"unknown kind",
       [] { return with([](BtfBuilder &b) { b.raw(25, 0, 0, 0, {}); }); },
       "BTF type [1]: unknown kind 25"},
      {"truncated struct",
       [] { return with([](BtfBuilder &b) {
              b.raw(4, 3, 0, 8, {0, 0});
            }); },
       "BTF type [1] at 0x0 is truncated"},
      {"dangling type id", [] { return with([](BtfBuilder &b) { b.ptr(7); }); },
       "BTF type [1] refers to type [7], which does not exist (1 types)"},
      {"name outside strings",
       [] { return with([](BtfBuilder &b) { b.raw(1, 0, 500, 4, {32}); }); },
       "BTF type [1]: name offset 0x1f4 is outside the string section"},
      {"strings outside data",
       [] {
         auto b = with([](BtfBuilder &) {});
         patch<uint32_t>(b, 20, 99);
         return b;
       },
       "BTF string section (0x63 bytes at 0x0) is outside the data"},
  };
  for (const BtfRow &row : rows) {
    SCOPED_TRACE(row.name);
    const auto bytes = row.bytes();
    auto btf = Btf::parse(bytes);
    ASSERT_FALSE(btf.ok());
    EXPECT_EQ(btf.error().to_string(), row.expected);
  }
}

TEST(BtfExt, RejectsMalformedBlocks) {
  BtfBuilder b;
  const uint32_t xdp = b.str("xdp");
  const auto btf_bytes = b.build();
  const Btf btf = *Btf::parse(btf_bytes);
  struct Row {
    const char *name;
    BtfExtBuilder ext;
    std::function<void(std::vector<uint8_t> &)> mutate;
    const char *expected;
  };
  const Row rows[] = {
      {"section name",
       {{}, {{999, {{0, 0, 0, 0}}}}, {}},
       nullptr,
       "line info: section name offset 0x3e7 is outside the BTF strings"},
      {"empty block",
       {{}, {{xdp, {}}}, {}},
       nullptr,
       "line info of section xdp has no records"},
      {"line text",
       {{}, {{xdp, {{0, 0, 777, 0}}}}, {}},
       nullptr,
       "line info of section xdp: record 0: line text offset 0x309 is outside "
       "the BTF strings"},
      {"record size",
       {{{xdp, {{0, 0}}}}, {}, {}},
       [](std::vector<uint8_t> &e) { patch<uint32_t>(e, 32, 4); },
       "func info record size 4 is invalid (at least 8, a multiple of 4)"},
      {"block past the end",
       {{{xdp, {{0, 0}}}}, {}, {}},
       [](std::vector<uint8_t> &e) { patch<uint32_t>(e, 12, 400); },
       "func info (0x190 bytes at 0x0) is outside .BTF.ext"},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto bytes = row.ext.build();
    if (row.mutate)
      row.mutate(bytes);
    auto ext = BtfExt::parse(bytes, btf);
    ASSERT_FALSE(ext.ok());
    EXPECT_EQ(ext.error().to_string(), row.expected);
  }
}

// An xdp program calling a .text subprogram, with BTF.ext records for both.
std::vector<uint8_t> object_with_ext(BtfBuilder &btf,
                                     const BtfExtBuilder &ext) {
  ElfBuilder b;
  const auto text = b.code(".text", {mov(0, 1), exit_insn()});
  const auto sub = b.function("sub", text, 0, 2);
  const auto xdp = b.code("xdp", {mov(1, 1), call_local(-1), exit_insn()});
  b.function("prog", xdp, 0, 3);
  b.relocs(xdp, {{8, sub, kR32}});
  b.section({".BTF", kProgbits, 0, btf.build(), 0});
  b.section({".BTF.ext", kProgbits, 0, ext.build(), 0});
  return b.build();
}

TEST(BtfExt, LineAndFunctionInfoFollowTheInstructions) {
  BtfBuilder btf;
  const uint32_t xdp = btf.str("xdp"), text = btf.str(".text");
  const uint32_t file = btf.str("prog.c");
  const uint32_t line_a = btf.str("  int a = 1;"),
                 line_b = btf.str("  return 1;");
  const uint32_t proto = btf.func_proto(0);
  const uint32_t func_prog = btf.func("prog", proto);
  const uint32_t func_sub = btf.func("sub", proto);
  BtfExtBuilder ext;
  ext.funcs = {{xdp, {{0, func_prog}}}, {text, {{0, func_sub}}}};
  ext.lines = {{xdp, {{0, file, line_a, 3 << 10 | 7}}},
               {text, {{8, file, line_b, 9 << 10 | 3}}}};
  const ObjectSpec o = load_ok(object_with_ext(btf, ext));
  ASSERT_EQ(o.programs.size(), 1u);
  const ProgramSpec &p = o.programs[0];
  ASSERT_EQ(p.line_info.size(), 2u);
  EXPECT_EQ(p.line_info[0].insn, 0u);
  EXPECT_EQ(p.line_info[0].file, "prog.c");
  EXPECT_EQ(p.line_info[0].text, "  int a = 1;");
  EXPECT_EQ(p.line_info[0].line, 3u);
  EXPECT_EQ(p.line_info[0].column, 7u);
  // sub's second instruction lands at 3 + 1 in the program.
  EXPECT_EQ(p.line_info[1].insn, 4u);
  EXPECT_EQ(p.line_info[1].line, 9u);
  ASSERT_EQ(p.functions.size(), 2u);
  EXPECT_EQ(p.functions[0].btf_type, func_prog);
  EXPECT_EQ(p.functions[1].btf_type, func_sub);
  EXPECT_FALSE(o.btf.empty());
  EXPECT_FALSE(o.btf_ext.empty());
}

TEST(BtfExt, CoreRelocationsMarkTheirPrograms) {
  BtfBuilder btf;
  const uint32_t text = btf.str(".text");
  const uint32_t access = btf.str("0:1");
  btf.structure("task", 8, {});
  BtfExtBuilder ext;
  ext.core = {{text, {{0, 1, access, 0}}}};
  const ObjectSpec o = load_ok(object_with_ext(btf, ext));
  const ProgramSpec &p = o.programs.at(0);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->code, ErrorCode::NotSupported);
  EXPECT_EQ(p.error->to_string(),
            "t.o: program prog: section .text: insn 0: CO-RE relocation "
            "(field_byte_offset of BTF type [1], access 0:1) against the "
            "kernel's BTF is not supported yet");
  ASSERT_EQ(p.core_relocations.size(), 1u);
  EXPECT_EQ(p.core_relocations[0].insn, 3u);
  EXPECT_EQ(p.core_relocations[0].access, "0:1");
}

TEST(BtfExt, RecordsOutsideTheSectionAreRejected) {
  BtfBuilder btf;
  const uint32_t xdp = btf.str("xdp");
  BtfExtBuilder ext;
  ext.funcs = {{xdp, {{64, 0}}}};
  EXPECT_EQ(load_error(object_with_ext(btf, ext)),
            "t.o: section .BTF.ext: func info of section xdp: instruction "
            "offset 0x40 is not an instruction of the section");
}

} // namespace
} // namespace bpfhost::object::testing
