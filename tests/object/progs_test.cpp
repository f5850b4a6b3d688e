// The clang-built fixtures of tests/progs/object_*.c. What clang emits
// varies between versions, so the checks are structural but exact: every
// call lands on the start of the function it names, every map reference's
// imm is the index of the map it names, every global data reference points
// at the bytes of the variable it names.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "object/fixture_files.hpp"
#include "object/test_insns.hpp"

namespace bpfhost::object::testing {
namespace {

ObjectSpec load_fixture(const std::string &name) {
  const auto path = std::filesystem::path(BPFHOST_OBJECT_FIXTURE_DIR) / name;
  auto result = load_object(read_bytes(path), name);
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  return result ? std::move(result).value() : ObjectSpec{};
}

#define BPFHOST_REQUIRE_FIXTURES()                                             \
  BPFHOST_REQUIRE_PATH(std::filesystem::path(BPFHOST_OBJECT_FIXTURE_DIR),      \
                       "clang with the BPF target builds the fixtures")

const ProgramSpec &program(const ObjectSpec &o, const std::string &name) {
  for (const ProgramSpec &p : o.programs)
    if (p.name == name)
      return p;
  ADD_FAILURE() << "no program " << name;
  static const ProgramSpec none;
  return none;
}

size_t map_index(const ObjectSpec &o, const std::string &name) {
  for (size_t i = 0; i < o.maps.size(); ++i)
    if (o.maps[i].name == name)
      return i;
  ADD_FAILURE() << "no map " << name;
  return SIZE_MAX;
}

// The functions each call or callback address of `p` reaches, in order.
std::vector<std::string> call_targets(const ProgramSpec &p) {
  std::vector<std::string> out;
  for (size_t i = 0; i < p.insns.size(); ++i) {
    const RawInsn &insn = p.insns[i];
    const bool call = insn.opcode == 0x85 && insn.src() == 1;
    const bool func = insn.opcode == 0x18 && insn.src() == kPseudoFunc;
    if (!call && !func)
      continue;
    const int64_t target = static_cast<int64_t>(i) + insn.imm + 1;
    std::string name = "<not a function start>";
    for (const FunctionRange &f : p.functions)
      if (static_cast<int64_t>(f.first_insn) == target)
        name = f.name;
    out.push_back(name);
  }
  return out;
}

std::vector<std::string> function_names(const ProgramSpec &p) {
  std::vector<std::string> out;
  size_t next = 0;
  for (const FunctionRange &f : p.functions) {
    EXPECT_EQ(f.first_insn, next) << f.name; // contiguous, in order
    next = f.first_insn + f.insn_count;
    out.push_back(f.name);
  }
  EXPECT_EQ(next, p.insns.size());
  return out;
}

using Names = std::vector<std::string>;

TEST(Fixtures, CallsAppendSubprogramsAndFixUpImm) {
  BPFHOST_REQUIRE_FIXTURES();
  const ObjectSpec o = load_fixture("object_calls.o");
  ASSERT_EQ(o.programs.size(), 3u);
  const ProgramSpec &first = program(o, "first");
  EXPECT_EQ(first.section, "xdp");
  EXPECT_EQ(function_names(first), (Names{"first", "middle", "leaf"}));
  EXPECT_EQ(call_targets(first), (Names{"middle", "leaf", "leaf"}));
  const ProgramSpec &second = program(o, "second");
  EXPECT_EQ(function_names(second), (Names{"second", "leaf"}));
  EXPECT_EQ(call_targets(second), (Names{"leaf"}));
  // leaf is copied unchanged into both programs.
  const auto leaf_of = [](const ProgramSpec &p) {
    const FunctionRange &f = p.functions.back();
    return std::vector<RawInsn>(p.insns.begin() + f.first_insn,
                                p.insns.begin() + f.first_insn + f.insn_count);
  };
  EXPECT_EQ(leaf_of(first), leaf_of(second));
  const ProgramSpec &third = program(o, "third");
  EXPECT_EQ(third.section, "tc");
  EXPECT_EQ(function_names(third), (Names{"third", "loop_body"}));
  EXPECT_EQ(call_targets(third), (Names{"loop_body"})); // bpf_loop callback
  size_t helper_calls = 0;
  for (const RawInsn &insn : third.insns)
    helper_calls += insn.opcode == 0x85 && insn.src() == 0 && insn.imm == 181;
  EXPECT_EQ(helper_calls, 1u); // bpf_loop
  for (const ProgramSpec &p : o.programs) {
    EXPECT_FALSE(p.error);
    ASSERT_FALSE(p.line_info.empty()) << p.name;
    for (const LineInfo &line : p.line_info) {
      EXPECT_LT(line.insn, p.insns.size());
      EXPECT_NE(line.file.find("object_calls.c"), std::string::npos);
    }
    EXPECT_EQ(p.functions[0].btf_type != 0, true);
  }
  EXPECT_EQ(o.license, "GPL");
}

TEST(Fixtures, BtfMapsWithMapInMapAndProgramArray) {
  BPFHOST_REQUIRE_FIXTURES();
  const ObjectSpec o = load_fixture("object_maps.o");
  ASSERT_EQ(o.maps.size(), 6u);
  struct Row {
    const char *name;
    std::vector<uint32_t>
        attrs; // type, key, value, max_entries, flags, pinning
  };
  const Row rows[] = {{"flows", {1, 8, 8, 1024, 1, kPinByName}},
                      {"sized", {2, 4, 24, 8, 0, 0}},
                      {"inner_a", {2, 4, 4, 2, 0, 0}},
                      {"inner_b", {2, 4, 4, 2, 0, 0}},
                      {"outer", {kMapTypeArrayOfMaps, 4, 4, 4, 0, 0}},
                      {"jumps", {kMapTypeProgArray, 4, 4, 3, 0, 0}}};
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    const MapSpec &m = o.maps.at(map_index(o, row.name));
    EXPECT_EQ(std::vector<uint32_t>({m.type, m.key_size, m.value_size,
                                     m.max_entries, m.flags, m.pinning}),
              row.attrs);
  }
  const MapSpec &outer = o.maps[map_index(o, "outer")];
  ASSERT_TRUE(outer.inner);
  EXPECT_EQ(std::vector<uint32_t>({outer.inner->type, outer.inner->key_size,
                                   outer.inner->value_size,
                                   outer.inner->max_entries}),
            std::vector<uint32_t>({2, 4, 4, 2}));
  EXPECT_EQ(outer.slots, (std::vector<MapSlot>{{2, MapSlot::Kind::Map,
                                                map_index(o, "inner_b")}}));
  size_t tail = 0;
  while (tail < o.programs.size() && o.programs[tail].name != "tail")
    ++tail;
  EXPECT_EQ(o.maps[map_index(o, "jumps")].slots,
            (std::vector<MapSlot>{{1, MapSlot::Kind::Program, tail}}));

