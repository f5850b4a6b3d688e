// The powerset lattice of a small finite set (at most 32 elements), as a bit
// mask: join is union, meet intersection, order inclusion; the empty set is
// bottom. Knows nothing of eBPF; the verifier's register types use it.
#pragma once

#include <bit>
#include <cstdint>

namespace bpfhost::verifier::domains {

template <class E> class FlagSet {
public:
  constexpr FlagSet() = default;
  constexpr FlagSet(E e) : bits_(bit(e)) {}
  static constexpr FlagSet from_bits(uint32_t b) {
    FlagSet s;
    s.bits_ = b;
    return s;
  }
  // Every element of E (E must end with a `Count` enumerator).
  static constexpr FlagSet all() {
    return from_bits((uint32_t{1} << static_cast<unsigned>(E::Count)) - 1);
  }

  constexpr uint32_t bits() const { return bits_; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool contains(E e) const { return (bits_ & bit(e)) != 0; }
  constexpr bool is_single() const { return std::popcount(bits_) == 1; }
  constexpr bool is_only(E e) const { return bits_ == bit(e); }
  constexpr bool leq(FlagSet o) const { return (bits_ & ~o.bits_) == 0; }
  constexpr bool intersects(FlagSet o) const { return (bits_ & o.bits_) != 0; }
  constexpr FlagSet join(FlagSet o) const { return from_bits(bits_ | o.bits_); }
  constexpr FlagSet meet(FlagSet o) const { return from_bits(bits_ & o.bits_); }
  constexpr FlagSet without(FlagSet o) const {
    return from_bits(bits_ & ~o.bits_);
  }
  constexpr bool operator==(const FlagSet &) const = default;
  friend constexpr FlagSet operator|(FlagSet a, FlagSet b) { return a.join(b); }

private:
  static constexpr uint32_t bit(E e) {
    return uint32_t{1} << static_cast<unsigned>(e);
  }
  uint32_t bits_ = 0;
};

} // namespace bpfhost::verifier::domains
