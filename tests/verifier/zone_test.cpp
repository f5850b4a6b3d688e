// Laws of the zone domain (join is an upper bound, meet a lower bound, leq
// agrees with join, widening terminates) and the relations it must keep.
#include <gtest/gtest.h>

#include "verifier/domains/zone.hpp"

namespace bpfhost::verifier::domains {
namespace {

Zone make(std::initializer_list<std::pair<Var, Interval>> bounds,
          std::initializer_list<std::tuple<Var, Var, int>> diffs = {}) {
  Zone z;
  for (auto [v, i] : bounds)
    z.meet_bounds(v, i);
  for (auto [x, y, c] : diffs)
    z.add_difference(x, y, Bound(c));
  return z;
}

const Zone kSamples[] = {
    Zone(),
    Zone::bottom(),
    make({{1, Interval::range(0, 0)}, {2, Interval::range(0, 0)}}),
    make({{1, Interval::range(1, 1)}, {2, Interval::range(1, 1)}}),
    make({{1, Interval::range(0, 10)}}, {{1, 2, 0}, {2, 1, 0}}),
    make({{1, Interval::range(-5, 5)}, {3, Interval::range(2, 9)}},
         {{3, 1, 4}}),
    make({{2, Interval::range(7, 7)}}, {{1, 2, -1}}),
};

TEST(Zone, JoinIsUpperBound) {
  for (const Zone &a : kSamples)
    for (const Zone &b : kSamples) {
      const Zone j = a.join(b);
      EXPECT_TRUE(a.leq(j));
      EXPECT_TRUE(b.leq(j));
    }
}

TEST(Zone, MeetIsLowerBound) {
  for (const Zone &a : kSamples)
    for (const Zone &b : kSamples) {
      const Zone m = a.meet(b);
      EXPECT_TRUE(m.leq(a));
      EXPECT_TRUE(m.leq(b));
    }
}

TEST(Zone, LeqAgreesWithJoin) {
  for (const Zone &a : kSamples)
    for (const Zone &b : kSamples) {
      const Zone j = a.join(b);
      EXPECT_EQ(a.leq(b), j.leq(b) && b.leq(j));
    }
}

TEST(Zone, WideningTerminates) {
  Zone z = make({{1, Interval::range(0, 0)}});
  for (int i = 0; i < 100; ++i) {
    Zone next = z;
    next.shift(1, Interval(Bound(1)));
    next = z.join(next);
    const Zone w = z.widen(next);
    if (next.leq(z))
      return;
    z = w;
  }
  FAIL() << "widening did not stabilise";
}

TEST(Zone, JoinKeepsEqualDifferences) {
  // x = y on both sides with different values: x - y = 0 survives the join.
  const Zone a = make({{1, Interval::range(0, 0)}, {2, Interval::range(0, 0)}});
  const Zone b = make({{1, Interval::range(1, 1)}, {2, Interval::range(1, 1)}});
  const Zone j = a.join(b);
  EXPECT_EQ(j.diff_upper(1, 2), Bound(0));
  EXPECT_EQ(j.diff_upper(2, 1), Bound(0));
  EXPECT_EQ(j.get(1), Interval::range(0, 1));
}

TEST(Zone, ShiftKeepsRelations) {
  Zone z = make({{1, Interval::range(0, 3)}}, {{1, 2, 0}, {2, 1, 0}});
  z.shift(1, Interval(Bound(1)));
  EXPECT_EQ(z.diff_upper(1, 2), Bound(1));
  EXPECT_EQ(z.diff_upper(2, 1), Bound(-1));
  EXPECT_EQ(z.get(1), Interval::range(1, 4));
}

TEST(Zone, IncrementalClosureDerivesBounds) {
  // x <= y + 14, y <= 100  =>  x <= 114.
  Zone z = make({{2, Interval::range(0, 100)}}, {{1, 2, 14}});
  EXPECT_EQ(z.get(1).hi(), Bound(114));
  z.add_difference(2, 1, Bound(-200)); // y <= x - 200 contradicts
  EXPECT_TRUE(z.is_bottom());
}

TEST(Zone, AssignCopiesRelations) {
  Zone z = make({{1, Interval::range(3, 8)}}, {{1, 2, 5}});
  z.assign(3, 1, Bound(2)); // v3 := v1 + 2
  EXPECT_EQ(z.get(3), Interval::range(5, 10));
  EXPECT_EQ(z.diff_upper(3, 2), Bound(7));
}

} // namespace
} // namespace bpfhost::verifier::domains
