#include "verifier/word.hpp"

#include <optional>

#include "verifier/domains/tnum.hpp"

namespace bpfhost::verifier {

using domains::Bound;
using domains::Tnum;
using isa::AluOp;

namespace {

Int128 pow2(unsigned bits) { return static_cast<Int128>(1) << bits; }

// The unsigned view of a signed interval that lies on one side of zero.
Interval s_to_u(const Interval &s, unsigned bits) {
  if (s.is_bottom())
    return s;
  if (s.lo() >= Bound(0))
    return s;
  if (s.hi() < Bound(0))
    return s + Interval(Bound(pow2(bits)));
  // Crosses zero: [0, hi] ∪ [lo + 2^bits, max].
  return {Bound(0), Bound(pow2(bits) - 1)};
}

Interval u_to_s(const Interval &u, unsigned bits) {
  if (u.is_bottom())
    return u;
  const Bound half(pow2(bits - 1));
  if (u.hi() < half)
    return u;
  if (u.lo() >= half)
    return u - Interval(Bound(pow2(bits)));
  return signed_range(bits);
}

std::optional<uint64_t> const_u(const Word &w) {
  if (auto v = w.u.singleton())
    return static_cast<uint64_t>(*v);
  return std::nullopt;
}

Tnum to_tnum(const Word &w) {
  if (w.u.lo().is_finite() && w.u.hi().is_finite())
    return Tnum::range(static_cast<uint64_t>(w.u.lo().value()),
                       static_cast<uint64_t>(w.u.hi().value()));
  return Tnum::top();
}

Word from_tnum(const Tnum &t, unsigned bits) {
  const Tnum x = bits == 32 ? t.truncate(4) : t;
  return from_unsigned({Bound(x.min()), Bound(x.max())}, bits);
}

// Exact result if it fits, else the whole range.
Interval fit(const Interval &i, const Interval &range) {
  return i.leq(range) ? i : range;
}

Int128 wrap_signed(Int128 v, unsigned bits) {
  v &= pow2(bits) - 1;
  return v >= pow2(bits - 1) ? v - pow2(bits) : v;
}

} // namespace

Interval signed_range(unsigned bits) {
  return {Bound(-pow2(bits - 1)), Bound(pow2(bits - 1) - 1)};
}

Interval unsigned_range(unsigned bits) {
  return {Bound(0), Bound(pow2(bits) - 1)};
}

Word normalize(Word w, unsigned bits) {
  w.s = w.s.meet(signed_range(bits));
  w.u = w.u.meet(unsigned_range(bits));
  if (w.s.is_bottom() || w.u.is_bottom())
    return {Interval::bottom(), Interval::bottom()};
  for (int round = 0; round < 2; ++round) {
    w.u = w.u.meet(s_to_u(w.s, bits));
    w.s = w.s.meet(u_to_s(w.u, bits));
  }
  if (w.s.is_bottom() || w.u.is_bottom())
    return {Interval::bottom(), Interval::bottom()};
  return w;
}

Word from_signed(const Interval &s, unsigned bits) {
  return normalize({s, unsigned_range(bits)}, bits);
}

Word from_unsigned(const Interval &u, unsigned bits) {
  return normalize({signed_range(bits), u}, bits);
}

Word constant_word(Int128 v, unsigned bits) {
  const Int128 s = wrap_signed(v, bits);
  const Int128 u = v & (pow2(bits) - 1);
  return {Interval(Bound(s)), Interval(Bound(u))};
}

Word low32(const Word &w) {
  Word r{signed_range(32), unsigned_range(32)};
  if (w.s.leq(signed_range(32)))
    r.s = w.s;
  if (w.u.lo().is_finite() && w.u.hi().is_finite() &&
      (w.u.lo().value() >> 32) == (w.u.hi().value() >> 32)) {
    const Int128 base = (w.u.lo().value() >> 32) << 32;
    r.u = w.u - Interval(Bound(base));
  }
  return normalize(r, 32);
}

Word truncate(const Word &w, unsigned bytes, bool sign_extend) {
  const unsigned bits = bytes * 8;
  Word low{signed_range(bits), unsigned_range(bits)};
  if (bits == 64)
    low = w;
  else {
    if (w.s.leq(signed_range(bits)))
      low.s = w.s;
    if (w.u.lo().is_finite() && w.u.hi().is_finite() &&
        (w.u.lo().value() >> bits) == (w.u.hi().value() >> bits))
      low.u = w.u - Interval(Bound((w.u.lo().value() >> bits) << bits));
    low = normalize(low, bits);
  }
  if (sign_extend)
    return from_signed(low.s, 64);
  return from_unsigned(low.u, 64);
}

Word negate(const Word &w, unsigned bits) {
  if (auto c = const_u(w))
    return constant_word(-static_cast<Int128>(*c), bits);
  return from_signed(fit(-w.s, signed_range(bits)), bits);
}

Word byte_swap(const Word &w, unsigned bits) {
  if (auto c = const_u(w)) {
    uint64_t v = *c, r = 0;
    for (unsigned i = 0; i < bits / 8; ++i)
      r |= ((v >> (8 * i)) & 0xff) << (bits - 8 - 8 * i);
    return constant_word(r, 64);
  }
  return from_unsigned(unsigned_range(bits), 64);
}

Word alu(AluOp op, const Word &a, const Word &b, unsigned bits) {
  const Interval srange = signed_range(bits), urange = unsigned_range(bits);
  const auto cu = const_u(b);
  switch (op) {
  case AluOp::Add:
  case AluOp::Sub: {
    const bool add = op == AluOp::Add;
    const Interval s = add ? a.s + b.s : a.s - b.s;
    Interval u = add ? a.u + b.u : a.u - b.u;
    Word r{fit(s, srange), urange};
    if (u.leq(urange))
      r.u = u;
    else if (add && u.lo() >= Bound(pow2(bits)))
      r.u = u - Interval(Bound(pow2(bits)));
    else if (!add && u.hi() < Bound(0))
      r.u = u + Interval(Bound(pow2(bits)));
    return normalize(r, bits);
  }
  case AluOp::Mul: {
    Word r{fit(a.s * b.s, srange), fit(a.u * b.u, urange)};
    return normalize(r, bits);
  }
  case AluOp::Div: {
    // BPF: x / 0 = 0.
    Interval d = b.u.meet({Bound(1), Bound::plus_infinity()});
    Interval q = d.is_bottom() ? Interval::bottom() : a.u.div(d);
    if (b.u.contains(0))
      q = q.join(Interval(Bound(0)));
    return from_unsigned(q, bits);
  }
  case AluOp::Mod: {
    // BPF: x % 0 = x.
    Interval d = b.u.meet({Bound(1), Bound::plus_infinity()});
    Interval m = d.is_bottom() ? Interval::bottom() : a.u.rem(d);
    if (!d.is_bottom() && m.hi() > a.u.hi())
      m = {m.lo(), a.u.hi()};
    if (b.u.contains(0))
      m = m.join(a.u);
    return from_unsigned(m, bits);
  }
  case AluOp::SDiv: {
    Interval q = a.s.div(b.s);
    if (b.s.contains(0))
      q = q.join(Interval(Bound(0)));
    return from_signed(fit(q, srange), bits);
  }
  case AluOp::SMod: {
    Interval m = a.s.rem(b.s);
    if (b.s.contains(0))
      m = m.join(a.s);
    return from_signed(fit(m, srange), bits);
  }
  case AluOp::And: {
    Word r = from_tnum(to_tnum(a) & to_tnum(b), bits);
    // x & m <= min(x, m) for unsigned views.
    r.u = r.u.meet({Bound(0), min(a.u.hi(), b.u.hi())});
    if (a.s.lo() >= Bound(0) || b.s.lo() >= Bound(0))
      r.s = r.s.meet({Bound(0), Bound::plus_infinity()});
    return normalize(r, bits);
  }
  case AluOp::Or: {
    Word r = from_tnum(to_tnum(a) | to_tnum(b), bits);
    r.u = r.u.meet({max(a.u.lo(), b.u.lo()), Bound::plus_infinity()});
    return normalize(r, bits);
  }
  case AluOp::Xor:
    return from_tnum(to_tnum(a) ^ to_tnum(b), bits);
  case AluOp::Lsh:
  case AluOp::Rsh:
  case AluOp::Arsh: {
    // The shift amount is taken modulo the width (RFC 9669 §4.1).
    Interval n = b.u;
    if (!n.leq(Interval::range(0, bits - 1)))
      n = cu ? Interval(Bound(static_cast<Int128>(*cu % bits)))
             : Interval::range(0, bits - 1);
    const Int128 lo = n.lo().value(), hi = n.hi().value();
    if (op == AluOp::Lsh) {
      if (a.u.hi().is_finite() && a.u.lo().is_finite()) {
        const Interval r{Bound(a.u.lo().value() << lo),
                         Bound(a.u.hi().value() << hi)};
        if (r.leq(urange))
          return from_unsigned(r, bits);
      }
      if (lo == hi)
        return from_tnum(to_tnum(a).shl(static_cast<unsigned>(lo)), bits);
      return {srange, urange};
    }
    if (op == AluOp::Rsh) {
      if (!a.u.lo().is_finite() || !a.u.hi().is_finite())
        return {srange, urange};
      return from_unsigned(
          {Bound(a.u.lo().value() >> hi), Bound(a.u.hi().value() >> lo)}, bits);
    }
    if (!a.s.lo().is_finite() || !a.s.hi().is_finite())
      return {srange, urange};
    const Int128 l = a.s.lo().value(), h = a.s.hi().value();
    return from_signed(
        {Bound(l < 0 ? l >> lo : l >> hi), Bound(h < 0 ? h >> hi : h >> lo)},
        bits);
  }
  case AluOp::Mov:
  case AluOp::MovSx8:
  case AluOp::MovSx16:
  case AluOp::MovSx32:
    return b;
  }
  return {srange, urange};
}

} // namespace bpfhost::verifier
