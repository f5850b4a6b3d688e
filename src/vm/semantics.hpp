// The meaning of each ALU operation and jump condition (RFC 9669 §4), written
// once for both widths: U is uint64_t (BPF_ALU64, BPF_JMP) or uint32_t
// (BPF_ALU, BPF_JMP32). All arithmetic is unsigned, so nothing here is
// undefined behaviour; signed operations convert explicitly.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace bpfhost::vm::sem {

template <class U> using S = std::make_signed_t<U>;
template <class U> constexpr U kShiftMask = sizeof(U) * 8 - 1;

template <class U> constexpr U add(U a, U b) { return a + b; }
template <class U> constexpr U sub(U a, U b) { return a - b; }
template <class U> constexpr U mul(U a, U b) { return a * b; }
// x / 0 = 0.
template <class U> constexpr U div(U a, U b) { return b == 0 ? 0 : a / b; }
// x / 0 = 0; INT_MIN / -1 = INT_MIN (the wrapped negation), without trapping.
template <class U> constexpr U sdiv(U a, U b) {
  if (b == 0)
    return 0;
  if (b == static_cast<U>(-1))
    return U(0) - a;
  return static_cast<U>(static_cast<S<U>>(a) / static_cast<S<U>>(b));
}
template <class U> constexpr U bit_or(U a, U b) { return a | b; }
template <class U> constexpr U bit_and(U a, U b) { return a & b; }
// Shift amounts are masked to 5 or 6 bits.
template <class U> constexpr U lsh(U a, U b) {
  return a << (b & kShiftMask<U>);
}
template <class U> constexpr U rsh(U a, U b) {
  return a >> (b & kShiftMask<U>);
}
// x % 0 = x (for 32 bits its low half, zero-extended by the caller).
template <class U> constexpr U mod(U a, U b) { return b == 0 ? a : a % b; }
// The sign of a signed remainder follows the dividend; INT_MIN % -1 = 0.
template <class U> constexpr U smod(U a, U b) {
  if (b == 0)
    return a;
  if (b == static_cast<U>(-1))
    return 0;
  return static_cast<U>(static_cast<S<U>>(a) % static_cast<S<U>>(b));
}
template <class U> constexpr U bit_xor(U a, U b) { return a ^ b; }
// C++20 defines >> of a negative value as an arithmetic shift.
template <class U> constexpr U arsh(U a, U b) {
  return static_cast<U>(static_cast<S<U>>(a) >> (b & kShiftMask<U>));
}
template <class U> constexpr U mov(U, U b) { return b; }

template <class U> constexpr bool eq(U a, U b) { return a == b; }
template <class U> constexpr bool ne(U a, U b) { return a != b; }
template <class U> constexpr bool gt(U a, U b) { return a > b; }
template <class U> constexpr bool ge(U a, U b) { return a >= b; }
template <class U> constexpr bool lt(U a, U b) { return a < b; }
template <class U> constexpr bool le(U a, U b) { return a <= b; }
template <class U> constexpr bool set(U a, U b) { return (a & b) != 0; }
template <class U> constexpr bool sgt(U a, U b) { return S<U>(a) > S<U>(b); }
template <class U> constexpr bool sge(U a, U b) { return S<U>(a) >= S<U>(b); }
template <class U> constexpr bool slt(U a, U b) { return S<U>(a) < S<U>(b); }
template <class U> constexpr bool sle(U a, U b) { return S<U>(a) <= S<U>(b); }

// The value of imm as the second operand of a 64-bit operation.
constexpr uint64_t sext(int32_t imm) {
  return static_cast<uint64_t>(static_cast<int64_t>(imm));
}

constexpr uint16_t bswap16(uint16_t v) {
  return static_cast<uint16_t>((v >> 8) | (v << 8));
}
constexpr uint32_t bswap32(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}
constexpr uint64_t bswap64(uint64_t v) {
  return (static_cast<uint64_t>(bswap32(static_cast<uint32_t>(v))) << 32) |
         bswap32(static_cast<uint32_t>(v >> 32));
}

// Any load widened to 64 bits: zero-extended for unsigned T, sign-extended
// for signed T.
template <class T> constexpr uint64_t widen(T v) {
  return static_cast<uint64_t>(static_cast<int64_t>(v));
}
// A big-endian (network order) value of a packet, in host order.
template <class T> constexpr T from_network(T v) {
  if constexpr (std::endian::native == std::endian::big || sizeof(T) == 1)
    return v;
  else if constexpr (sizeof(T) == 2)
    return bswap16(v);
  else
    return bswap32(v);
}

} // namespace bpfhost::vm::sem
