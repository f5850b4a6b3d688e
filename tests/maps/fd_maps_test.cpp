// Maps whose values are references the runtime resolves: maps of maps, prog
// arrays, perf event arrays. Rows marked [kernel] were checked with bpftool.
#include "map_test_util.hpp"

#include "maps/map_of_maps.hpp"
#include "maps/perf_event_array.hpp"
#include "maps/prog_array.hpp"

namespace bpfhost::maps {
namespace {

using namespace testing;

TEST(MapOfMaps, InnerTemplateMatching) {
  MapEnvironment env = test_env();
  auto arr = [&](std::uint32_t entries, std::uint32_t flags = 0) {
    return must_create(attr_of(MapType::Array, 4, 4, entries, flags), env);
  };
  auto hash = [&](std::uint32_t value, std::uint32_t entries,
                  std::uint32_t flags = 0) {
    return must_create(attr_of(MapType::Hash, 4, value, entries, flags), env);
  };
  struct Row {
    const char *name;
    std::shared_ptr<Map> tmpl;
    std::shared_ptr<Map> inner;
    Errno expected;
  };
  const Row rows[] = {
      {"hash: other max_entries [kernel]", hash(4, 4), hash(4, 8), Errno::Ok},
      {"hash: other value size [kernel]", hash(4, 4), hash(8, 4), Errno::Inval},
      {"hash: other flags [kernel]", hash(4, 4), hash(4, 4, kBpfFNoPrealloc),
       Errno::Inval},
      {"array: other max_entries [kernel]", arr(4, kBpfFInnerMap), arr(9),
       Errno::Inval},
      {"array INNER_MAP: any max_entries [kernel]", arr(4, kBpfFInnerMap),
       arr(9, kBpfFInnerMap), Errno::Ok},
      {"array: same max_entries", arr(4), arr(4), Errno::Ok},
      {"array: max_entries differ", arr(4), arr(5), Errno::Inval},
      {"other type", arr(4), hash(4, 4), Errno::Inval},
  };
  for (MapType outer_type : {MapType::ArrayOfMaps, MapType::HashOfMaps}) {
    for (const Row &row : rows) {
      SCOPED_TRACE(row.name);
      MapAttr attr = attr_of(outer_type, 4, 4, 2);
      attr.inner_map = row.tmpl;
      auto outer = std::static_pointer_cast<MapOfMaps>(must_create(attr, env));
      auto key = bytes(0, 4);
      EXPECT_EQ(errno_name(outer->update_map(key.data(), row.inner, 0).code()),
                errno_name(row.expected));
    }
  }
}

TEST(MapOfMaps, Elements) {
  MapEnvironment env = test_env();
  auto inner = must_create(attr_of(MapType::Hash, 4, 4, 4), env);
  inner->set_id(38);
  struct Row {
    MapType type;
    std::uint64_t flags;
    Errno update;       // update_map(0, inner, flags)
    Errno update_oob;   // update_map(5, inner, 0)
    Errno delete_twice; // second delete of key 0
    Errno delete_oob;   // delete of key 5
  };
  const Row rows[] = {
      {MapType::ArrayOfMaps, kBpfAny, Errno::Ok, Errno::TooBig, Errno::NoEnt,
       Errno::TooBig},
      {MapType::ArrayOfMaps, kBpfNoexist, Errno::Inval, Errno::TooBig,
       Errno::NoEnt, Errno::TooBig},
      {MapType::HashOfMaps, kBpfAny, Errno::Ok, Errno::Ok, Errno::NoEnt,
       Errno::Ok},
      {MapType::HashOfMaps, kBpfExist, Errno::NoEnt, Errno::Ok, Errno::NoEnt,
       Errno::Ok},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(std::string(map_type_info(row.type)->name) + " flags " +
                 std::to_string(row.flags));
    MapAttr attr = attr_of(row.type, 4, 4, 2);
    attr.inner_map = inner;
    auto outer = std::static_pointer_cast<MapOfMaps>(must_create(attr, env));
    auto k0 = bytes(0, 4), k5 = bytes(5, 4);
    EXPECT_EQ(outer->update_map(k0.data(), inner, row.flags).code(),
              row.update);
    EXPECT_EQ(outer->update_map(k5.data(), inner, 0).code(), row.update_oob);
    std::vector<unsigned char> out(4);
    if (row.update == Errno::Ok) {
      {
        EpochDomain::Guard guard(*env.epochs, ExecutionSlot{0});
        EXPECT_EQ(outer->lookup(k0.data(), ExecutionSlot{0}), inner.get());
      }
      ASSERT_TRUE(outer->sys_lookup(k0.data(), out.data(), 0));
      EXPECT_EQ(as_int(out.data(), 4), 38u) << "bpf() reports the id [kernel]";
      EXPECT_TRUE(outer->sys_delete(k0.data()).ok());
    }
    EXPECT_EQ(outer->sys_lookup(k0.data(), out.data(), 0).code(), Errno::NoEnt);
    EXPECT_EQ(outer->sys_delete(k0.data()).code(), row.delete_twice);
    EXPECT_EQ(outer->sys_delete(k5.data()).code(), row.delete_oob);
    EXPECT_EQ(outer->sys_update(k0.data(), out.data(), 0).code(), Errno::Inval);
  }
}

TEST(ProgArray, Slots) {
  auto map = std::static_pointer_cast<ProgArray>(
      must_create(attr_of(MapType::ProgArray, 4, 4, 2)));
  auto program = std::make_shared<int>(7);
  std::vector<unsigned char> out(4);
  auto k0 = bytes(0, 4), k5 = bytes(5, 4);
  EXPECT_EQ(map->sys_lookup(k0.data(), out.data(), 0).code(),
            Errno::NoEnt);                                     // [kernel]
  EXPECT_EQ(map->sys_delete(k0.data()).code(), Errno::NoEnt);  // [kernel]
  EXPECT_EQ(map->sys_delete(k5.data()).code(), Errno::TooBig); // [kernel]
  EXPECT_EQ(map->set_program(0, {program, 11}, kBpfNoexist).code(),
            Errno::Inval);
  EXPECT_EQ(map->set_program(2, {program, 11}, 0).code(), Errno::TooBig);
  ASSERT_TRUE(map->set_program(0, {program, 11}, 0));
  {
    EpochDomain::Guard guard(map->epochs(), ExecutionSlot{0});
    EXPECT_EQ(map->program(0), program.get());
    EXPECT_EQ(map->program(1), nullptr);
    EXPECT_EQ(map->program(99), nullptr);
    EXPECT_EQ(map->lookup(k0.data(), ExecutionSlot{0}), nullptr);
  }
  ASSERT_TRUE(map->sys_lookup(k0.data(), out.data(), 0));
  EXPECT_EQ(as_int(out.data(), 4), 11u);
  // The array keeps the program alive until deleted and no run can see it.
  std::weak_ptr<int> weak = program;
  program.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_TRUE(map->sys_delete(k0.data()).ok());
  map->epochs().synchronize();
  EXPECT_TRUE(weak.expired());
}

TEST(PerfEventArray, Output) {
  auto map = std::static_pointer_cast<PerfEventArray>(
      must_create(attr_of(MapType::PerfEventArray, 4, 4, 4)));
  auto buffer = std::make_shared<PerfBuffer>(16);
  ASSERT_TRUE(map->attach(2, buffer, 0));
  EXPECT_EQ(map->attach(4, buffer, 0).code(), Errno::TooBig);
  struct Row {
    const char *name;
    std::uint64_t flags;
    std::uint32_t slot;
    Errno expected;
  };
  const Row rows[] = {
      {"explicit index", 2, 0, Errno::Ok},
      {"current CPU", kBpfFCurrentCpu, 2, Errno::Ok},
      {"nothing attached", kBpfFCurrentCpu, 1, Errno::NoEnt},
      {"index out of range", 9, 0, Errno::TooBig},
      {"unknown flag bits", (1ull << 63) | 2, 0, Errno::Inval},
      {"context length bits allowed", (5ull << 32) | 2, 0, Errno::Ok},
      {"full", 2, 0, Errno::NoSpc},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(
        errno_name(
            map->output(row.flags, "abcde", 5, ExecutionSlot{row.slot}).code()),
        errno_name(row.expected));
  }
  std::vector<std::string> got;
  buffer->drain([&](const void *p, std::size_t n) {
    got.emplace_back(static_cast<const char *>(p), n);
  });
  EXPECT_EQ(got, (std::vector<std::string>{"abcde", "abcde", "abcde"}));
  EXPECT_EQ(buffer->lost(), 1u);
}

} // namespace
} // namespace bpfhost::maps
