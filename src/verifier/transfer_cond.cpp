// Assuming a branch condition: numbers by their signed or unsigned view (and
// zone relations between registers), pointers of one region by their offsets,
// 32-bit conditions through the low half of each register.
#include "verifier/assertions.hpp"
#include "verifier/transfer.hpp"

namespace bpfhost::verifier {

using isa::JumpCond;

namespace {

Interval below(const Interval &i, int strict) { // values < (or <=) i.hi
  return {Bound::minus_infinity(), i.hi() - Bound(strict)};
}
Interval above(const Interval &i, int strict) {
  return {i.lo() + Bound(strict), Bound::plus_infinity()};
}

Interval shave(const Interval &a, const Interval &b) {
  auto c = b.singleton();
  if (!c || a.is_bottom())
    return a;
  if (a.singleton() == c)
    return Interval::bottom();
  if (a.lo() == Bound(*c))
    return {a.lo() + Bound(1), a.hi()};
  if (a.hi() == Bound(*c))
    return {a.lo(), a.hi() - Bound(1)};
  return a;
}

bool is_unsigned(JumpCond op) {
  return op == JumpCond::Lt || op == JumpCond::Le || op == JumpCond::Gt ||
         op == JumpCond::Ge;
}

// Refines both words by `a OP b`, interval-wise, at `bits`.
void refine(JumpCond op, Word &a, Word &b, unsigned bits) {
  auto order = [&](Interval &x, Interval &y, int strict) { // x < y or x <= y
    x = x.meet(below(y, strict));
    y = y.meet(above(x, strict));
  };
  switch (op) {
  case JumpCond::Eq:
    a.s = b.s = a.s.meet(b.s);
    a.u = b.u = a.u.meet(b.u);
    break;
  case JumpCond::Ne:
    a.s = shave(a.s, b.s);
    a.u = shave(a.u, b.u);
    b.s = shave(b.s, a.s);
    b.u = shave(b.u, a.u);
    break;
  case JumpCond::Lt:
    order(a.u, b.u, 1);
    break;
  case JumpCond::Le:
    order(a.u, b.u, 0);
    break;
  case JumpCond::Gt:
    order(b.u, a.u, 1);
    break;
  case JumpCond::Ge:
    order(b.u, a.u, 0);
    break;
  case JumpCond::SLt:
    order(a.s, b.s, 1);
    break;
  case JumpCond::SLe:
    order(a.s, b.s, 0);
    break;
  case JumpCond::SGt:
    order(b.s, a.s, 1);
    break;
  case JumpCond::SGe:
    order(b.s, a.s, 0);
    break;
  case JumpCond::Set: // a & b != 0
    if (auto x = a.u.singleton())
      if (auto y = b.u.singleton())
        if ((*x & *y) == 0)
          a.u = Interval::bottom();
    break;
  case JumpCond::Always: // a & b == 0 (the negation of Set)
    if (auto x = a.u.singleton())
      if (auto y = b.u.singleton())
        if ((*x & *y) != 0)
          a.u = Interval::bottom();
    break;
  }
  a = normalize(a, bits);
  b = normalize(b, bits);
}

// Writes refined 64-bit views back (relations kept).
void meet_word(State &s, unsigned reg, const Word &w) {
  s.num.meet_bounds(reg_var(reg, Kind::SValue), w.s);
  s.num.meet_bounds(reg_var(reg, Kind::UValue), w.u);
  if (!s.is_bottom())
    tighten_views(s, Loc::r(reg));
}

// Writes refined low-32 views back when the high half is fixed.
void meet_low32(State &s, unsigned reg, const Word &low) {
  if (low.u.is_bottom()) {
    s.set_to_bottom();
    return;
  }
  const Interval u = s.uval(reg);
  if (!u.lo().is_finite() || !u.hi().is_finite() ||
      (u.lo().value() >> 32) != (u.hi().value() >> 32))
    return;
  const domains::Int128 base = (u.lo().value() >> 32) << 32;
  s.num.meet_bounds(reg_var(reg, Kind::UValue), low.u + Interval(Bound(base)));
  if (!s.is_bottom())
    tighten_views(s, Loc::r(reg));
}

void relate(State &s, JumpCond op, Var x, Var y) {
  switch (op) {
  case JumpCond::Eq:
    s.num.add_equal(x, y, Bound(0));
    break;
  case JumpCond::Lt:
  case JumpCond::SLt:
    s.num.add_difference(x, y, Bound(-1));
    break;
  case JumpCond::Le:
  case JumpCond::SLe:
    s.num.add_difference(x, y, Bound(0));
    break;
  case JumpCond::Gt:
  case JumpCond::SGt:
    s.num.add_difference(y, x, Bound(-1));
    break;
  case JumpCond::Ge:
  case JumpCond::SGe:
    s.num.add_difference(y, x, Bound(0));
    break;
  case JumpCond::Ne:
  case JumpCond::Set:
  case JumpCond::Always:
    break;
  }
}

} // namespace

void assume_condition(State &s, const Condition &c) {
  if (s.is_bottom())
    return;
  const unsigned dst = c.dst.index;
  const auto *src_reg = std::get_if<isa::Reg>(&c.src);
  const TypeSet td = s.types[dst];
  const TypeSet ts =
      src_reg ? s.types[src_reg->index] : TypeSet(RegType::Number);
  Word b = src_reg
               ? word_of(s, src_reg->index)
               : constant_word(
                     static_cast<int64_t>(std::get<isa::Imm>(c.src).value), 64);
  if (src_reg && src_reg->index == dst) {
    // x OP x: decided without looking at x.
    if (c.op == JumpCond::Ne || c.op == JumpCond::Lt || c.op == JumpCond::Gt ||
        c.op == JumpCond::SLt || c.op == JumpCond::SGt)
      s.set_to_bottom();
    return;
  }
  const TypeSet maps = TypeSet(RegType::MapFd) | RegType::MapFdPrograms;
  if (src_reg && td.leq(maps) && ts.leq(maps)) {
    const Var x = reg_var(dst, Kind::MapFd),
              y = reg_var(src_reg->index, Kind::MapFd);
    if (c.op == JumpCond::Eq)
      s.num.add_equal(x, y, Bound(0));
    else if (c.op == JumpCond::Ne) {
      auto xi = s.num.get(x), yi = s.num.get(y);
      s.num.meet_bounds(x, shave(xi, yi));
      s.num.meet_bounds(y, shave(yi, xi));
    }
    return;
  }
  if (src_reg && td.is_single() && td == ts && td.leq(pointer_types())) {
    const Kind k = td.contains(RegType::Ctx)      ? Kind::CtxOffset
                   : td.contains(RegType::Stack)  ? Kind::StackOffset
                   : td.contains(RegType::Packet) ? Kind::PacketOffset
                                                  : Kind::SharedOffset;
    const Var x = reg_var(dst, k), y = reg_var(src_reg->index, k);
    relate(s, c.op, x, y);
    if (c.op == JumpCond::Ne) {
      auto xi = s.num.get(x), yi = s.num.get(y);
      s.num.meet_bounds(x, shave(xi, yi));
      s.num.meet_bounds(y, shave(yi, xi));
    }
    return;
  }
  if (src_reg && !(td.is_only(RegType::Number) && ts.is_only(RegType::Number)))
    return; // mixed regions: assertions decide; nothing to learn
  if (c.is32) {
    Word a = low32(word_of(s, dst));
    Word b32 = low32(b);
    refine(c.op, a, b32, 32);
    meet_low32(s, dst, a);
    if (src_reg && !s.is_bottom())
      meet_low32(s, src_reg->index, b32);
    return;
  }
  Word a = word_of(s, dst);
  refine(c.op, a, b, 64);
  if (a.s.is_bottom() || b.s.is_bottom()) {
    s.set_to_bottom();
    return;
  }
  meet_word(s, dst, a);
  if (src_reg && !s.is_bottom()) {
    meet_word(s, src_reg->index, b);
    const Kind k = is_unsigned(c.op) ? Kind::UValue : Kind::SValue;
    relate(s, c.op, reg_var(dst, k), reg_var(src_reg->index, k));
    if (c.op == JumpCond::Eq)
      relate(s, c.op, reg_var(dst, Kind::UValue),
             reg_var(src_reg->index, Kind::UValue));
  }
}

} // namespace bpfhost::verifier
