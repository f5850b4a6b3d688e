// Programs of small hand-built objects, instruction by instruction: which
// functions are programs, how subprograms are appended and calls, map and
// global data references relocated, and what marks a single program.
#include <gtest/gtest.h>

#include "object/elf_builder.hpp"
#include "object/test_insns.hpp"

namespace bpfhost::object::testing {
namespace {

std::vector<std::string> names(const ObjectSpec &object) {
  std::vector<std::string> out;
  for (const ProgramSpec &p : object.programs)
    out.push_back(p.section + "/" + p.name);
  return out;
}

TEST(LoadObject, OldObjectSectionIsTheProgram) {
  ElfBuilder b;
  const std::vector<RawInsn> code = {mov(0, 1), exit_insn()};
  b.code("socket1", code);
  b.data("license", {'G', 'P', 'L', 0});
  b.data("version", {0x00, 0x0a, 0x05, 0x00});
  const ObjectSpec o = load_ok(b.build());
  ASSERT_EQ(names(o), std::vector<std::string>{"socket1/socket1"});
  EXPECT_EQ(o.programs[0].insns, code);
  EXPECT_EQ(o.license, "GPL");
  EXPECT_EQ(o.kern_version, 0x050a00u);
}

TEST(LoadObject, TextOnlyObjectExposesItsFunctions) {
  ElfBuilder b;
  const auto text =
      b.code(".text", {mov(0, 1), exit_insn(), mov(0, 2), exit_insn()});
  b.function("one", text, 0, 2);
  b.function("two", text, 2, 2);
  const ObjectSpec o = load_ok(b.build());
  EXPECT_EQ(names(o), (std::vector<std::string>{".text/one", ".text/two"}));
  EXPECT_EQ(o.programs[1].insns,
            (std::vector<RawInsn>{mov(0, 2), exit_insn()}));
}

TEST(LoadObject, SubprogramsAreAppendedDepthFirstWithCallsFixedUp) {
  ElfBuilder b;
  // .text: sub_a calls sub_b (static: through the section symbol, imm is
  // its instruction offset minus one); sub_c is never called.
  const auto text = b.code(".text", {call_local(1), exit_insn(), mov(0, 7),
                                     exit_insn(), exit_insn()});
  const auto sub_a = b.function("sub_a", text, 0, 2);
  b.function("sub_b", text, 2, 2);
  b.function("sub_c", text, 4, 1);
  const auto text_sym = b.section_symbol(text);
  // xdp: calls sub_a by name, then sub_b through the section symbol.
  const auto xdp = b.code("xdp", {call_local(-1), call_local(1), exit_insn()});
  b.function("prog", xdp, 0, 3);
  b.relocs(xdp, {{0, sub_a, kR32}, {8, text_sym, kR32}});
  b.relocs(text, {{0, text_sym, kR32}});
  const ObjectSpec o = load_ok(b.build());
  ASSERT_EQ(names(o), std::vector<std::string>{"xdp/prog"});
  const ProgramSpec &p = o.programs[0];
  // prog [0..2], then sub_a [3..4] as the first call reaches it, then
  // sub_b [5..6] as sub_a's call reaches it (libbpf's depth-first order).
  EXPECT_EQ(p.insns, (std::vector<RawInsn>{
                         call_local(2), call_local(3), exit_insn(),
                         call_local(1), exit_insn(), mov(0, 7), exit_insn()}));
  ASSERT_EQ(p.functions.size(), 3u);
  EXPECT_EQ(p.functions[1].name, "sub_a");
  EXPECT_EQ(p.functions[1].first_insn, 3u);
  EXPECT_EQ(p.functions[2].name, "sub_b");
  EXPECT_EQ(p.functions[2].first_insn, 5u);
  EXPECT_EQ(p.functions[2].insn_count, 2u);
  EXPECT_FALSE(p.error);
}

TEST(LoadObject, CallsWithoutRelocationArePcRelative) {
  ElfBuilder b;
  // .text only: g at 0, f at 2 calls g with imm 0 - 3 - 1.
  const auto text = b.code(".text", {mov(0, 7), exit_insn(), mov(1, 1),
                                     call_local(-4), exit_insn()});
  b.function("g", text, 0, 2);
  b.function("f", text, 2, 3);
  const ObjectSpec o = load_ok(b.build());
  ASSERT_EQ(names(o), (std::vector<std::string>{".text/g", ".text/f"}));
  EXPECT_EQ(o.programs[1].insns,
            (std::vector<RawInsn>{mov(1, 1), call_local(1), exit_insn(),
                                  mov(0, 7), exit_insn()}));
}

TEST(LoadObject, CallbackAddressesBecomePseudoFunc) {
  ElfBuilder b;
  const auto text = b.code(".text", {exit_insn(), mov(0, 0), exit_insn()});
  b.function("other", text, 0, 1);
  b.function("cb", text, 1, 2);
  const auto text_sym = b.section_symbol(text);
  // lddw r2, cb: a static function, so imm holds its byte offset (8).
  const auto xdp = b.code("xdp", cat({lddw(2, 0, 8), {exit_insn()}}));
  b.function("prog", xdp, 0, 3);
  b.relocs(xdp, {{0, text_sym, kR64}});
  const ObjectSpec o = load_ok(b.build());
  ASSERT_EQ(o.programs.size(), 1u);
  EXPECT_EQ(o.programs[0].insns, cat({lddw(2, kPseudoFunc, 2),
                                      {exit_insn(), mov(0, 0), exit_insn()}}));
}

std::vector<uint8_t> legacy_def(uint32_t type, uint32_t key, uint32_t value,
                                uint32_t max, uint32_t flags) {
  std::vector<uint8_t> out;
  for (uint32_t v : {type, key, value, max, flags})
    put(out, v);
  return out;
}

TEST(LoadObject, MapAndGlobalDataReferences) {
  ElfBuilder b;
  auto defs = legacy_def(1, 4, 8, 16, 0);
  const auto second = legacy_def(2, 4, 4, 1, 5);
  defs.insert(defs.end(), second.begin(), second.end());
  const auto maps = b.data("maps", defs);
  b.symbol({"m0", maps, 0, 20, kObject, 1});
  const auto m1 = b.symbol({"m1", maps, 20, 20, kObject, 1});
  const auto data = b.data(".data", {1, 2, 3, 4, 5, 6, 7, 8});
  const auto str =
      b.section({".rodata.str1.1", kProgbits, kAlloc, {'h', 'i', 0}});
  const auto bss = b.section({".bss", kNobits, kAlloc | kWrite, {}, 16});
  const auto counter = b.symbol({"counter", bss, 8, 8, kObject, 1});
  const auto xdp = b.code("xdp", cat({lddw(1, 0, 0),
                                      lddw(2, 0, 4),
                                      lddw(3, 0, 0),
                                      lddw(4, 0, 0),
                                      {exit_insn()}}));
  b.function("prog", xdp, 0, 9);
  b.relocs(xdp, {{0, m1, kR64},
                 {16, b.section_symbol(data), kR64},
                 {32, b.section_symbol(str), kR64},
                 {48, counter, kR64}});
  const ObjectSpec o = load_ok(b.build());
  ASSERT_EQ(o.maps.size(), 5u);
  const char *map_names[] = {"m0", "m1", ".data", ".rodata.str1.1", ".bss"};
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(o.maps[i].name, map_names[i]);
  const MapSpec &m = o.maps[1];
  EXPECT_EQ(m.origin, MapOrigin::Legacy);
  EXPECT_EQ(m.section, "maps");
  EXPECT_EQ(std::vector<uint32_t>(
                {m.type, m.key_size, m.value_size, m.max_entries, m.flags}),
            std::vector<uint32_t>({2, 4, 4, 1, 5}));
  EXPECT_EQ(o.maps[2].origin, MapOrigin::GlobalData);
  EXPECT_EQ(std::vector<uint32_t>({o.maps[2].type, o.maps[2].key_size,
                                   o.maps[2].value_size, o.maps[2].max_entries,
                                   o.maps[2].flags}),
            std::vector<uint32_t>({kMapTypeArray, 4, 8, 1, 0}));
  EXPECT_EQ(o.maps[2].data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(o.maps[3].flags, kMapFlagRdonlyProg);
  EXPECT_EQ(o.maps[3].data, (std::vector<uint8_t>{'h', 'i', 0}));
  EXPECT_EQ(o.maps[4].value_size, 16u);
  EXPECT_TRUE(o.maps[4].data.empty()); // .bss: all zeros

  const ProgramSpec &p = o.programs.at(0);
  EXPECT_EQ(p.insns, cat({lddw(1, kPseudoMapFd, 1),
                          lddw(2, kPseudoMapValue, 2, 4),
                          lddw(3, kPseudoMapValue, 3, 0),
                          lddw(4, kPseudoMapValue, 4, 8),
                          {exit_insn()}}));
  EXPECT_EQ(p.map_refs,
            (std::vector<MapReference>{{0, 1, MapRefKind::Fd, 0},
                                       {2, 2, MapRefKind::Value, 4},
                                       {4, 3, MapRefKind::Value, 0},
                                       {6, 4, MapRefKind::Value, 8}}));
}

TEST(LoadObject, UndefinedFunctionsMarkOnlyTheirProgram) {
  ElfBuilder b;
  const auto xdp =
      b.code("xdp", {call_local(-1), exit_insn(), call_local(-1), exit_insn()});
  b.function("uses_helper", xdp, 0, 2);
  b.function("uses_memset", xdp, 2, 2);
  const auto helper = b.symbol({"bpf_map_lookup_elem", 0, 0, 0, kNotype, 1});
  const auto memset = b.symbol({"memset", 0, 0, 0, kNotype, 1});
  b.relocs(xdp, {{0, helper, kR32}, {16, memset, kR32}});
  const ObjectSpec o = load_ok(b.build());
  ASSERT_EQ(o.programs.size(), 2u);
  // Named like a Linux helper: becomes that helper's call.
  EXPECT_EQ(o.programs[0].insns,
            (std::vector<RawInsn>{call_helper(1), exit_insn()}));
  EXPECT_FALSE(o.programs[0].error);
  ASSERT_TRUE(o.programs[1].error);
  EXPECT_EQ(o.programs[1].error->code, ErrorCode::NotFound);
  EXPECT_EQ(o.programs[1].error->to_string(),
            "t.o: program uses_memset: section xdp: relocation #1 at offset "
            "0x10: call to memset, which the object does not define");
}

TEST(LoadObject, ExternVariablesMarkTheirProgram) {
  ElfBuilder b;
  const auto xdp = b.code("xdp", cat({lddw(1, 0, 0), {exit_insn()}}));
  b.function("prog", xdp, 0, 3);
  const auto ext = b.symbol({"LINUX_KERNEL_VERSION", 0, 0, 0, kNotype, 1});
  b.relocs(xdp, {{0, ext, kR64}});
  const ObjectSpec o = load_ok(b.build());
  ASSERT_TRUE(o.programs.at(0).error);
  EXPECT_EQ(o.programs[0].error->code, ErrorCode::NotSupported);
  EXPECT_EQ(o.programs[0].error->to_string(),
            "t.o: program prog: section xdp: relocation #0 at offset 0x0: lddw "
            "of extern variable LINUX_KERNEL_VERSION (.kconfig or .ksyms) is "
            "not supported yet");
}

TEST(LoadObject, ReaderAcceptsRelaAndEmNone) {
  // Old toolchains: EM_NONE, SHT_RELA with R_BPF_NONE on map references.
  ElfBuilder b;
  const auto maps = b.data("maps", legacy_def(2, 4, 4, 1, 0));
  const auto m = b.symbol({"m", maps, 0, 20, kObject, 1});
  const auto xdp = b.code("xdp", cat({lddw(1, 0, 0), {exit_insn()}}));
  b.relocs(xdp, {{0, m, 0, 0}}, true);
  auto bytes = b.build();
  patch<uint16_t>(bytes, 18, 0); // EM_NONE
  const ObjectSpec o = load_ok(bytes);
  ASSERT_EQ(o.programs.size(), 1u);
  EXPECT_EQ(o.programs[0].insns,
            cat({lddw(1, kPseudoMapFd, 0), {exit_insn()}}));
}

} // namespace
} // namespace bpfhost::object::testing
