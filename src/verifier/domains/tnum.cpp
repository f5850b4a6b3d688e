#include "verifier/domains/tnum.hpp"

#include <bit>

namespace bpfhost::verifier::domains {

Tnum Tnum::range(uint64_t lo, uint64_t hi) {
  const uint64_t chi = lo ^ hi;
  const int bits = chi == 0 ? 0 : 64 - std::countl_zero(chi);
  if (bits >= 64)
    return top();
  const uint64_t delta = (uint64_t{1} << bits) - 1;
  return {lo & ~delta, delta};
}

Tnum Tnum::join(const Tnum &o) const {
  const uint64_t mu = mask | o.mask | (value ^ o.value);
  return {value & ~mu, mu};
}

Tnum Tnum::meet(const Tnum &o, bool &ok) const {
  const uint64_t both_known = ~mask & ~o.mask;
  ok = ((value ^ o.value) & both_known) == 0;
  const uint64_t mu = mask & o.mask;
  return {(value | o.value) & ~mu, mu};
}

Tnum Tnum::operator&(const Tnum &o) const {
  const uint64_t alpha = value | mask, beta = o.value | o.mask;
  const uint64_t v = value & o.value;
  return {v, alpha & beta & ~v};
}

Tnum Tnum::operator|(const Tnum &o) const {
  const uint64_t v = value | o.value;
  const uint64_t mu = mask | o.mask;
  return {v, mu & ~v};
}

Tnum Tnum::operator^(const Tnum &o) const {
  const uint64_t v = value ^ o.value;
  const uint64_t mu = mask | o.mask;
  return {v & ~mu, mu};
}

Tnum Tnum::operator+(const Tnum &o) const {
  const uint64_t sm = mask + o.mask;
  const uint64_t sv = value + o.value;
  const uint64_t sigma = sm + sv;
  const uint64_t chi = sigma ^ sv;
  const uint64_t mu = chi | mask | o.mask;
  return {sv & ~mu, mu};
}

Tnum Tnum::shl(unsigned n) const {
  n &= 63;
  return {value << n, mask << n};
}

Tnum Tnum::lshr(unsigned n) const {
  n &= 63;
  return {value >> n, mask >> n};
}

Tnum Tnum::ashr(unsigned n, unsigned bits) const {
  n &= bits - 1;
  auto sar = [&](uint64_t x) {
    if (bits == 32) {
      const int32_t s = static_cast<int32_t>(static_cast<uint32_t>(x));
      return static_cast<uint64_t>(static_cast<uint32_t>(s >> n));
    }
    return static_cast<uint64_t>(static_cast<int64_t>(x) >> n);
  };
  return {sar(value), sar(mask)};
}

Tnum Tnum::truncate(unsigned bytes) const {
  if (bytes >= 8)
    return *this;
  const uint64_t keep = (uint64_t{1} << (bytes * 8)) - 1;
  return {value & keep, mask & keep};
}

std::string Tnum::to_string() const {
  std::string s;
  for (int b = 63; b >= 0; --b) {
    const uint64_t bit = uint64_t{1} << b;
    s.push_back((mask & bit) ? 'x' : ((value & bit) ? '1' : '0'));
  }
  return s;
}

} // namespace bpfhost::verifier::domains
