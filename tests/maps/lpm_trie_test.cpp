// LPM trie: longest-prefix matches for IPv4 and IPv6, update flags, deletes
// and the get_next_key order. Rows marked [kernel] were checked with bpftool
// against Linux 6.18.
#include "map_test_util.hpp"

namespace bpfhost::maps {
namespace {

using namespace testing;
using Key = std::vector<unsigned char>;

struct Entry {
  Key key;
  std::uint32_t value;
};

std::shared_ptr<Map> trie(std::uint32_t key_size,
                          const std::vector<Entry> &entries,
                          std::uint32_t max_entries = 16) {
  auto map = must_create(
      attr_of(MapType::LpmTrie, key_size, 4, max_entries, kBpfFNoPrealloc));
  for (const Entry &e : entries)
    EXPECT_TRUE(map->sys_update(e.key.data(), bytes(e.value, 4).data(), 0));
  return map;
}

// 0 = no match.
std::uint32_t match(Map &map, const Key &key) {
  std::vector<unsigned char> out(4);
  if (!map.sys_lookup(key.data(), out.data(), 0))
    return 0;
  EpochDomain::Guard guard(map.epochs(), ExecutionSlot{0});
  void *p = map.lookup(key.data(), ExecutionSlot{0});
  EXPECT_NE(p, nullptr);
  EXPECT_EQ(p ? as_int(p, 4) : 0, as_int(out.data(), 4)) << "views differ";
  return static_cast<std::uint32_t>(as_int(out.data(), 4));
}

const std::vector<Entry> kIpv4 = {
    {lpm4(8, 10, 0, 0, 0), 1},
    {lpm4(16, 10, 1, 0, 0), 2},
    {lpm4(24, 10, 1, 2, 0), 3},
    {lpm4(16, 192, 168, 0, 0), 4},
};
const std::vector<Entry> kIpv6 = {
    {lpm6(32, {0x2001, 0xdb8}), 1},
    {lpm6(48, {0x2001, 0xdb8, 1}), 2},
    {lpm6(64, {0x2001, 0xdb8, 1, 2}), 3},
    {lpm6(0, {}), 9},
};

TEST(LpmTrie, LongestPrefixMatch) {
  struct Row {
    const char *name;
    bool ipv6;
    Key query;
    std::uint32_t expected;
  };
  const Row rows[] = {
      {"v4 most specific /24 [kernel]", false, lpm4(32, 10, 1, 2, 1), 3},
      {"v4 falls back to /16", false, lpm4(32, 10, 1, 3, 1), 2},
      {"v4 falls back to /8", false, lpm4(32, 10, 2, 0, 1), 1},
      {"v4 other branch", false, lpm4(32, 192, 168, 255, 1), 4},
      {"v4 no match [kernel]", false, lpm4(32, 11, 1, 5, 5), 0},
      {"v4 query prefix limits the match", false, lpm4(16, 10, 1, 2, 1), 2},
      {"v4 query shorter than every entry", false, lpm4(4, 10, 1, 2, 1), 0},
      {"v4 exact /24", false, lpm4(24, 10, 1, 2, 0), 3},
      {"v6 /64", true, lpm6(128, {0x2001, 0xdb8, 1, 2, 0, 0, 0, 1}), 3},
      {"v6 /48", true, lpm6(128, {0x2001, 0xdb8, 1, 3, 0, 0, 0, 1}), 2},
      {"v6 /32", true, lpm6(128, {0x2001, 0xdb8, 2}), 1},
      {"v6 default route", true, lpm6(128, {0xfe80, 0, 0, 0, 0, 0, 0, 1}), 9},
  };
  auto v4 = trie(8, kIpv4);
  auto v6 = trie(20, kIpv6);
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(match(row.ipv6 ? *v6 : *v4, row.query), row.expected);
  }
}

TEST(LpmTrie, UpdateAndDelete) {
  struct Row {
    const char *name;
    std::uint32_t max_entries;
    Key key;
    std::uint64_t flags; // for updates
    bool is_delete;
    Errno expected;
    Key probe; // then looked up
    std::uint32_t probe_value;
  };
  const Row rows[] = {
      {"noexist on existing [kernel]", 16, lpm4(16, 10, 1, 0, 0), kBpfNoexist,
       false, Errno::Exist, lpm4(32, 10, 1, 9, 9), 2},
      {"exist on missing [kernel]", 16, lpm4(16, 10, 2, 0, 0), kBpfExist, false,
       Errno::NoEnt, lpm4(32, 10, 2, 9, 9), 1},
      {"exist on existing", 16, lpm4(16, 10, 1, 0, 0), kBpfExist, false,
       Errno::Ok, lpm4(32, 10, 1, 9, 9), 7},
      {"prefix too long [kernel]", 16, lpm4(33, 10, 2, 0, 0), kBpfAny, false,
       Errno::Inval, lpm4(32, 10, 2, 0, 0), 1},
      {"bad flags", 16, lpm4(16, 10, 2, 0, 0), 3, false, Errno::Inval,
       lpm4(32, 10, 2, 0, 0), 1},
      {"full refuses new [kernel]", 4, lpm4(16, 10, 2, 0, 0), kBpfAny, false,
       Errno::NoSpc, lpm4(32, 10, 2, 0, 0), 1},
      {"full replaces existing [kernel]", 4, lpm4(16, 10, 1, 0, 0), kBpfAny,
       false, Errno::Ok, lpm4(32, 10, 1, 0, 0), 7},
      {"new ancestor", 16, lpm4(12, 10, 0, 0, 0), kBpfAny, false, Errno::Ok,
       lpm4(32, 10, 9, 0, 0), 7},
      {"delete /16 falls back to /8 [kernel]", 16, lpm4(16, 10, 1, 0, 0), 0,
       true, Errno::Ok, lpm4(32, 10, 1, 3, 1), 1},
      {"delete needs the exact prefix [kernel]", 16, lpm4(15, 10, 1, 0, 0), 0,
       true, Errno::NoEnt, lpm4(32, 10, 1, 3, 1), 2},
      {"delete node with two children", 16, lpm4(8, 10, 0, 0, 0), 0, true,
       Errno::Ok, lpm4(32, 10, 9, 0, 0), 0},
      {"delete intermediate is ENOENT", 16, lpm4(0, 0, 0, 0, 0), 0, true,
       Errno::NoEnt, lpm4(32, 10, 1, 2, 1), 3},
      {"delete leaf under intermediate", 16, lpm4(16, 192, 168, 0, 0), 0, true,
       Errno::Ok, lpm4(32, 192, 168, 0, 1), 0},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto map = trie(8, kIpv4, row.max_entries);
    Status status =
        row.is_delete
            ? map->sys_delete(row.key.data())
            : map->sys_update(row.key.data(), bytes(7, 4).data(), row.flags);
    EXPECT_EQ(errno_name(status.code()), errno_name(row.expected));
    EXPECT_EQ(match(*map, row.probe), row.probe_value);
  }
}

// Linux walks the trie in post order [kernel: bpftool map dump and getnext
// on the same four prefixes].
TEST(LpmTrie, GetNextKeyPostOrder) {
  auto map = trie(8, kIpv4);
  struct Row {
    const char *name;
    Key from;     // empty: null key
    Key expected; // empty: ENOENT
  };
  const Row rows[] = {
      {"null key gives the first", {}, lpm4(24, 10, 1, 2, 0)},
      {"missing key gives the first [kernel]", lpm4(15, 10, 1, 0, 0),
       lpm4(24, 10, 1, 2, 0)},
      {"child before parent", lpm4(24, 10, 1, 2, 0), lpm4(16, 10, 1, 0, 0)},
      {"then its parent", lpm4(16, 10, 1, 0, 0), lpm4(8, 10, 0, 0, 0)},
      {"left subtree before right", lpm4(8, 10, 0, 0, 0),
       lpm4(16, 192, 168, 0, 0)},
      {"last", lpm4(16, 192, 168, 0, 0), {}},
      {"over-long key gives the first", lpm4(40, 10, 0, 0, 0),
       lpm4(24, 10, 1, 2, 0)},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    Key next(8);
    Status status = map->get_next_key(
        row.from.empty() ? nullptr : row.from.data(), next.data());
    if (row.expected.empty()) {
      EXPECT_EQ(status.code(), Errno::NoEnt);
    } else {
      EXPECT_TRUE(status.ok());
      EXPECT_EQ(next, row.expected);
    }
  }
  auto empty = trie(8, {});
  Key next(8);
  EXPECT_EQ(empty->get_next_key(nullptr, next.data()).code(), Errno::NoEnt);
}

} // namespace
} // namespace bpfhost::maps
