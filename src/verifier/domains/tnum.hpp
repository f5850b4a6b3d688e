// Known bits ("tristate numbers", as the Linux verifier's tnum.c): a 64-bit
// word whose bits are each 0, 1 or unknown. `value` holds the known ones,
// `mask` the unknown ones (value & mask == 0). Precise for masks and shifts
// where intervals are not (x & 31 is in [0, 31] whatever x is). Knows nothing
// of eBPF.
#pragma once

#include <cstdint>
#include <string>

namespace bpfhost::verifier::domains {

struct Tnum {
  uint64_t value = 0;
  uint64_t mask = ~uint64_t{0}; // default: unknown (top)

  static Tnum constant(uint64_t v) { return {v, 0}; }
  static Tnum top() { return {0, ~uint64_t{0}}; }
  // The tightest tnum containing every value of [lo, hi] (unsigned).
  static Tnum range(uint64_t lo, uint64_t hi);

  bool is_constant() const { return mask == 0; }
  uint64_t min() const { return value; }
  uint64_t max() const { return value | mask; }
  bool contains(uint64_t v) const { return (v & ~mask) == value; }
  bool leq(const Tnum &o) const {
    return (mask & ~o.mask) == 0 && (value & ~o.mask) == o.value;
  }
  bool operator==(const Tnum &) const = default;

  Tnum join(const Tnum &o) const;
  // Nullopt-free meet: an empty meet (contradicting known bits) is reported
  // by `ok` = false.
  Tnum meet(const Tnum &o, bool &ok) const;

  Tnum operator&(const Tnum &o) const;
  Tnum operator|(const Tnum &o) const;
  Tnum operator^(const Tnum &o) const;
  Tnum operator+(const Tnum &o) const;
  Tnum shl(unsigned n) const;
  Tnum lshr(unsigned n) const;
  Tnum ashr(unsigned n, unsigned bits = 64) const;
  // The low `bytes` bytes, zero-extended.
  Tnum truncate(unsigned bytes) const;

  std::string to_string() const;
};

} // namespace bpfhost::verifier::domains
