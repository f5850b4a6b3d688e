#include "verifier/state.hpp"

namespace bpfhost::verifier {

namespace {
constexpr Var kCellTag = Var{1} << 30;
constexpr Var kCounterTag = Var{1} << 29;
constexpr unsigned kKinds = static_cast<unsigned>(Kind::Count);

Kind kind_at(unsigned k) { return static_cast<Kind>(k); }
} // namespace

const char *type_name(RegType t) {
  switch (t) {
  case RegType::Uninit:
    return "uninit";
  case RegType::Number:
    return "number";
  case RegType::Ctx:
    return "ctx";
  case RegType::Stack:
    return "stack";
  case RegType::Packet:
    return "packet";
  case RegType::Shared:
    return "shared";
  case RegType::MapFd:
    return "map_fd";
  case RegType::MapFdPrograms:
    return "map_fd_programs";
  case RegType::Count:
    break;
  }
  return "?";
}

std::string to_string(TypeSet s) {
  std::string out;
  unsigned n = 0;
  for (unsigned t = 0; t < static_cast<unsigned>(RegType::Count); ++t)
    if (s.contains(static_cast<RegType>(t))) {
      out += (n++ ? ", " : "");
      out += type_name(static_cast<RegType>(t));
    }
  return n == 1 ? out : "{" + out + "}";
}

const char *kind_name(Kind k) {
  switch (k) {
  case Kind::SValue:
    return "svalue";
  case Kind::UValue:
    return "uvalue";
  case Kind::CtxOffset:
    return "ctx_offset";
  case Kind::MapFd:
    return "map_fd";
  case Kind::PacketOffset:
    return "packet_offset";
  case Kind::SharedOffset:
    return "shared_offset";
  case Kind::SharedRegionSize:
    return "shared_region_size";
  case Kind::StackOffset:
    return "stack_offset";
  case Kind::StackNumericSize:
    return "stack_numeric_size";
  case Kind::Count:
    break;
  }
  return "?";
}

RegType kind_owner(Kind k) {
  switch (k) {
  case Kind::SValue:
  case Kind::UValue:
  case Kind::Count:
    return RegType::Count;
  case Kind::CtxOffset:
    return RegType::Ctx;
  case Kind::MapFd:
    return RegType::MapFd;
  case Kind::PacketOffset:
    return RegType::Packet;
  case Kind::SharedOffset:
  case Kind::SharedRegionSize:
    return RegType::Shared;
  case Kind::StackOffset:
  case Kind::StackNumericSize:
    return RegType::Stack;
  }
  return RegType::Count;
}

namespace {
// Whether a register of type set t can use kind k.
bool kind_used(TypeSet t, Kind k) {
  const RegType owner = kind_owner(k);
  if (owner == RegType::Count)
    return true;
  if (owner == RegType::MapFd)
    return t.contains(RegType::MapFd) || t.contains(RegType::MapFdPrograms);
  return t.contains(owner);
}
} // namespace

Var reg_var(unsigned reg, Kind k) { return reg * 16 + static_cast<Var>(k); }

Var var_of(Loc l, Kind k) {
  if (!l.is_cell)
    return reg_var(l.reg, k);
  return kCellTag | (static_cast<Var>(l.cell.offset) << 7) |
         ((l.cell.width - 1) << 4) | static_cast<Var>(k);
}

Var loop_counter_var(uint32_t node) { return kCounterTag | node; }

std::string var_name(Var v) {
  if (v == kPacketSize)
    return "packet_size";
  if (v == kMetaOffset)
    return "meta_offset";
  if (v & kCellTag) {
    const Var off = (v & ~kCellTag) >> 7;
    const Var w = ((v >> 4) & 7) + 1;
    return "s[" + std::to_string(off) + "..." + std::to_string(off + w - 1) +
           "]." + kind_name(kind_at(v & 15));
  }
  if (v & kCounterTag)
    return "pc[" + std::to_string(v & ~kCounterTag) + "]";
  return "r" + std::to_string(v / 16) + "." + kind_name(kind_at(v & 15));
}

State State::top() {
  State s;
  s.types.fill(TypeSet::all());
  return s;
}

State State::bottom() {
  State s = top();
  s.set_to_bottom();
  return s;
}

void State::set_to_bottom() {
  bottom_ = true;
  num.set_to_bottom();
}

TypeSet State::type(Loc l) const {
  if (!l.is_cell)
    return types[l.reg];
  if (const TypeSet *t = stack.find(l.cell))
    return *t;
  return TypeSet::all();
}

void State::set_type(Loc l, TypeSet t) {
  if (t.empty()) {
    set_to_bottom();
    return;
  }
  if (!l.is_cell)
    types[l.reg] = t;
  else
    stack.update_cells([&](CellKey k, TypeSet &p) {
      if (k == l.cell)
        p = t;
    });
  forget_unused_kinds(l);
}

void State::forget_unused_kinds(Loc l) {
  const TypeSet t = type(l);
  for (unsigned k = 0; k < kKinds; ++k)
    if (!kind_used(t, kind_at(k)))
      num.forget(var_of(l, kind_at(k)));
}

void State::copy(Loc dst, Loc src) {
  const TypeSet t = type(src);
  for (unsigned k = 0; k < kKinds; ++k) {
    const Var d = var_of(dst, kind_at(k));
    if (kind_used(t, kind_at(k)))
      num.assign(d, var_of(src, kind_at(k)), Bound(0));
    else
      num.forget(d);
  }
  if (!dst.is_cell)
    types[dst.reg] = t;
  else {
    for (const CellKey &k : stack.store(dst.cell, t))
      if (!(k == dst.cell))
        for (unsigned kk = 0; kk < kKinds; ++kk)
          num.forget(var_of(Loc::c(k), kind_at(kk)));
  }
}

void State::havoc(Loc l) {
  for (unsigned k = 0; k < kKinds; ++k)
    num.forget(var_of(l, kind_at(k)));
  if (!l.is_cell)
    types[l.reg] = TypeSet::all();
  else
    kill_stack(l.cell.offset, l.cell.width);
}

void State::set_number(Loc l, const Interval &s, const Interval &u) {
  for (unsigned k = 0; k < kKinds; ++k)
    num.forget(var_of(l, kind_at(k)));
  if (!l.is_cell)
    types[l.reg] = RegType::Number;
  else {
    for (const CellKey &k : stack.store(l.cell, RegType::Number))
      if (!(k == l.cell))
        for (unsigned kk = 0; kk < kKinds; ++kk)
          num.forget(var_of(Loc::c(k), kind_at(kk)));
  }
  num.set(var_of(l, Kind::SValue), s);
  num.set(var_of(l, Kind::UValue), u);
}

void State::kill_stack(int64_t offset, unsigned width) {
  for (const CellKey &k : stack.kill(offset, width))
    for (unsigned kk = 0; kk < kKinds; ++kk)
      num.forget(var_of(Loc::c(k), kind_at(kk)));
}

namespace {

// Gives `a` the bounds of `b` for the variables that only `b`'s type uses,
// so that joining keeps the offsets of each possible type (a register that
// is a stack pointer on one path and a packet pointer on the other keeps
// both offsets).
void align(State &a, const State &b) {
  auto fix = [&](Loc l, TypeSet ta, TypeSet tb) {
    for (unsigned k = 0; k < kKinds; ++k) {
      const Kind kind = kind_at(k);
      if (!kind_used(ta, kind) && kind_used(tb, kind)) {
        const Var v = var_of(l, kind);
        a.num.set(v, b.num.get(v));
      }
    }
  };
  for (unsigned r = 0; r < kAllRegisters; ++r)
    fix(Loc::r(r), a.types[r], b.types[r]);
  a.stack.for_each_cell([&](CellKey k, TypeSet ta) {
    if (const TypeSet *tb = b.stack.find(k))
      fix(Loc::c(k), ta, *tb);
  });
}

template <class Op> State combine(const State &x, const State &y, Op op) {
  State a = x, b = y;
  align(a, y);
  align(b, x);
  State r;
  for (unsigned i = 0; i < kAllRegisters; ++i)
    r.types[i] = a.types[i].join(b.types[i]);
  r.stack = a.stack;
  const auto dropped = r.stack.join_with(
      b.stack, [](TypeSet p, TypeSet q) { return p.join(q); });
  r.num = op(a.num, b.num);
  for (const CellKey &k : dropped)
    for (unsigned kk = 0; kk < kKinds; ++kk)
      r.num.forget(var_of(Loc::c(k), kind_at(kk)));
  return r;
}

} // namespace

State State::join(const State &o) const {
  if (is_bottom())
    return o;
  if (o.is_bottom())
    return *this;
  return combine(*this, o, [](const domains::Zone &a, const domains::Zone &b) {
    return a.join(b);
  });
}

State State::widen(const State &next,
                   const std::vector<Bound> *thresholds) const {
  if (is_bottom())
    return next;
  if (next.is_bottom())
    return *this;
  return combine(*this, next,
                 [&](const domains::Zone &a, const domains::Zone &b) {
                   return a.widen(b, thresholds);
                 });
}

State State::narrow(const State &next) const {
  if (is_bottom() || next.is_bottom())
    return bottom();
  State r = *this;
  r.num = num.narrow(next.num);
  for (unsigned i = 0; i < kAllRegisters; ++i) {
    r.types[i] = types[i].meet(next.types[i]);
    if (r.types[i].empty())
      return bottom();
  }
  return r;
}

bool State::leq(const State &o) const {
  if (is_bottom())
    return true;
  if (o.is_bottom())
    return false;
  for (unsigned i = 0; i < kAllRegisters; ++i)
    if (!types[i].leq(o.types[i]))
      return false;
  if (!stack.leq(o.stack, [](TypeSet p, TypeSet q) { return p.leq(q); }))
    return false;
  State a = *this;
  align(a, o);
  return a.num.leq(o.num);
}

std::string State::to_string() const {
  if (is_bottom())
    return "_|_\n";
  std::string s;
  auto dump = [&](Loc l, const std::string &name, TypeSet t) {
    if (t == TypeSet::all())
      return;
    s += name + ".type=" + verifier::to_string(t) + "\n";
    for (unsigned k = 0; k < kKinds; ++k) {
      const Interval i = get(l, kind_at(k));
      if (!i.is_top() && kind_used(t, kind_at(k)))
        s += name + "." + kind_name(kind_at(k)) + "=" + i.to_string() + "\n";
    }
  };
  for (unsigned r = 0; r < kRegisters; ++r)
    dump(Loc::r(r), "r" + std::to_string(r), types[r]);
  stack.for_each_cell([&](CellKey k, TypeSet t) {
    dump(Loc::c(k),
         "s[" + std::to_string(k.offset) + "..." +
             std::to_string(k.offset + k.width - 1) + "]",
         t);
  });
  for (Var v : {kPacketSize, kMetaOffset})
    if (!num.get(v).is_top())
      s += var_name(v) + "=" + num.get(v).to_string() + "\n";
  return s;
}

} // namespace bpfhost::verifier
