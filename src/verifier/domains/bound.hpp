// Extended integers for numeric domains: 128-bit values with +oo and -oo, so
// that both the signed and the unsigned 64-bit views of a value (and sums of
// them) are exact. Knows nothing of eBPF.
#pragma once

#include <cstdint>
#include <string>

namespace bpfhost::verifier::domains {

__extension__ typedef __int128 Int128;

// A value of Z ∪ {-oo, +oo}. Finite values stay far below the sentinels, so
// arithmetic on them never overflows; results past the sentinels saturate.
class Bound {
public:
  constexpr Bound() = default;
  constexpr Bound(Int128 v) : v_(clamp(v)) {}
  constexpr Bound(int64_t v) : v_(v) {}
  constexpr Bound(int v) : v_(v) {}
  constexpr Bound(uint64_t v) : v_(static_cast<Int128>(v)) {}

  static constexpr Bound plus_infinity() { return raw(kInf); }
  static constexpr Bound minus_infinity() { return raw(-kInf); }

  constexpr bool is_finite() const { return v_ > -kInf && v_ < kInf; }
  constexpr bool is_plus_infinity() const { return v_ >= kInf; }
  constexpr bool is_minus_infinity() const { return v_ <= -kInf; }
  // The finite value; only meaningful when is_finite().
  constexpr Int128 value() const { return v_; }

  friend constexpr bool operator==(Bound a, Bound b) { return a.v_ == b.v_; }
  friend constexpr auto operator<=>(Bound a, Bound b) { return a.v_ <=> b.v_; }

  constexpr Bound operator-() const { return raw(-v_); }
  // +oo + -oo does not occur in the domains (lower bounds add to lower
  // bounds); it yields +oo if it ever does.
  friend constexpr Bound operator+(Bound a, Bound b) {
    if (a.is_plus_infinity() || b.is_plus_infinity())
      return plus_infinity();
    if (a.is_minus_infinity() || b.is_minus_infinity())
      return minus_infinity();
    return Bound(a.v_ + b.v_);
  }
  friend constexpr Bound operator-(Bound a, Bound b) { return a + (-b); }
  friend Bound operator*(Bound a, Bound b);

  std::string to_string() const;

private:
  static constexpr Int128 kInf = static_cast<Int128>(1) << 120;
  static constexpr Int128 clamp(Int128 v) {
    return v >= kInf ? kInf : (v <= -kInf ? -kInf : v);
  }
  static constexpr Bound raw(Int128 v) {
    Bound b;
    b.v_ = clamp(v);
    return b;
  }
  Int128 v_ = 0;
};

inline constexpr Bound min(Bound a, Bound b) { return a < b ? a : b; }
inline constexpr Bound max(Bound a, Bound b) { return a < b ? b : a; }

// Decimal text of a 128-bit integer.
std::string int128_to_string(Int128 v);

} // namespace bpfhost::verifier::domains
