#include "verifier/transfer.hpp"

#include "isa/overloaded.hpp"

namespace bpfhost::verifier {

Word word_of(const State &s, unsigned reg) {
  Word w{s.sval(reg), s.uval(reg)};
  w = normalize(w, 64);
  if (w.s.is_bottom())
    return {signed_range(64), unsigned_range(64)};
  return w;
}

void set_word(State &s, unsigned reg, const Word &w) {
  const Word n = normalize(w, 64);
  if (n.s.is_bottom()) {
    s.set_to_bottom();
    return;
  }
  s.set_number(Loc::r(reg), n.s, n.u);
}

void tighten_views(State &s, Loc l) {
  const Word w =
      normalize({s.get(l, Kind::SValue), s.get(l, Kind::UValue)}, 64);
  if (w.s.is_bottom()) {
    s.set_to_bottom();
    return;
  }
  s.num.meet_bounds(var_of(l, Kind::SValue), w.s);
  s.num.meet_bounds(var_of(l, Kind::UValue), w.u);
}

namespace {

void scratch_caller_saved(State &s) {
  for (unsigned r = 1; r <= 5; ++r) {
    s.havoc(Loc::r(r));
    s.types[r] = RegType::Uninit;
  }
}

unsigned saved_reg(unsigned depth, unsigned r) {
  return kRegisters + (depth - 1) * 4 + (r - 6);
}

} // namespace

void enter_subprogram(State &s, unsigned depth) {
  for (unsigned r = 6; r <= 9; ++r)
    s.copy(Loc::r(saved_reg(depth, r)), Loc::r(r));
  s.num.shift(reg_var(10, Kind::StackOffset),
              Interval(Bound(-kSubprogramStack)));
}

void return_from_subprogram(State &s, unsigned depth) {
  for (unsigned r = 6; r <= 9; ++r) {
    s.copy(Loc::r(r), Loc::r(saved_reg(depth, r)));
    s.havoc(Loc::r(saved_reg(depth, r)));
  }
  s.num.shift(reg_var(10, Kind::StackOffset),
              Interval(Bound(kSubprogramStack)));
  scratch_caller_saved(s);
}

void transfer(State &s, const isa::Insn &insn, const TransferContext &ctx) {
  if (s.is_bottom())
    return;
  std::visit(
      isa::overloaded{
          [&](const isa::Alu &a) { transfer_alu(s, a); },
          [&](const isa::Neg &n) { transfer_neg(s, n); },
          [&](const isa::Endian &e) {
            transfer_endian(s, e, ctx.options.big_endian);
          },
          [&](const isa::Load &l) { transfer_load(s, l, ctx); },
          [&](const isa::Store &st) { transfer_store(s, st); },
          [&](const isa::Atomic &a) { transfer_atomic(s, a); },
          [&](const isa::Jump &) {},
          [&](const isa::Call &c) { transfer_call(s, c.helper_id, ctx); },
          [&](const isa::CallLocal &) {},
          [&](const isa::CallBtf &) {
            s.havoc(Loc::r(0));
            scratch_caller_saved(s);
          },
          [&](const isa::CallX &c) {
            if (auto id = s.sval(c.reg.index).singleton())
              transfer_call(s, static_cast<int32_t>(*id), ctx);
            else {
              set_word(s, 0, {signed_range(64), unsigned_range(64)});
              scratch_caller_saved(s);
            }
          },
          [&](const isa::Exit &) {},
          [&](const isa::LoadImm64 &l) { transfer_lddw(s, l, ctx); },
          [&](const isa::PacketLoad &p) {
            const unsigned bits = isa::bytes(p.width) * 8;
            set_word(s, 0, from_unsigned(unsigned_range(bits), 64));
            scratch_caller_saved(s);
          },
      },
      insn);
}

} // namespace bpfhost::verifier
