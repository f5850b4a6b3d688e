// Laws of the stack domain (byte-precise memory) and the type-set lattice.
#include <gtest/gtest.h>

#include "verifier/domains/byte_array.hpp"
#include "verifier/domains/flag_set.hpp"

namespace bpfhost::verifier::domains {
namespace {

enum class Color { Red, Green, Blue, Count };
using Colors = FlagSet<Color>;

TEST(FlagSet, LatticeLaws) {
  for (uint32_t a = 0; a < 8; ++a)
    for (uint32_t b = 0; b < 8; ++b) {
      const Colors x = Colors::from_bits(a), y = Colors::from_bits(b);
      EXPECT_TRUE(x.leq(x.join(y)) && y.leq(x.join(y)));
      EXPECT_TRUE(x.meet(y).leq(x) && x.meet(y).leq(y));
      EXPECT_EQ(x.leq(y), x.join(y) == y);
    }
  EXPECT_EQ(Colors::all().bits(), 7u);
}

using Memory = ByteArray<Colors>;

Memory sample(int which) {
  Memory m(64);
  if (which & 1) {
    m.store({0, 8}, Color::Red);
    m.set_known(0, 8, true);
  }
  if (which & 2)
    m.store({8, 4}, Color::Green);
  if (which & 4)
    m.set_known(16, 16, true);
  return m;
}

TEST(ByteArray, JoinIsUpperBoundAndLeqAgrees) {
  auto join = [](Colors a, Colors b) { return a.join(b); };
  auto leq = [](Colors a, Colors b) { return a.leq(b); };
  for (int a = 0; a < 8; ++a)
    for (int b = 0; b < 8; ++b) {
      Memory j = sample(a);
      j.join_with(sample(b), join);
      EXPECT_TRUE(sample(a).leq(j, leq));
      EXPECT_TRUE(sample(b).leq(j, leq));
      EXPECT_EQ(sample(a).leq(sample(b), leq), j == sample(b));
    }
}

TEST(ByteArray, WritesKillOverlappingCells) {
  Memory m = sample(3);
  const auto dead = m.store({6, 4}, Color::Blue); // overlaps both cells
  EXPECT_EQ(dead.size(), 2u);
  EXPECT_EQ(m.find({0, 8}), nullptr);
  ASSERT_NE(m.find({6, 4}), nullptr);
  EXPECT_TRUE(m.all_known(0, 6));
  EXPECT_EQ(m.known_run(0), 8); // known bytes are the caller's to clear
}

} // namespace
} // namespace bpfhost::verifier::domains
