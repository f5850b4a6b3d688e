#include "verifier/check.hpp"

#include "isa/overloaded.hpp"

namespace bpfhost::verifier {

namespace {

using Failure = std::optional<std::string>;

Failure fail(std::string m) { return m; }

// Upper bound of the access width.
std::optional<Interval> width_of(const State &s, const ValidAccess &v) {
  if (auto i = std::get_if<isa::Imm>(&v.width))
    return Interval(Bound(i->value));
  const unsigned r = std::get<Reg>(v.width).index;
  if (!s.types[r].is_only(RegType::Number))
    return std::nullopt;
  return s.uval(r);
}

Failure check_region(const State &s, RegType t, const Reg base, int32_t off,
                     const Interval &width, bool numeric_contents,
                     const CheckContext &ctx, AccessKind access) {
  const Loc b = Loc::r(base.index);
  const Interval w_hi(width.hi());
  switch (t) {
  case RegType::Stack: {
    const Interval o = s.get(b, Kind::StackOffset) + Interval(Bound(off));
    if (o.lo() < Bound(0))
      return fail("Lower bound must be at least 0");
    if (base.index == isa::kFrameRegister &&
        o.lo() < s.get(b, Kind::StackOffset).lo() - Bound(kSubprogramStack))
      return fail("Lower bound must be at least r10.stack_offset - "
                  "EBPF_SUBPROGRAM_STACK_SIZE");
    if ((o + w_hi).hi() > Bound(kTotalStack))
      return fail("Upper bound must be at most EBPF_TOTAL_STACK_SIZE");
    if (numeric_contents && access != AccessKind::Write) {
      auto lo = o.lo(), hi = (o + w_hi).hi();
      if (!lo.is_finite() || !hi.is_finite() ||
          !s.stack.all_known(static_cast<int64_t>(lo.value()),
                             static_cast<int64_t>((hi - lo).value())))
        return fail("Stack content is not numeric");
    }
    return std::nullopt;
  }
  case RegType::Packet: {
    const Var ov = var_of(b, Kind::PacketOffset);
    // off + width <= packet_size, through the zone or the bounds.
    const Bound end_vs_size =
        s.num.diff_upper(ov, kPacketSize) + Bound(off) + width.hi();
    const Bound end =
        (s.get(b, Kind::PacketOffset) + Interval(Bound(off)) + w_hi).hi();
    if (end_vs_size > Bound(0) && end > s.num.get(kPacketSize).lo())
      return fail("Upper bound must be at most packet_size");
    const Bound start =
        (s.get(b, Kind::PacketOffset) + Interval(Bound(off))).lo();
    const Bound meta_gap = s.num.diff_upper(kMetaOffset, ov) - Bound(off);
    if (start < Bound(0) && meta_gap > Bound(0) &&
        start < s.num.get(kMetaOffset).hi())
      return fail("Lower bound must be at least meta_offset");
    return std::nullopt;
  }
  case RegType::Ctx: {
    const Interval o = s.get(b, Kind::CtxOffset) + Interval(Bound(off));
    if (o.lo() < Bound(0))
      return fail("Lower bound must be at least 0");
    if ((o + w_hi).hi() > Bound(ctx.platform.context.size))
      return fail("Upper bound must be at most " +
                  std::to_string(ctx.platform.context.size));
    return std::nullopt;
  }
  case RegType::Shared: {
    const Interval o = s.get(b, Kind::SharedOffset) + Interval(Bound(off));
    if (o.lo() < Bound(0))
      return fail("Lower bound must be at least 0");
    const Interval size = s.get(b, Kind::SharedRegionSize);
    if ((o + w_hi).hi() > size.lo())
      return fail("Upper bound must be at most r" + std::to_string(base.index) +
                  ".shared_region_size");
    if (s.sval(base.index).contains(0))
      return fail("Possible null access");
    return std::nullopt;
  }
  case RegType::Number:
    return fail("Only pointers can be dereferenced");
  case RegType::Uninit:
  case RegType::MapFd:
  case RegType::MapFdPrograms:
  case RegType::Count:
    return fail("Invalid type");
  }
  return std::nullopt;
}

Failure check_access(const State &s, const ValidAccess &v,
                     const CheckContext &ctx) {
  auto width = width_of(s, v);
  if (!width)
    return fail("Invalid size");
  if (width->hi().is_plus_infinity())
    return fail("Upper bound of the size is unknown");
  const TypeSet t = s.types[v.base.index];
  const bool via_helper = std::holds_alternative<Reg>(v.width);
  for (unsigned i = 0; i < static_cast<unsigned>(RegType::Count); ++i) {
    const auto type = static_cast<RegType>(i);
    if (!t.contains(type))
      continue;
    if (type == RegType::Number && v.or_null) {
      if (s.sval(v.base.index).singleton() != 0)
        return fail("Only pointers or null can be passed here");
      continue;
    }
    if (type == RegType::Shared && v.or_null)
      continue;
    if (auto f = check_region(s, type, v.base, v.off, *width, via_helper, ctx,
                              v.access))
      return f;
  }
  return std::nullopt;
}

Failure check_map_kv(const State &s, const ValidMapKeyValue &m,
                     const CheckContext &ctx) {
  auto fd = s.get(Loc::r(m.map_fd.index), Kind::MapFd).singleton();
  if (!fd)
    return fail("Map must be known");
  const MapDescriptor *d = ctx.platform.map(static_cast<int32_t>(*fd));
  if (!d)
    return fail("Unknown map fd " + domains::int128_to_string(*fd));
  const Interval size(
      Bound(static_cast<int64_t>(m.key ? d->key_size : d->value_size)));
  const TypeSet t = s.types[m.access.index];
  for (unsigned i = 0; i < static_cast<unsigned>(RegType::Count); ++i) {
    const auto type = static_cast<RegType>(i);
    if (!t.contains(type))
      continue;
    if (type != RegType::Stack && type != RegType::Packet &&
        type != RegType::Shared)
      return fail("Only stack or packet can be used as a parameter");
    if (auto f = check_region(s, type, m.access, 0, size, true, ctx,
                              AccessKind::Read)) {
      if (*f == "Stack content is not numeric")
        return fail("Illegal map update with a non-numerical value");
      return f;
    }
  }
  return std::nullopt;
}

bool only(const State &s, Reg r, RegType t) {
  return s.types[r.index].is_only(t);
}

} // namespace

std::optional<std::string> check(const State &s, const Assertion &a,
                                 const CheckContext &ctx) {
  if (s.is_bottom())
    return std::nullopt;
  return std::visit(
      isa::overloaded{
          [&](const TypeConstraint &t) -> Failure {
            if (s.types[t.reg.index].leq(t.allowed))
              return std::nullopt;
            return fail("Invalid type");
          },
          [&](const ValidAccess &v) { return check_access(s, v, ctx); },
          [&](const ValidDivisor &d) -> Failure {
            if (!only(s, d.reg, RegType::Number))
              return fail("Only numbers can be used as divisors");
            if (!ctx.options.allow_division_by_zero &&
                s.uval(d.reg.index).contains(0))
              return fail("Possible division by zero");
            return std::nullopt;
          },
          [&](const ValidStore &v) -> Failure {
            if (only(s, v.base, RegType::Stack) ||
                only(s, v.value, RegType::Number))
              return std::nullopt;
            return fail(
                "Only numbers can be stored to externally-visible regions");
          },
          [&](const ValidMapKeyValue &m) { return check_map_kv(s, m, ctx); },
          [&](const Comparable &c) -> Failure {
            const TypeSet ta = s.types[c.a.index], tb = s.types[c.b.index];
            if (ta.is_only(RegType::Number) && tb.is_only(RegType::Number))
              return std::nullopt;
            if (c.subtraction) {
              if (ta.is_only(RegType::Number) && tb.leq(ptr_or_num_types()))
                return std::nullopt; // pointer - number
              const TypeSet regions =
                  TypeSet(RegType::Ctx) | RegType::Stack | RegType::Packet;
              if (ta == tb && ta.is_single() && ta.leq(regions))
                return std::nullopt;
              return fail("Cannot subtract pointers to different regions");
            }
            if (ta == tb && ta.is_single() && !ta.contains(RegType::Uninit))
              return std::nullopt;
            return fail(
                "Cannot compare or subtract pointers to different regions");
          },
          [&](const Addable &ad) -> Failure {
            if (!s.types[ad.ptr.index].intersects(pointer_types()) ||
                only(s, ad.num, RegType::Number))
              return std::nullopt;
            return fail("Only numbers can be added to pointers");
          },
          [&](const ValidSize &v) -> Failure {
            const Interval n = s.sval(v.reg.index);
            if (n.lo() < Bound(v.can_be_zero ? 0 : 1))
              return fail(v.can_be_zero
                              ? "Invalid size (may be negative)"
                              : "Invalid size (may be zero or negative)");
            return std::nullopt;
          },
          [&](const ValidCall &c) -> Failure {
            if (c.helper_id == -2)
              return fail("calls of kernel functions are not supported");
            const HelperPrototype *h = ctx.platform.helper(c.helper_id);
            if (!h)
              return fail(c.via ? "callx target is not a known helper"
                                : "helper function " +
                                      std::to_string(c.helper_id) +
                                      " is not available to this program type");
            if ((h->flags & kHelperTailCall) && c.in_subprogram)
              return fail("tail call not supported in subprogram");
            return std::nullopt;
          },
          [&](const ZeroOffsetCtx &z) -> Failure {
            if (!only(s, z.reg, RegType::Ctx))
              return fail("Invalid type");
            if (s.get(Loc::r(z.reg.index), Kind::CtxOffset).singleton() != 0)
              return fail("Nonzero context offset");
            return std::nullopt;
          },
          [&](const ValidReturn &) -> Failure {
            const Interval r = s.sval(0);
            if (!r.leq(Interval::range(ctx.platform.return_min,
                                       ctx.platform.return_max)))
              return fail("Return value " + r.to_string() + " out of range");
            return std::nullopt;
          },
      },
      a);
}

void assume(State &s, const Assertion &a, const CheckContext &ctx) {
  (void)ctx;
  if (s.is_bottom())
    return;
  if (auto t = std::get_if<TypeConstraint>(&a)) {
    const TypeSet now = s.types[t->reg.index].meet(t->allowed);
    s.set_type(Loc::r(t->reg.index), now);
    return;
  }
  if (auto v = std::get_if<ValidAccess>(&a)) {
    if (!v->or_null) {
      const TypeSet now = s.types[v->base.index].meet(pointer_types());
      s.set_type(Loc::r(v->base.index), now);
    }
    return;
  }
  if (auto d = std::get_if<ValidDivisor>(&a)) {
    s.set_type(Loc::r(d->reg.index), RegType::Number);
    return;
  }
}

} // namespace bpfhost::verifier
