// Malformed objects: each row breaks one thing in a small valid object and
// expects the exact error, located at the file, section and offset.
#include <gtest/gtest.h>

#include <functional>

#include "object/elf_builder.hpp"
#include "object/test_insns.hpp"

namespace bpfhost::object::testing {
namespace {

// xdp: "prog" (mov r0, 0; exit), then what the row adds.
struct Base {
  ElfBuilder b;
  uint16_t xdp = 0;
  Base(std::vector<RawInsn> code = {mov(0, 0), exit_insn()}) {
    xdp = b.code("xdp", code);
    b.function("prog", xdp, 0, code.size());
  }
};

std::vector<uint8_t> valid() { return Base().b.build(); }

// The offset of field `field` of symbol `index` in the base object (whose
// .symtab is section 3).
size_t symbol_field(const std::vector<uint8_t> &elf, size_t index,
                    size_t field) {
  size_t offset = 0;
  for (size_t i = 0; i < 8; ++i)
    offset |= size_t{elf[section_field(elf, 3, 24) + i]} << (8 * i);
  return offset + index * 24 + field;
}

struct ByteRow {
  const char *name;
  std::function<void(std::vector<uint8_t> &)> mutate;
  const char *expected;
};

TEST(LoadErrors, MalformedElf) {
  const ByteRow rows[] = {
      {"empty", [](auto &e) { e.clear(); },
       "t.o: file is 0 bytes, too short for an ELF header (64 bytes)"},
      {"bad magic", [](auto &e) { e[1] = 'X'; },
       "t.o: not an ELF file (bad magic)"},
      {"ELF32", [](auto &e) { e[4] = 1; },
       "t.o: not an ELF64 object (class 1)"},
      {"big endian", [](auto &e) { e[5] = 2; },
       "t.o: big-endian BPF objects are not supported (data encoding 2)"},
      {"executable", [](auto &e) { patch<uint16_t>(e, 16, 2); },
       "t.o: not a relocatable object (ELF type 2, expected 1 ET_REL)"},
      {"x86-64", [](auto &e) { patch<uint16_t>(e, 18, 62); },
       "t.o: not a BPF object (machine 62, expected 247 EM_BPF)"},
      {"no sections",
       [](auto &e) {
         patch<uint16_t>(e, kShnumField, 0);
         patch<uint64_t>(e, kShoffField, 0);
       },
       "t.o: object has no section headers"},
      {"section table cut", [](auto &e) { e.resize(e.size() - 1); },
       "t.o: section header table (4 entries at 0xa0) extends past the end "
       "of the file (0x19f bytes)"},
      {"header size", [](auto &e) { patch<uint16_t>(e, 58, 40); },
       "t.o: section header size is 40, expected 64"},
      {"name table index",
       [](auto &e) { patch<uint16_t>(e, kShstrndxField, 9); },
       "t.o: section name table index 9 does not exist (4 sections)"},
      {"name table type",
       [](auto &e) { patch<uint16_t>(e, kShstrndxField, 1); },
       "t.o: section name table [1] is not a string table (type 1)"},
      {"section data past end",
       [](auto &e) { patch<uint64_t>(e, section_field(e, 1, 32), 0x1000); },
       "t.o: section [1]: data (0x1000 bytes at 0x40) extends past the end "
       "of the file (0x1a0 bytes)"},
      {"section name offset",
       [](auto &e) { patch<uint32_t>(e, section_field(e, 1, 0), 0x999); },
       "t.o: section [1]: name offset 0x999 is outside the section name "
       "table"},
      {"symbol entry size",
       [](auto &e) { patch<uint64_t>(e, section_field(e, 3, 56), 16); },
       "t.o: section .symtab: symbol entry size is 16 and table size 0x30, "
       "expected entries of 24 bytes"},
      {"symbol string table",
       [](auto &e) { patch<uint32_t>(e, section_field(e, 3, 40), 1); },
       "t.o: section .symtab: linked string table [1] does not exist or is "
       "not a string table"},
      {"symbol name offset",
       [](auto &e) { patch<uint32_t>(e, symbol_field(e, 1, 0), 0x777); },
       "t.o: section .symtab: symbol #1: name offset 0x777 is outside the "
       "string table"},
      {"symbol section index",
       [](auto &e) { patch<uint16_t>(e, symbol_field(e, 1, 6), 12); },
       "t.o: section .symtab: symbol #1 (prog): section index 12 does not "
       "exist"},
      {"code size",
       [](auto &e) { patch<uint64_t>(e, section_field(e, 1, 32), 12); },
       "t.o: section xdp: code size 0xc is not a multiple of the instruction "
       "size (8)"},
  };
  for (const ByteRow &row : rows) {
    SCOPED_TRACE(row.name);
    auto bytes = valid();
    row.mutate(bytes);
    EXPECT_EQ(load_error(bytes), row.expected);
  }
}

struct BuildRow {
  const char *name;
  std::function<void(Base &)> build;
  const char *expected;
};

TEST(LoadErrors, MalformedCodeAndRelocations) {
  const BuildRow rows[] = {
      {"unknown relocation type",
       [](Base &t) {
         t.b.relocs(t.xdp, {{0, 1, 77}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: unknown relocation "
       "type 77"},
      {"relocation on a mov",
       [](Base &t) {
         t.b.relocs(t.xdp, {{0, 1, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: relocation against "
       "prog on opcode 0xb7, which is neither lddw nor call"},
      {"relocation out of range",
       [](Base &t) {
         t.b.relocs(t.xdp, {{0x48, 1, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x48: offset is not an "
       "instruction of the section (0x10 bytes)"},
      {"misaligned relocation",
       [](Base &t) {
         t.b.relocs(t.xdp, {{4, 1, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x4: offset is not an "
       "instruction of the section (0x10 bytes)"},
      {"missing symbol",
       [](Base &t) {
         t.b.relocs(t.xdp, {{8, 9, kR32}});
       },
       "t.o: section .relxdp: relocation #0 at offset 0x8: symbol index 9 "
       "does not exist (2 symbols)"},
      {"functions overlap", [](Base &t) { t.b.function("other", t.xdp, 1, 1); },
       "t.o: section xdp: functions prog and other overlap"},
      {"function past the end",
       [](Base &t) {
         t.b.symbol({"big", t.xdp, 8, 64, kFunc, 1});
       },
       "t.o: section xdp: function big (0x40 bytes at 0x8) extends past the "
       "end of the section (0x10 bytes)"},
      {"misaligned function",
       [](Base &t) {
         t.b.symbol({"odd", t.xdp, 4, 8, kFunc, 1});
       },
       "t.o: section xdp: function odd (0x8 bytes at 0x4) is not aligned to "
       "instructions"},
  };
  for (const BuildRow &row : rows) {
    SCOPED_TRACE(row.name);
    Base t;
    row.build(t);
    EXPECT_EQ(load_error(t.b.build()), row.expected);
  }
}

// Rows whose program differs from the base's.
TEST(LoadErrors, MalformedReferences) {
  const auto two_calls =
      std::vector<RawInsn>{call_local(0), mov(0, 0), exit_insn(), exit_insn()};
  struct Row {
    const char *name;
    std::vector<RawInsn> code;
    std::function<void(Base &)> build;
    const char *expected;
  };
  const Row rows[] = {
      {"call into the middle of a function", two_calls,
       [](Base &t) {
         t.b.relocs(t.xdp, {{0, 1, kR32}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: target of prog "
       "(instruction 1 of section xdp) is not the start of a function"},
      {"two relocations of one instruction",
       {call_local(-1), exit_insn()},
       [](Base &t) {
         t.b.relocs(t.xdp, {{0, 1, kR32}, {0, 1, kR32}});
       },
       "t.o: section xdp: relocation #1 at offset 0x0: second relocation of "
       "the same instruction"},
      {"relocation of an lddw's second slot",
       cat({lddw(1, 0, 0), {exit_insn()}}),
       [](Base &t) {
         t.b.relocs(t.xdp, {{8, 1, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x8: relocation of the "
       "second slot of an lddw"},
      {"pc-relative call outside the section",
       {call_local(40), exit_insn()},
       [](Base &) {},
       "t.o: section xdp: insn 0: call target 41 is not the start of a "
       "function"},
      {"call relocation on a helper call",
       {call_helper(1), exit_insn()},
       [](Base &t) {
         t.b.relocs(t.xdp, {{0, 1, kR32}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: call relocation "
       "against prog has src_reg 0 (expected 1, a BPF-to-BPF call)"},
      {"function ends inside lddw",
       {mov(0, 0), RawInsn::make(0x18, 1, 0, 0, 0)},
       [](Base &) {},
       "t.o: section xdp: function prog ends inside an lddw (insn 1 has no "
       "second slot)"},
      {"lddw of a special symbol", cat({lddw(1, 0, 0), {exit_insn()}}),
       [](Base &t) {
         const auto s = t.b.symbol({"common", 0xfff2, 0, 4, kObject, 1});
         t.b.relocs(t.xdp, {{0, s, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: relocation against "
       "common in special section 0xfff2 (an uninitialized global "
       "variable?)"},
      {"lddw of a section without maps or data",
       cat({lddw(1, 0, 0), {exit_insn()}}),
       [](Base &t) {
         const auto lic = t.b.section({"license", kProgbits, kAlloc, {'G', 0}});
         const auto s = t.b.symbol({"_license", lic, 0, 2, kObject, 1});
         t.b.relocs(t.xdp, {{0, s, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: lddw relocation "
       "against _license in section license, which holds no maps, global "
       "data or code"},
      {"lddw between map definitions", cat({lddw(1, 0, 8), {exit_insn()}}),
       [](Base &t) {
         const auto maps = t.b.data("maps", std::vector<uint8_t>(20, 0));
         t.b.symbol({"m", maps, 0, 20, kObject, 1});
         const auto s = t.b.section_symbol(maps);
         t.b.relocs(t.xdp, {{0, s, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: lddw of maps: no map "
       "definition at offset 0x8 of section maps"},
      {"symbol outside its section", cat({lddw(1, 0, 0), {exit_insn()}}),
       [](Base &t) {
         const auto data = t.b.data(".data", std::vector<uint8_t>(8, 0));
         const auto v = t.b.symbol({"v", data, 0x100, 4, kObject, 1});
         t.b.relocs(t.xdp, {{0, v, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: symbol v at 0x100 lies "
       "outside its section .data (0x8 bytes)"},
      {"lddw past global data", cat({lddw(1, 0, 16), {exit_insn()}}),
       [](Base &t) {
         const auto data = t.b.data(".data", std::vector<uint8_t>(8, 0));
         const auto s = t.b.section_symbol(data);
         t.b.relocs(t.xdp, {{0, s, kR64}});
       },
       "t.o: section xdp: relocation #0 at offset 0x0: lddw of .data: "
       "offset 16 is outside section .data (0x8 bytes)"},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    Base t(row.code);
    row.build(t);
    EXPECT_EQ(load_error(t.b.build()), row.expected);
  }
}

} // namespace
} // namespace bpfhost::object::testing
