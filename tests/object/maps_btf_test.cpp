// BTF-defined maps of hand-built objects: attributes as bpf_helpers.h
// encodes them, map-in-map and program array initial slots, and the errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "object/btf_builder.hpp"
#include "object/elf_builder.hpp"
#include "object/test_insns.hpp"

namespace bpfhost::object::testing {
namespace {

using Member = BtfBuilder::Member;

// An object whose .maps holds the definitions added, one after the other,
// with a DATASEC describing them and a symbol naming each.
struct MapsObject {
  BtfBuilder btf;
  ElfBuilder elf;
  uint32_t u32 = btf.int_type("unsigned int", 4);
  struct Def {
    std::string name;
    uint32_t var;
    uint32_t size;        // of the struct
    uint32_t symbol_size; // with the initial values of __array(values)
    uint32_t offset;
  };
  std::vector<Def> defs;
  uint32_t size = 0;

  uint32_t def(const std::string &name, const std::vector<Member> &members,
               uint32_t struct_size = 0, uint32_t symbol_size = 0) {
    if (struct_size == 0)
      struct_size = static_cast<uint32_t>(members.size() * 8);
    symbol_size = std::max(symbol_size, struct_size);
    const uint32_t s = btf.structure("", struct_size, members);
    defs.push_back({name, btf.var(name, s), struct_size, symbol_size, size});
    size += symbol_size;
    return s;
  }
  // Builds the object; `extra` adds sections, symbols and relocations.
  std::vector<uint8_t>
  build(const std::function<void(MapsObject &, uint16_t maps,
                                 const std::vector<uint32_t> &syms)> &extra =
            {}) {
    std::vector<Member> vars;
    for (const Def &d : defs)
      vars.push_back({"", d.var, 0, d.size});
    btf.datasec(".maps", 0, vars);
    const auto maps = elf.data(".maps", std::vector<uint8_t>(size, 0));
    std::vector<uint32_t> syms;
    for (const Def &d : defs)
      syms.push_back(
          elf.symbol({d.name, maps, d.offset, d.symbol_size, kObject, 1}));
    if (extra)
      extra(*this, maps, syms);
    elf.section({".BTF", kProgbits, 0, btf.build(), 0});
    return elf.build();
  }
};

TEST(MapsBtf, AttributesFromUintAndType) {
  MapsObject o;
  const uint32_t key = o.btf.structure("key", 12, {});
  const uint32_t u64 = o.btf.typedef_of("__u64", o.btf.int_type("long", 8));
  o.def("flows",
        {o.btf.uint_member("type", 1, 0), o.btf.type_member("key", key, 64),
         o.btf.type_member("value", u64, 128),
         o.btf.uint_member("max_entries", 1024, 192),
         o.btf.uint_member("map_flags", 1, 256),
         o.btf.uint_member("pinning", 1, 320)});
  o.def("sized",
        {o.btf.uint_member("type", 2, 0), o.btf.uint_member("key_size", 4, 64),
         o.btf.uint_member("value_size", 24, 128),
         o.btf.uint_member("max_entries", 8, 192)});
  const ObjectSpec spec = load_ok(o.build());
  ASSERT_EQ(spec.maps.size(), 2u);
  const MapSpec &m = spec.maps[0];
  EXPECT_EQ(m.name, "flows");
  EXPECT_EQ(m.origin, MapOrigin::Btf);
  EXPECT_EQ(std::vector<uint32_t>({m.type, m.key_size, m.value_size,
                                   m.max_entries, m.flags, m.pinning}),
            std::vector<uint32_t>({1, 12, 8, 1024, 1, kPinByName}));
  EXPECT_EQ(m.btf_key_type, key);
  EXPECT_EQ(m.btf_value_type, u64);
  const MapSpec &s = spec.maps[1];
  EXPECT_EQ(std::vector<uint32_t>({s.type, s.key_size, s.value_size,
                                   s.max_entries, s.btf_key_type}),
            std::vector<uint32_t>({2, 4, 24, 8, 0}));
}

TEST(MapsBtf, MapInMapAndProgramArraySlots) {
  MapsObject o;
  const uint32_t inner =
      o.def("inner", {o.btf.uint_member("type", 2, 0),
                      o.btf.type_member("key", o.u32, 64),
                      o.btf.type_member("value", o.u32, 128),
                      o.btf.uint_member("max_entries", 2, 192)});
  // __array(values, struct inner): a zero-length array of pointers.
  const uint32_t values = o.btf.array(o.btf.ptr(inner), o.u32, 0);
  o.def("outer",
        {o.btf.uint_member("type", kMapTypeArrayOfMaps, 0),
         o.btf.uint_member("max_entries", 4, 64),
         {"values", values, 128, 0}},
        16, 16 + 4 * 8);
  const uint32_t progs =
      o.btf.array(o.btf.ptr(o.btf.func_proto(o.u32)), o.u32, 0);
  o.def("jumps",
        {o.btf.uint_member("type", kMapTypeProgArray, 0),
         o.btf.uint_member("max_entries", 3, 64),
         {"values", progs, 128, 0}},
        16, 16 + 2 * 8);
  const auto bytes = o.build(
      [](MapsObject &m, uint16_t maps, const std::vector<uint32_t> &syms) {
        const auto xdp = m.elf.code("xdp", {mov(0, 2), exit_insn()});
        const auto tail = m.elf.function("tail", xdp, 0, 2);
        // outer[3] = &inner; jumps[1] = tail. outer starts at 32, jumps at 80,
        // and their values at 16 bytes into the definition.
        m.elf.relocs(maps, {{32 + 16 + 3 * 8, syms[0], kRAbs64},
                            {80 + 16 + 1 * 8, tail, kRAbs64}});
      });
  const ObjectSpec spec = load_ok(bytes);
  ASSERT_EQ(spec.maps.size(), 3u);
  const MapSpec &outer = spec.maps[1];
  EXPECT_EQ(outer.value_size, 4u); // an id or fd, set by __array(values)
  ASSERT_TRUE(outer.inner);
  EXPECT_EQ(outer.inner->name, "outer.inner");
  EXPECT_EQ(outer.inner->origin, MapOrigin::Inner);
  EXPECT_EQ(outer.inner->max_entries, 2u);
  EXPECT_EQ(outer.slots, (std::vector<MapSlot>{{3, MapSlot::Kind::Map, 0}}));
  EXPECT_EQ(spec.maps[2].slots,
            (std::vector<MapSlot>{{1, MapSlot::Kind::Program, 0}}));
}

struct ErrorRow {
  const char *name;
  std::function<void(MapsObject &)> build;
  const char *expected;
};

TEST(MapsBtf, RejectsBadDefinitions) {
  const ErrorRow rows[] = {
      {"unknown attribute",
       [](MapsObject &o) { o.def("m", {o.btf.uint_member("colour", 3, 0)}); },
       "t.o: section .maps: map m: unknown attribute colour"},
      {"conflicting key size",
       [](MapsObject &o) {
         o.def("m", {o.btf.uint_member("key_size", 8, 0),
                     o.btf.type_member("key", o.u32, 64)});
       },
       "t.o: section .maps: map m: conflicting key size 8 != 4"},
      {"attribute not a pointer",
       [](MapsObject &o) {
         o.def("m", {{"type", o.u32, 0, 0}});
       },
       "t.o: section .maps: map m: attribute type: expected a pointer to an "
       "array (__uint)"},
      {"values on a hash",
       [](MapsObject &o) {
         o.def("m",
               {o.btf.uint_member("type", 1, 0),
                {"values", o.btf.array(o.btf.ptr(o.u32), o.u32, 0), 64, 0}});
       },
       "t.o: section .maps: map m: __array(values) needs a map-in-map or "
       "program array type (set before it), found type 1"},
      {"values not last",
       [](MapsObject &o) {
         o.def("m", {{"values", o.btf.array(o.btf.ptr(o.u32), o.u32, 0), 0, 0},
                     o.btf.uint_member("type", 12, 64)});
       },
       "t.o: section .maps: map m: __array(values) must be the last member"},
  };
  for (const ErrorRow &row : rows) {
    SCOPED_TRACE(row.name);
    MapsObject o;
    row.build(o);
    EXPECT_EQ(load_error(o.build()), row.expected);
  }
}

TEST(MapsBtf, RejectsBadPlacement) {
  {
    MapsObject o; // a symbol with another name
    o.def("m", {o.btf.uint_member("type", 2, 0)});
    o.defs[0].name = "renamed";
    EXPECT_EQ(load_error(o.build()),
              "t.o: section .maps: map m: no symbol of that name in .maps");
  }
  {
    MapsObject o; // .maps without BTF
    o.elf.data(".maps", std::vector<uint8_t>(8, 0));
    EXPECT_EQ(load_error(o.elf.build()),
              "t.o: section .maps: BTF-defined maps need the .BTF section, "
              "which the object lacks");
  }
  {
    MapsObject o; // a slot relocation outside __array(values)
    o.def("m", {o.btf.uint_member("type", 12, 0)});
    const auto bytes = o.build(
        [](MapsObject &m, uint16_t maps, const std::vector<uint32_t> &syms) {
          m.elf.relocs(maps, {{0, syms[0], kRAbs64}});
        });
    EXPECT_EQ(load_error(bytes),
              "t.o: section .rel.maps: relocation #0 at offset 0x0: map m: "
              "relocation is not at a slot of __array(values)");
  }
}

} // namespace
} // namespace bpfhost::object::testing
