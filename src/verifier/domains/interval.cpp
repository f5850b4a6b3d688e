#include "verifier/domains/interval.hpp"

#include <algorithm>
#include <initializer_list>

namespace bpfhost::verifier::domains {

Bound operator*(Bound a, Bound b) {
  if (a == Bound(0) || b == Bound(0))
    return Bound(0);
  const bool negative = (a < Bound(0)) != (b < Bound(0));
  if (!a.is_finite() || !b.is_finite())
    return negative ? Bound::minus_infinity() : Bound::plus_infinity();
  Int128 r = 0;
  if (__builtin_mul_overflow(a.value(), b.value(), &r))
    return negative ? Bound::minus_infinity() : Bound::plus_infinity();
  return Bound(r);
}

std::string int128_to_string(Int128 v) {
  if (v == 0)
    return "0";
  const bool negative = v < 0;
  std::string s;
  while (v != 0) {
    const int digit = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (negative ? -digit : digit)));
    v /= 10;
  }
  if (negative)
    s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

std::string Bound::to_string() const {
  if (is_plus_infinity())
    return "+oo";
  if (is_minus_infinity())
    return "-oo";
  return int128_to_string(v_);
}

Interval::Interval(Bound lo, Bound hi) : lo_(lo), hi_(hi) {
  if (hi < lo || lo.is_plus_infinity() || hi.is_minus_infinity())
    *this = bottom();
}

Interval Interval::bottom() {
  Interval i;
  i.bottom_ = true;
  i.lo_ = Bound::plus_infinity();
  i.hi_ = Bound::minus_infinity();
  return i;
}

std::optional<Int128> Interval::singleton() const {
  if (!bottom_ && lo_ == hi_ && lo_.is_finite())
    return lo_.value();
  return std::nullopt;
}

bool Interval::contains(Int128 v) const {
  return !bottom_ && lo_ <= Bound(v) && Bound(v) <= hi_;
}

bool Interval::leq(const Interval &outer) const {
  if (bottom_)
    return true;
  if (outer.bottom_)
    return false;
  return outer.lo_ <= lo_ && hi_ <= outer.hi_;
}

bool Interval::operator==(const Interval &o) const {
  if (bottom_ || o.bottom_)
    return bottom_ == o.bottom_;
  return lo_ == o.lo_ && hi_ == o.hi_;
}

Interval Interval::join(const Interval &o) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  return {min(lo_, o.lo_), max(hi_, o.hi_)};
}

Interval Interval::meet(const Interval &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  return {max(lo_, o.lo_), min(hi_, o.hi_)};
}

Interval Interval::widen(const Interval &next) const {
  if (bottom_)
    return next;
  if (next.bottom_)
    return *this;
  return {next.lo_ < lo_ ? Bound::minus_infinity() : lo_,
          next.hi_ > hi_ ? Bound::plus_infinity() : hi_};
}

Interval Interval::narrow(const Interval &next) const {
  if (bottom_ || next.bottom_)
    return bottom();
  return {lo_.is_minus_infinity() ? next.lo_ : lo_,
          hi_.is_plus_infinity() ? next.hi_ : hi_};
}

Interval Interval::operator+(const Interval &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  return {lo_ + o.lo_, hi_ + o.hi_};
}

Interval Interval::operator-() const {
  if (bottom_)
    return bottom();
  return {-hi_, -lo_};
}

Interval Interval::operator-(const Interval &o) const { return *this + (-o); }

Interval Interval::operator*(const Interval &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  const Bound p[] = {lo_ * o.lo_, lo_ * o.hi_, hi_ * o.lo_, hi_ * o.hi_};
  return {*std::min_element(std::begin(p), std::end(p)),
          *std::max_element(std::begin(p), std::end(p))};
}

namespace {

// Truncating division of bounds; the divisor is finite and non-zero or
// infinite (x / oo = 0).
Bound div_bound(Bound a, Bound b) {
  if (!b.is_finite())
    return a.is_finite()
               ? Bound(0)
               : ((a < Bound(0)) != (b < Bound(0)) ? Bound::minus_infinity()
                                                   : Bound::plus_infinity());
  if (!a.is_finite())
    return (a < Bound(0)) != (b < Bound(0)) ? Bound::minus_infinity()
                                            : Bound::plus_infinity();
  return Bound(a.value() / b.value());
}

Interval div_nonzero(const Interval &a, const Interval &d) {
  const Bound q[] = {div_bound(a.lo(), d.lo()), div_bound(a.lo(), d.hi()),
                     div_bound(a.hi(), d.lo()), div_bound(a.hi(), d.hi())};
  return {*std::min_element(std::begin(q), std::end(q)),
          *std::max_element(std::begin(q), std::end(q))};
}

} // namespace

Interval Interval::div(const Interval &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  Interval result = bottom();
  const Interval negative = o.meet({Bound::minus_infinity(), Bound(-1)});
  const Interval positive = o.meet({Bound(1), Bound::plus_infinity()});
  if (!negative.is_bottom())
    result = result.join(div_nonzero(*this, negative));
  if (!positive.is_bottom())
    result = result.join(div_nonzero(*this, positive));
  return result;
}

Interval Interval::rem(const Interval &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  if (auto a = singleton())
    if (auto d = o.singleton(); d && *d != 0)
      return Interval(Bound(*a % *d));
  // |a % d| < |d| and |a % d| <= |a|, with the sign of a.
  const Bound dmax = max(-o.lo_, o.hi_);
  if (dmax <= Bound(0))
    return bottom();
  const Bound m = dmax - Bound(1);
  const Bound lo = lo_ < Bound(0) ? max(lo_, -m) : Bound(0);
  const Bound hi = hi_ > Bound(0) ? min(hi_, m) : Bound(0);
  return {lo, hi};
}

std::string Interval::to_string() const {
  if (bottom_)
    return "_|_";
  if (lo_ == hi_)
    return lo_.to_string();
  return "[" + lo_.to_string() + ", " + hi_.to_string() + "]";
}

} // namespace bpfhost::verifier::domains
