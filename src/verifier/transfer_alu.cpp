// ALU transfer: numbers through word.hpp, pointer arithmetic on offsets,
// relations kept in the zone where an operand is a constant.
#include "isa/overloaded.hpp"
#include "verifier/assertions.hpp"
#include "verifier/transfer.hpp"

namespace bpfhost::verifier {

using isa::AluOp;

namespace {

const Kind kOffsetKinds[] = {Kind::CtxOffset, Kind::PacketOffset,
                             Kind::SharedOffset, Kind::StackOffset};

Word imm_word(int32_t imm, bool is64) {
  if (is64)
    return constant_word(static_cast<int64_t>(imm), 64);
  return constant_word(static_cast<uint32_t>(imm), 64);
}

// Word of an operand at 64 bits (an immediate is sign-extended).
Word operand(const State &s, const isa::Operand &o) {
  if (auto r = std::get_if<isa::Reg>(&o))
    return word_of(s, r->index);
  return imm_word(std::get<isa::Imm>(o).value, true);
}

bool only_number(TypeSet t) { return t.is_only(RegType::Number); }

// dst := dst +/- src on numbers at 64 bits, keeping dst's relations when
// src is a constant and nothing wraps.
void add_numbers(State &s, unsigned dst, const Word &a, const Word &b,
                 bool add) {
  const Word r = alu(add ? AluOp::Add : AluOp::Sub, a, b, 64);
  auto c = b.s.singleton();
  const Var sv = reg_var(dst, Kind::SValue), uv = reg_var(dst, Kind::UValue);
  const Interval exact_s = add ? a.s + b.s : a.s - b.s;
  const Interval exact_u = add ? a.u + b.u : a.u - b.u;
  if (c && exact_s.leq(signed_range(64)) && exact_u.leq(unsigned_range(64))) {
    const domains::Int128 d = add ? *c : -*c;
    s.num.shift(sv, Interval(Bound(d)));
    s.num.shift(uv, Interval(Bound(d)));
    s.num.meet_bounds(sv, r.s);
    s.num.meet_bounds(uv, r.u);
    if (s.num.get(sv).is_top() || s.num.get(uv).is_top())
      set_word(s, dst, r);
    return;
  }
  if (c && exact_s.leq(signed_range(64))) {
    s.num.shift(sv, Interval(Bound(add ? *c : -*c)));
    s.num.set(uv, r.u);
    tighten_views(s, Loc::r(dst));
    return;
  }
  set_word(s, dst, r);
}

void pointer_add(State &s, unsigned dst, TypeSet t, const Interval &delta) {
  for (Kind k : kOffsetKinds)
    if (t.contains(kind_owner(k)))
      s.num.shift(reg_var(dst, k), delta);
}

void add_sub(State &s, const isa::Alu &a) {
  const unsigned dst = a.dst.index;
  const bool add = a.op == AluOp::Add;
  const TypeSet td = s.types[dst];
  const auto *src_reg = std::get_if<isa::Reg>(&a.src);
  const TypeSet ts =
      src_reg ? s.types[src_reg->index] : TypeSet(RegType::Number);
  const Word b = operand(s, a.src);
  if (only_number(td) && only_number(ts)) {
    add_numbers(s, dst, word_of(s, dst), b, add);
    return;
  }
  if (only_number(ts) && td.leq(pointer_types())) {
    pointer_add(s, dst, td, add ? b.s : -b.s);
    return;
  }
  if (add && only_number(td) && ts.leq(pointer_types()) && src_reg) {
    const Interval n = s.sval(dst);
    s.copy(Loc::r(dst), Loc::r(src_reg->index));
    pointer_add(s, dst, ts, n);
    return;
  }
  if (!add && src_reg && td == ts && td.is_single() &&
      td.leq(pointer_types())) {
    for (Kind k : kOffsetKinds)
      if (td.contains(kind_owner(k))) {
        const Var x = reg_var(dst, k), y = reg_var(src_reg->index, k);
        const Interval diff{-s.num.diff_upper(y, x), s.num.diff_upper(x, y)};
        const Interval exact = s.num.get(x) - s.num.get(y);
        set_word(s, dst, from_signed(diff.meet(exact), 64));
        return;
      }
  }
  if (td.leq(ptr_or_num_types()) && only_number(ts)) {
    // A number or a pointer: offsets move, the number part is computed.
    const Word r = alu(add ? AluOp::Add : AluOp::Sub, word_of(s, dst), b, 64);
    pointer_add(s, dst, td, add ? b.s : -b.s);
    s.num.set(reg_var(dst, Kind::SValue), r.s.join(s.sval(dst)));
    s.num.set(reg_var(dst, Kind::UValue), r.u.join(s.uval(dst)));
    return;
  }
  s.havoc(Loc::r(dst));
  s.types[dst] = ptr_or_num_types();
}

} // namespace

void transfer_alu(State &s, const isa::Alu &a) {
  const unsigned dst = a.dst.index;
  const auto *src_reg = std::get_if<isa::Reg>(&a.src);
  if (a.op == AluOp::Mov) {
    if (!src_reg) {
      set_word(s, dst, imm_word(std::get<isa::Imm>(a.src).value, a.is64));
      return;
    }
    if (a.is64) {
      s.copy(Loc::r(dst), Loc::r(src_reg->index));
      return;
    }
    const Word low = low32(word_of(s, src_reg->index));
    if (only_number(s.types[src_reg->index]) &&
        s.uval(src_reg->index).leq(unsigned_range(32))) {
      s.copy(Loc::r(dst), Loc::r(src_reg->index));
      return;
    }
    set_word(s, dst,
             from_unsigned(only_number(s.types[src_reg->index])
                               ? low.u
                               : unsigned_range(32),
                           64));
    return;
  }
  if (a.op == AluOp::MovSx8 || a.op == AluOp::MovSx16 ||
      a.op == AluOp::MovSx32) {
    const unsigned bytes = a.op == AluOp::MovSx8    ? 1
                           : a.op == AluOp::MovSx16 ? 2
                                                    : 4;
    Word w = truncate(operand(s, a.src), bytes, true);
    if (!a.is64)
      w = from_unsigned(low32(w).u, 64);
    set_word(s, dst, w);
    return;
  }
  if (a.is64 && (a.op == AluOp::Add || a.op == AluOp::Sub)) {
    add_sub(s, a);
    return;
  }
  if (!only_number(s.types[dst]) ||
      (src_reg && !only_number(s.types[src_reg->index]))) {
    // Assertions reject this; continue with an unknown number.
    set_word(s, dst, {signed_range(64), unsigned_range(64)});
    return;
  }
  const Word b = operand(s, a.src);
  if (a.is64) {
    set_word(s, dst, alu(a.op, word_of(s, dst), b, 64));
    return;
  }
  const Word src32 = low32(b);
  const Word r = alu(a.op, low32(word_of(s, dst)), src32, 32);
  set_word(s, dst, from_unsigned(r.u, 64));
}

void transfer_neg(State &s, const isa::Neg &n) {
  const unsigned dst = n.dst.index;
  if (n.is64)
    set_word(s, dst, negate(word_of(s, dst), 64));
  else
    set_word(s, dst, from_unsigned(negate(low32(word_of(s, dst)), 32).u, 64));
}

void transfer_endian(State &s, const isa::Endian &e, bool big_endian) {
  const unsigned dst = e.dst.index;
  const Word w = word_of(s, dst);
  const bool swap = e.order == isa::ByteOrder::Swap ||
                    (e.order == isa::ByteOrder::ToBig) != big_endian;
  if (swap)
    set_word(s, dst, byte_swap(w, e.bits));
  else if (e.bits < 64)
    set_word(s, dst, truncate(w, e.bits / 8, false));
  else
    set_word(s, dst, w);
}

} // namespace bpfhost::verifier
