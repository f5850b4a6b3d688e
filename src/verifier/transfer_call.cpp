// Helper calls: the prototype says what r0 becomes, which memory arguments
// the helper writes and whether packet pointers survive.
#include "verifier/transfer.hpp"

namespace bpfhost::verifier {

namespace {

void write_memory_argument(State &s, unsigned mem, unsigned size) {
  if (!s.types[mem].is_only(RegType::Stack))
    return;
  auto o = s.get(Loc::r(mem), Kind::StackOffset).singleton();
  const Interval n = s.uval(size);
  if (!o || !n.hi().is_finite() || n.hi() > Bound(kTotalStack))
    return;
  const auto len = static_cast<unsigned>(n.hi().value());
  s.kill_stack(static_cast<int64_t>(*o), len);
  s.stack.set_known(static_cast<int64_t>(*o), len, true);
}

void invalidate_packet_pointers(State &s) {
  for (unsigned r = 0; r < kAllRegisters; ++r)
    if (s.types[r].contains(RegType::Packet)) {
      s.havoc(Loc::r(r));
      s.types[r] = RegType::Uninit;
    }
  std::vector<CellKey> dead;
  s.stack.for_each_cell([&](CellKey k, TypeSet t) {
    if (t.contains(RegType::Packet))
      dead.push_back(k);
  });
  for (const CellKey &k : dead) {
    s.kill_stack(k.offset, k.width);
    s.stack.set_known(k.offset, k.width, false);
  }
}

void set_shared_or_null(State &s, const Interval &size) {
  s.havoc(Loc::r(0));
  s.types[0] = RegType::Shared;
  s.num.set(reg_var(0, Kind::SharedOffset), Interval(Bound(0)));
  s.num.set(reg_var(0, Kind::SharedRegionSize), size);
  s.num.set(reg_var(0, Kind::SValue), Interval::range(0, kPtrMax));
  s.num.assign(reg_var(0, Kind::UValue), reg_var(0, Kind::SValue), Bound(0));
}

} // namespace

void transfer_call(State &s, int32_t helper_id, const TransferContext &ctx) {
  const HelperPrototype *h = ctx.platform.helper(helper_id);
  std::optional<unsigned> map_reg;
  if (h)
    for (unsigned i = 0; i < 5; ++i) {
      const ArgKind k = h->args[i];
      if (k == ArgKind::PtrToMap && !map_reg)
        map_reg = i + 1;
      if (k == ArgKind::PtrToUninitMem && i + 1 < 5)
        write_memory_argument(s, i + 1, i + 2);
    }
  const ReturnKind ret = h ? h->return_kind : ReturnKind::Integer;
  switch (ret) {
  case ReturnKind::Integer:
  case ReturnKind::Void:
  case ReturnKind::NoReturn:
    set_word(s, 0, {signed_range(64), unsigned_range(64)});
    break;
  case ReturnKind::PtrToMapValueOrNull: {
    Interval size = Interval::range(0, 0);
    if (map_reg)
      if (auto fd = s.get(Loc::r(*map_reg), Kind::MapFd).singleton())
        if (const MapDescriptor *m =
                ctx.platform.map(static_cast<int32_t>(*fd)))
          size = Interval(Bound(static_cast<int64_t>(m->value_size)));
    set_shared_or_null(s, size);
    break;
  }
  case ReturnKind::PtrToMemOrNull: {
    Interval size = Interval(Bound(static_cast<int64_t>(h->return_size)));
    if (h->flags & kHelperReturnSizeFromArg)
      size = s.uval(static_cast<unsigned>(h->return_size));
    set_shared_or_null(s, size);
    break;
  }
  }
  if (h && (h->flags & kHelperReallocatesPacket))
    invalidate_packet_pointers(s);
  for (unsigned r = 1; r <= 5; ++r) {
    s.havoc(Loc::r(r));
    s.types[r] = RegType::Uninit;
  }
}

} // namespace bpfhost::verifier
