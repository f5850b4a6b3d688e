// Memory transfer: loads and stores on the stack (byte-precise, spills keep
// their type), the context (packet pointers from its field table), packet
// and shared memory (plain data); 64-bit immediates that name maps.
#include <optional>

#include "verifier/assertions.hpp"
#include "verifier/transfer.hpp"

namespace bpfhost::verifier {

namespace {

std::optional<int64_t> single(const Interval &i) {
  if (auto v = i.singleton())
    return static_cast<int64_t>(*v);
  return std::nullopt;
}

Word width_range(unsigned bytes, bool sign_extend) {
  const unsigned bits = bytes * 8;
  return sign_extend ? from_signed(signed_range(bits), 64)
                     : from_unsigned(unsigned_range(bits), 64);
}

void set_packet_pointer(State &s, unsigned dst, Var offset_source,
                        bool from_var, int64_t offset) {
  s.havoc(Loc::r(dst));
  s.types[dst] = RegType::Packet;
  if (from_var)
    s.num.assign(reg_var(dst, Kind::PacketOffset), offset_source, Bound(0));
  else
    s.num.set(reg_var(dst, Kind::PacketOffset), Interval(Bound(offset)));
  s.num.set(reg_var(dst, Kind::SValue), Interval::range(kPacketMin, kPtrMax));
  s.num.set(reg_var(dst, Kind::UValue), Interval::range(kPacketMin, kPtrMax));
}

// Composes a number from constant number cells covering [o, o + w).
std::optional<uint64_t> compose(const State &s, int64_t o, unsigned w,
                                bool big_endian) {
  uint64_t value = 0;
  int64_t at = o;
  while (at < o + w) {
    std::optional<CellKey> hit;
    for (const CellKey &k : s.stack.overlapping(at, 1))
      if (k.offset == at && at + k.width <= o + w)
        hit = k;
    if (!hit || !s.stack.find(*hit)->is_only(RegType::Number))
      return std::nullopt;
    auto v = s.get(Loc::c(*hit), Kind::UValue).singleton();
    if (!v)
      return std::nullopt;
    const uint64_t part = static_cast<uint64_t>(*v);
    for (unsigned i = 0; i < hit->width; ++i) {
      const uint64_t byte = big_endian
                                ? (part >> (8 * (hit->width - 1 - i))) & 0xff
                                : (part >> (8 * i)) & 0xff;
      const int64_t pos = at - o + i;
      const unsigned shift = big_endian ? 8 * (w - 1 - pos) : 8 * pos;
      value |= byte << shift;
    }
    at += hit->width;
  }
  return value;
}

void load_stack(State &s, const isa::Load &l, const TransferContext &ctx) {
  const unsigned dst = l.dst.index;
  const unsigned w = isa::bytes(l.width);
  const Interval off = s.get(Loc::r(l.base.index), Kind::StackOffset) +
                       Interval(Bound(static_cast<int64_t>(l.off)));
  auto o = single(off);
  if (o) {
    const CellKey key{*o, w};
    if (const TypeSet *t = s.stack.find(key)) {
      const bool number = t->is_only(RegType::Number);
      s.copy(Loc::r(dst), Loc::c(key));
      if (number && l.sign_extend)
        set_word(s, dst, truncate(word_of(s, dst), w, true));
      return;
    }
    if (s.stack.all_known(*o, w)) {
      if (auto v = compose(s, *o, w, ctx.options.big_endian)) {
        set_word(s, dst, truncate(constant_word(*v, 64), w, l.sign_extend));
        return;
      }
      set_word(s, dst, width_range(w, l.sign_extend));
      return;
    }
  } else if (off.lo().is_finite() && off.hi().is_finite() &&
             s.stack.all_known(
                 static_cast<int64_t>(off.lo().value()),
                 static_cast<int64_t>(off.hi().value() - off.lo().value()) +
                     w)) {
    set_word(s, dst, width_range(w, l.sign_extend));
    return;
  }
  s.havoc(Loc::r(dst));
}

void load_ctx(State &s, const isa::Load &l, const TransferContext &ctx) {
  const unsigned dst = l.dst.index;
  const ContextDescriptor &c = ctx.platform.context;
  const Interval off = s.get(Loc::r(l.base.index), Kind::CtxOffset) +
                       Interval(Bound(static_cast<int64_t>(l.off)));
  if (auto o = single(off); o && isa::bytes(l.width) >= 4) {
    if (*o == c.data_offset) {
      set_packet_pointer(s, dst, 0, false, 0);
      return;
    }
    if (*o == c.data_end_offset) {
      set_packet_pointer(s, dst, kPacketSize, true, 0);
      return;
    }
    if (*o == c.meta_offset) {
      set_packet_pointer(s, dst, kMetaOffset, true, 0);
      return;
    }
  }
  set_word(s, dst, width_range(isa::bytes(l.width), l.sign_extend));
}

} // namespace

void transfer_load(State &s, const isa::Load &l, const TransferContext &ctx) {
  const TypeSet t = s.types[l.base.index];
  if (t.is_only(RegType::Stack))
    load_stack(s, l, ctx);
  else if (t.is_only(RegType::Ctx))
    load_ctx(s, l, ctx);
  else if (!t.intersects(TypeSet(RegType::Stack) | RegType::Ctx))
    set_word(s, l.dst.index, width_range(isa::bytes(l.width), l.sign_extend));
  else
    s.havoc(Loc::r(l.dst.index));
}

namespace {

void clobber_stack_range(State &s, const Interval &off, unsigned w) {
  if (!off.lo().is_finite() || !off.hi().is_finite()) {
    s.kill_stack(0, kTotalStack);
    s.stack.set_known(0, kTotalStack, false);
    return;
  }
  const int64_t lo = static_cast<int64_t>(off.lo().value());
  const int64_t len = static_cast<int64_t>(off.hi().value()) - lo + w;
  s.kill_stack(lo, static_cast<unsigned>(len));
  s.stack.set_known(lo, static_cast<unsigned>(len), false);
}

} // namespace

void transfer_store(State &s, const isa::Store &st) {
  const unsigned base = st.base.index;
  if (!s.types[base].contains(RegType::Stack))
    return; // packet, shared, ctx: plain memory the state does not track
  const unsigned w = isa::bytes(st.width);
  const Interval off = s.get(Loc::r(base), Kind::StackOffset) +
                       Interval(Bound(static_cast<int64_t>(st.off)));
  auto o = single(off);
  if (!o || !s.types[base].is_only(RegType::Stack)) {
    clobber_stack_range(s, off, w);
    return;
  }
  const CellKey key{*o, w};
  if (auto r = std::get_if<isa::Reg>(&st.value)) {
    const TypeSet t = s.types[r->index];
    if (w == 8) {
      s.copy(Loc::c(key), Loc::r(r->index));
      s.stack.set_known(*o, w, t.is_only(RegType::Number));
      return;
    }
    if (!t.is_only(RegType::Number)) {
      // Part of a pointer (or unknown bytes): nothing usable remains.
      s.kill_stack(*o, w);
      s.stack.set_known(*o, w, false);
      return;
    }
    const Word v = truncate(word_of(s, r->index), w, false);
    s.set_number(Loc::c(key), v.s, v.u);
    s.stack.set_known(*o, w, t.is_only(RegType::Number));
    return;
  }
  const Word v = truncate(
      constant_word(static_cast<int64_t>(std::get<isa::Imm>(st.value).value),
                    64),
      w, false);
  s.set_number(Loc::c(key), v.s, v.u);
  s.stack.set_known(*o, w, true);
}

void transfer_atomic(State &s, const isa::Atomic &a) {
  const unsigned w = isa::bytes(a.width);
  const unsigned base = a.base.index;
  if (s.types[base].contains(RegType::Stack)) {
    const Interval off = s.get(Loc::r(base), Kind::StackOffset) +
                         Interval(Bound(static_cast<int64_t>(a.off)));
    auto o = single(off);
    if (o && s.types[base].is_only(RegType::Stack)) {
      const Word v = width_range(w, false);
      s.set_number(Loc::c(CellKey{*o, w}), v.s, v.u);
      s.stack.set_known(*o, w, true);
    } else {
      clobber_stack_range(s, off, w);
    }
  }
  if (a.op == isa::AtomicOp::CmpXchg)
    set_word(s, 0, width_range(w, false));
  else if (a.fetch || a.op == isa::AtomicOp::Xchg)
    set_word(s, a.src.index, width_range(w, false));
}

void transfer_lddw(State &s, const isa::LoadImm64 &l,
                   const TransferContext &ctx) {
  const unsigned dst = l.dst.index;
  switch (l.kind) {
  case isa::LddwKind::Imm:
    set_word(s, dst, constant_word(static_cast<int64_t>(l.value()), 64));
    return;
  case isa::LddwKind::MapFd:
  case isa::LddwKind::MapIdx: {
    const MapDescriptor *m = ctx.platform.map(l.imm);
    s.havoc(Loc::r(dst));
    s.types[dst] = m && m->value_kind == MapValueKind::ProgramFds
                       ? RegType::MapFdPrograms
                       : RegType::MapFd;
    s.num.set(reg_var(dst, Kind::MapFd), Interval(Bound(l.imm)));
    s.num.set(reg_var(dst, Kind::SValue), Interval::range(1, kPtrMax));
    s.num.set(reg_var(dst, Kind::UValue), Interval::range(1, kPtrMax));
    return;
  }
  case isa::LddwKind::MapValue:
  case isa::LddwKind::MapIdxValue: {
    const MapDescriptor *m = ctx.platform.map(l.imm);
    s.havoc(Loc::r(dst));
    s.types[dst] = RegType::Shared;
    s.num.set(reg_var(dst, Kind::SharedOffset), Interval(Bound(l.next_imm)));
    s.num.set(reg_var(dst, Kind::SharedRegionSize),
              m ? Interval(Bound(static_cast<int64_t>(m->value_size)))
                : Interval(Bound(0)));
    s.num.set(reg_var(dst, Kind::SValue), Interval::range(1, kPtrMax));
    s.num.set(reg_var(dst, Kind::UValue), Interval::range(1, kPtrMax));
    return;
  }
  case isa::LddwKind::BtfId:
  case isa::LddwKind::Func:
    set_word(s, dst, {signed_range(64), unsigned_range(64)});
    return;
  }
}

} // namespace bpfhost::verifier