  const ProgramSpec &lookup = program(o, "lookup");
  std::vector<std::string> referenced;
  for (const MapReference &ref : lookup.map_refs) {
    const RawInsn &insn = lookup.insns.at(ref.insn);
    EXPECT_EQ(insn.opcode, 0x18);
    EXPECT_EQ(insn.src(), kPseudoMapFd);
    EXPECT_EQ(static_cast<size_t>(insn.imm), ref.map);
    EXPECT_EQ(ref.kind, MapRefKind::Fd);
    referenced.push_back(o.maps.at(ref.map).name);
  }
  EXPECT_EQ(referenced, (Names{"flows", "outer", "sized", "jumps"}));
  EXPECT_EQ(o.license, "Dual BSD/GPL");
}

TEST(Fixtures, LegacyMapsSection) {
  BPFHOST_REQUIRE_FIXTURES();
  const ObjectSpec o = load_fixture("object_legacy.o");
  ASSERT_EQ(o.maps.size(), 2u);
  EXPECT_EQ(o.maps[0].name, "counters");
  EXPECT_EQ(o.maps[0].origin, MapOrigin::Legacy);
  EXPECT_EQ(std::vector<uint32_t>({o.maps[0].type, o.maps[0].key_size,
                                   o.maps[0].value_size, o.maps[0].max_entries,
                                   o.maps[0].flags}),
            std::vector<uint32_t>({6, 4, 8, 16, 0}));
  EXPECT_EQ(o.maps[1].name, "table");
  EXPECT_EQ(std::vector<uint32_t>({o.maps[1].type, o.maps[1].key_size,
                                   o.maps[1].value_size, o.maps[1].max_entries,
                                   o.maps[1].flags}),
            std::vector<uint32_t>({9, 8, 16, 4096, 2}));
  EXPECT_EQ(o.kern_version, 0x050a00u);
  const ProgramSpec &p = program(o, "count");
  EXPECT_EQ(p.section, "socket");
  ASSERT_EQ(p.map_refs.size(), 2u);
  EXPECT_EQ(p.map_refs[0].map, 0u);
  EXPECT_EQ(p.map_refs[1].map, 1u);
  for (const MapReference &ref : p.map_refs)
    EXPECT_EQ(p.insns.at(ref.insn).imm, static_cast<int32_t>(ref.map));
}

TEST(Fixtures, GlobalDataIsReachedThroughMapValues) {
  BPFHOST_REQUIRE_FIXTURES();
  const ObjectSpec o = load_fixture("object_globals.o");
  const size_t data = map_index(o, ".data"), rodata = map_index(o, ".rodata");
  const size_t bss = map_index(o, ".bss"), str = map_index(o, ".rodata.str1.1");
  EXPECT_EQ(o.maps[data].value_size, 16u);
  EXPECT_EQ(o.maps[bss].value_size, 32u);
  EXPECT_TRUE(o.maps[bss].data.empty());
  EXPECT_EQ(o.maps[rodata].flags, kMapFlagRdonlyProg);
  EXPECT_EQ(o.maps[str].flags, kMapFlagRdonlyProg);
  const ProgramSpec &p = program(o, "globals");
  // What each reference's map value holds at its offset.
  std::vector<std::string> seen;
  for (const MapReference &ref : p.map_refs) {
    const RawInsn &insn = p.insns.at(ref.insn);
    EXPECT_EQ(ref.kind, MapRefKind::Value);
    EXPECT_EQ(insn.src(), kPseudoMapValue);
    EXPECT_EQ(static_cast<size_t>(insn.imm), ref.map);
    EXPECT_EQ(static_cast<uint32_t>(p.insns.at(ref.insn + 1).imm), ref.offset);
    const MapSpec &m = o.maps.at(ref.map);
    if (ref.map == bss) { // all zeros; clang may fold scratch[2]'s offset
      seen.push_back(".bss");
      continue;
    }
    ASSERT_LE(ref.offset + 4, m.data.size());
    uint32_t value = 0;
    std::memcpy(&value, m.data.data() + ref.offset, 4);
    if (ref.map == str)
      seen.push_back(std::string(
          reinterpret_cast<const char *>(m.data.data()) + ref.offset, 5));
    else
      seen.push_back(m.name + "=" + std::to_string(value));
  }
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  // scratch in .bss, hits (0x11111111), total (low half 0x22222222), the
  // format string of bpf_printk ("hits", 0x73746968), limit (0x33333333)
  // and the literal "limit %u\n".
  EXPECT_EQ(seen, (Names{".bss", ".data=286331153", ".data=572662306",
                         ".rodata=1937009000", ".rodata=858993459", "limit"}));
}

TEST(Fixtures, CoreRelocationsRefuseOnlyTheirProgram) {
  BPFHOST_REQUIRE_FIXTURES();
  const ObjectSpec o = load_fixture("object_core.o");
  const ProgramSpec &probe = program(o, "probe");
  ASSERT_TRUE(probe.error);
  EXPECT_EQ(probe.error->code, ErrorCode::NotSupported);
  ASSERT_EQ(probe.core_relocations.size(), 1u);
  EXPECT_EQ(probe.core_relocations[0].access, "0:1"); // task.tgid
  EXPECT_EQ(probe.core_relocations[0].kind, 0u);      // field_byte_offset
  EXPECT_LT(probe.core_relocations[0].insn, probe.insns.size());
  EXPECT_FALSE(program(o, "plain").error);
}

} // namespace
} // namespace bpfhost::object::testing
