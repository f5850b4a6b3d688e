// Intervals [lo, hi] over extended integers (Bound), with bottom. A lattice
// with widening and narrowing; arithmetic is exact over the integers (no
// wrap-around: the caller decides what a machine word means). Knows nothing
// of eBPF.
#pragma once

#include <optional>
#include <string>

#include "verifier/domains/bound.hpp"

namespace bpfhost::verifier::domains {

class Interval {
public:
  // Top: [-oo, +oo].
  Interval() = default;
  Interval(Bound lo, Bound hi);
  Interval(Bound v) : Interval(v, v) {}
  static Interval top() { return {}; }
  static Interval bottom();
  // [lo, hi] with finite 64-bit bounds (convenience for callers and tests).
  static Interval range(Int128 lo, Int128 hi) { return {Bound(lo), Bound(hi)}; }

  bool is_bottom() const { return bottom_; }
  bool is_top() const {
    return !bottom_ && lo_.is_minus_infinity() && hi_.is_plus_infinity();
  }
  Bound lo() const { return lo_; }
  Bound hi() const { return hi_; }
  // The value when the interval holds exactly one finite number.
  std::optional<Int128> singleton() const;
  bool contains(Int128 v) const;
  // True when every value of this interval lies within `outer`.
  bool leq(const Interval &outer) const;
  bool operator==(const Interval &o) const;

  Interval join(const Interval &o) const;
  Interval meet(const Interval &o) const;
  // Classic widening: an unstable bound jumps to infinity.
  Interval widen(const Interval &next) const;
  // Classic narrowing: only infinite bounds are refined.
  Interval narrow(const Interval &next) const;

  Interval operator+(const Interval &o) const;
  Interval operator-(const Interval &o) const;
  Interval operator-() const;
  Interval operator*(const Interval &o) const;
  // Truncating division and remainder (C semantics); a divisor range that
  // contains 0 contributes the results of its non-zero parts only.
  Interval div(const Interval &o) const;
  Interval rem(const Interval &o) const;

  // "[lo, hi]", "5", "_|_"; infinities print as -oo and +oo.
  std::string to_string() const;

private:
  Bound lo_ = Bound::minus_infinity();
  Bound hi_ = Bound::plus_infinity();
  bool bottom_ = false;
};

} // namespace bpfhost::verifier::domains
