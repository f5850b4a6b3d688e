// Laws of the known-bits domain and the facts it exists for.
#include <gtest/gtest.h>

#include "verifier/domains/tnum.hpp"

namespace bpfhost::verifier::domains {
namespace {

const Tnum kSamples[] = {Tnum::top(),         Tnum::constant(0),
                         Tnum::constant(5),   Tnum::range(0, 31),
                         Tnum::range(16, 23), Tnum{0x100, 0x0f}};

TEST(Tnum, LatticeLaws) {
  for (const Tnum &a : kSamples)
    for (const Tnum &b : kSamples) {
      const Tnum j = a.join(b);
      EXPECT_TRUE(a.leq(j) && b.leq(j));
      EXPECT_EQ(a.leq(b), a.join(b) == b);
      bool ok = true;
      const Tnum m = a.meet(b, ok);
      if (ok) {
        EXPECT_TRUE(m.leq(a) && m.leq(b));
      }
    }
}

TEST(Tnum, OperationsContainConcreteResults) {
  const uint64_t values[] = {0, 1, 5, 17, 31, 0xff, 0x10f};
  for (const Tnum &a : kSamples)
    for (const Tnum &b : kSamples)
      for (uint64_t x : values)
        for (uint64_t y : values) {
          if (!a.contains(x) || !b.contains(y))
            continue;
          EXPECT_TRUE((a & b).contains(x & y));
          EXPECT_TRUE((a | b).contains(x | y));
          EXPECT_TRUE((a ^ b).contains(x ^ y));
          EXPECT_TRUE((a + b).contains(x + y));
        }
}

TEST(Tnum, MaskBoundsAnything) {
  const Tnum r = Tnum::top() & Tnum::constant(31);
  EXPECT_EQ(r.min(), 0u);
  EXPECT_EQ(r.max(), 31u);
  EXPECT_EQ(Tnum::range(0, 255).shl(4).max(), 0xff0u);
  EXPECT_EQ(Tnum::range(0, 255).lshr(4).max(), 0xfu);
}

} // namespace
} // namespace bpfhost::verifier::domains
