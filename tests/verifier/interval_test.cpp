// Laws of the interval domain and its arithmetic.
#include <gtest/gtest.h>

#include "verifier/domains/interval.hpp"

namespace bpfhost::verifier::domains {
namespace {

const Interval kSamples[] = {
    Interval::top(),
    Interval::bottom(),
    Interval::range(0, 0),
    Interval::range(-5, 5),
    Interval::range(3, 9),
    Interval(Bound(2), Bound::plus_infinity()),
    Interval(Bound::minus_infinity(), Bound(-1)),
};

TEST(Interval, LatticeLaws) {
  for (const Interval &a : kSamples)
    for (const Interval &b : kSamples) {
      SCOPED_TRACE(a.to_string() + " vs " + b.to_string());
      const Interval j = a.join(b), m = a.meet(b);
      EXPECT_TRUE(a.leq(j) && b.leq(j));
      EXPECT_TRUE(m.leq(a) && m.leq(b));
      EXPECT_EQ(a.leq(b), a.join(b) == b);
      EXPECT_TRUE(a.leq(a.widen(b).join(a)));
      EXPECT_TRUE(j.leq(a.widen(j)));
    }
}

TEST(Interval, WideningTerminates) {
  Interval i = Interval::range(0, 0);
  int steps = 0;
  for (; steps < 10; ++steps) {
    const Interval next = i.join(i + Interval(Bound(1)));
    if (next.leq(i))
      break;
    i = i.widen(next);
  }
  EXPECT_LT(steps, 3);
  EXPECT_TRUE(i.hi().is_plus_infinity());
}

TEST(Interval, Arithmetic) {
  struct Row {
    const char *name;
    Interval got, want;
  } rows[] = {
      {"add", Interval::range(1, 2) + Interval::range(10, 20),
       Interval::range(11, 22)},
      {"sub", Interval::range(1, 2) - Interval::range(10, 20),
       Interval::range(-19, -8)},
      {"mul", Interval::range(-2, 3) * Interval::range(4, 5),
       Interval::range(-10, 15)},
      {"div", Interval::range(10, 20).div(Interval::range(2, 5)),
       Interval::range(2, 10)},
      {"div by range with zero",
       Interval::range(10, 20).div(Interval::range(0, 2)),
       Interval::range(5, 20)},
      {"rem", Interval::range(0, 100).rem(Interval::range(8, 8)),
       Interval::range(0, 7)},
      {"neg", -Interval::range(1, 2), Interval::range(-2, -1)},
      {"narrow",
       Interval(Bound(0), Bound::plus_infinity()).narrow(Interval::range(0, 9)),
       Interval::range(0, 9)},
  };
  for (const Row &r : rows) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(r.got, r.want) << r.got.to_string();
  }
}

} // namespace
} // namespace bpfhost::verifier::domains
