#include "verifier/facts.hpp"

#include <cctype>

namespace bpfhost::verifier {

namespace {

std::string strip(std::string s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out.push_back(c);
  return out;
}

bool parse_int(const std::string &s, Bound &out) {
  if (s == "+oo" || s == "oo") {
    out = Bound::plus_infinity();
    return true;
  }
  if (s == "-oo") {
    out = Bound::minus_infinity();
    return true;
  }
  if (s.empty())
    return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i >= s.size())
    return false;
  domains::Int128 v = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])))
      return false;
    v = v * 10 + (s[i] - '0');
  }
  out = Bound(s[0] == '-' ? -v : v);
  return true;
}

bool parse_kind(const std::string &s, Kind &k, bool &is_type) {
  is_type = s == "type";
  if (is_type)
    return true;
  for (unsigned i = 0; i < static_cast<unsigned>(Kind::Count); ++i)
    if (s == kind_name(static_cast<Kind>(i))) {
      k = static_cast<Kind>(i);
      return true;
    }
  return false;
}

bool parse_types(const std::string &s, TypeSet &out) {
  std::string body = s;
  if (!body.empty() && body.front() == '{' && body.back() == '}')
    body = body.substr(1, body.size() - 2);
  size_t start = 0;
  while (start <= body.size()) {
    size_t comma = body.find(',', start);
    const std::string name = body.substr(start, comma - start);
    bool found = false;
    for (unsigned t = 0; t < static_cast<unsigned>(RegType::Count); ++t)
      if (name == type_name(static_cast<RegType>(t))) {
        out = out | static_cast<RegType>(t);
        found = true;
      }
    if (!found)
      return false;
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return true;
}

bool parse_term(const std::string &s, FactTerm &t) {
  Bound b;
  if (parse_int(s, b)) {
    t.tag = FactTerm::Tag::Literal;
    t.literal = Interval(b);
    return true;
  }
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
    const size_t comma = s.find(',');
    Bound lo, hi;
    if (comma == std::string::npos || !parse_int(s.substr(1, comma - 1), lo) ||
        !parse_int(s.substr(comma + 1, s.size() - comma - 2), hi))
      return false;
    t.tag = FactTerm::Tag::Literal;
    t.literal = Interval(lo, hi);
    return true;
  }
  if (s == "packet_size" || s == "meta_offset") {
    t.tag = FactTerm::Tag::Value;
    t.global = true;
    t.global_var = s == "packet_size" ? kPacketSize : kMetaOffset;
    return true;
  }
  if (s.rfind("pc[", 0) == 0 && s.back() == ']') {
    Bound n;
    if (!parse_int(s.substr(3, s.size() - 4), n) || !n.is_finite())
      return false;
    t.tag = FactTerm::Tag::Value;
    t.global = true;
    t.global_var = loop_counter_var(static_cast<uint32_t>(n.value()));
    return true;
  }
  TypeSet types;
  if (parse_types(s, types)) {
    t.tag = FactTerm::Tag::TypeLiteral;
    t.types = types;
    return true;
  }
  const size_t dot = s.rfind('.');
  if (dot == std::string::npos)
    return false;
  bool is_type = false;
  if (!parse_kind(s.substr(dot + 1), t.kind, is_type))
    return false;
  t.tag = is_type ? FactTerm::Tag::TypeOf : FactTerm::Tag::Value;
  const std::string base = s.substr(0, dot);
  if (base.size() >= 2 && base[0] == 'r') {
    Bound r;
    if (!parse_int(base.substr(1), r) || r < Bound(0) || r > Bound(10))
      return false;
    t.reg = static_cast<unsigned>(r.value());
    return true;
  }
  if (base.rfind("s[", 0) == 0 && base.back() == ']') {
    const std::string range = base.substr(2, base.size() - 3);
    const size_t dots = range.find("...");
    Bound a, z;
    if (!parse_int(range.substr(0, dots), a))
      return false;
    z = a;
    if (dots != std::string::npos && !parse_int(range.substr(dots + 3), z))
      return false;
    t.cell = true;
    t.first = static_cast<int64_t>(a.value());
    t.last = static_cast<int64_t>(z.value());
    return t.last >= t.first;
  }
  return false;
}

bool cell_width_ok(const FactTerm &t) {
  const int64_t w = t.last - t.first + 1;
  return w == 1 || w == 2 || w == 4 || w == 8;
}

} // namespace

Result<Fact> parse_fact(const std::string &text) {
  Fact f;
  f.text = text;
  const std::string s = strip(text);
  auto bad = [&] {
    return make_error(ErrorCode::InvalidInput,
                      "cannot parse fact '" + text + "'");
  };
  if (s == "_|_") {
    f.op = Fact::Op::Bottom;
    return f;
  }
  if (size_t in = text.find(" in "); in != std::string::npos) {
    f.op = Fact::Op::In;
    if (!parse_term(strip(text.substr(0, in)), f.lhs) ||
        !parse_types(strip(text.substr(in + 4)), f.rhs.types))
      return bad();
    f.rhs.tag = FactTerm::Tag::TypeLiteral;
    return f;
  }
  if (size_t le = s.find("<="); le != std::string::npos) {
    const std::string left = s.substr(0, le);
    const size_t minus = left.find('-', 1);
    if (minus == std::string::npos ||
        !parse_term(left.substr(0, minus), f.lhs) ||
        !parse_term(left.substr(minus + 1), f.rhs) ||
        !parse_int(s.substr(le + 2), f.bound))
      return bad();
    f.op = Fact::Op::DiffLe;
    return f;
  }
  const size_t eq = s.find('=');
  if (eq == std::string::npos || !parse_term(s.substr(0, eq), f.lhs) ||
      !parse_term(s.substr(eq + 1), f.rhs))
    return bad();
  return f;
}

void impose(State &s, const Fact &f) {
  if (s.is_bottom())
    return;
  const FactTerm &l = f.lhs, &r = f.rhs;
  switch (f.op) {
  case Fact::Op::Bottom:
    s.set_to_bottom();
    return;
  case Fact::Op::DiffLe:
    s.num.add_difference(l.var(), r.var(), f.bound);
    return;
  case Fact::Op::In:
  case Fact::Op::Eq:
    break;
  }
  if (l.tag == FactTerm::Tag::TypeOf) {
    TypeSet t = r.tag == FactTerm::Tag::TypeLiteral ? r.types
                : r.tag == FactTerm::Tag::TypeOf
                    ? s.type(r.loc()).meet(s.type(l.loc()))
                    : TypeSet::all();
    if (!l.cell) {
      s.set_type(l.loc(), s.types[l.reg].meet(t));
      if (r.tag == FactTerm::Tag::TypeOf && !r.cell)
        s.set_type(r.loc(), t);
      return;
    }
    const int64_t w = l.last - l.first + 1;
    if (t.is_only(RegType::Number))
      s.stack.set_known(l.first, static_cast<unsigned>(w), true);
    if (cell_width_ok(l)) {
      if (s.stack.find(CellKey{l.first, static_cast<unsigned>(w)}) == nullptr)
        s.kill_stack(l.first, static_cast<unsigned>(w));
      s.stack.store(CellKey{l.first, static_cast<unsigned>(w)}, t);
    }
    return;
  }
  if (l.cell && !cell_width_ok(l))
    return;
  if (l.cell && !s.stack.find(CellKey{
                    l.first, static_cast<unsigned>(l.last - l.first + 1)}))
    s.stack.store(CellKey{l.first, static_cast<unsigned>(l.last - l.first + 1)},
                  TypeSet::all());
  if (r.tag == FactTerm::Tag::Literal)
    s.num.meet_bounds(l.var(), r.literal);
  else if (r.tag == FactTerm::Tag::Value)
    s.num.add_equal(l.var(), r.var(), Bound(0));
}

namespace {

bool same_word(const FactTerm &a, const FactTerm &b) {
  return !a.global && !b.global && a.cell == b.cell && a.reg == b.reg &&
         a.first == b.first && a.last == b.last;
}

bool equal_values(const State &s, const FactTerm &a, const FactTerm &b) {
  const Var x = a.var(), y = b.var();
  if (s.num.diff_upper(x, y) <= Bound(0) && s.num.diff_upper(y, x) <= Bound(0))
    return true;
  auto vx = s.num.get(x).singleton(), vy = s.num.get(y).singleton();
  if (vx && vy && *vx == *vy)
    return true;
  // The signed and unsigned views of one word agree when it is non-negative.
  const bool views = (a.kind == Kind::SValue && b.kind == Kind::UValue) ||
                     (a.kind == Kind::UValue && b.kind == Kind::SValue);
  if (views && same_word(a, b)) {
    const Var sv = a.kind == Kind::SValue ? x : y;
    return s.num.get(sv).leq({Bound(0), Bound::plus_infinity()});
  }
  return false;
}

} // namespace

bool holds(const State &s, const Fact &f) {
  if (s.is_bottom())
    return f.op == Fact::Op::Bottom;
  const FactTerm &l = f.lhs, &r = f.rhs;
  switch (f.op) {
  case Fact::Op::Bottom:
    return false;
  case Fact::Op::DiffLe: {
    if (s.num.diff_upper(l.var(), r.var()) <= f.bound)
      return true;
    return (s.num.get(l.var()).hi() - s.num.get(r.var()).lo()) <= f.bound;
  }
  case Fact::Op::In:
  case Fact::Op::Eq:
    break;
  }
  if (l.tag == FactTerm::Tag::TypeOf) {
    if (r.tag == FactTerm::Tag::TypeOf) {
      const TypeSet a = s.type(l.loc()), b = s.type(r.loc());
      return a == b && a.is_single();
    }
    if (l.cell && r.types.is_only(RegType::Number) &&
        s.stack.all_known(l.first, l.last - l.first + 1))
      return true;
    if (l.cell && !cell_width_ok(l))
      return false;
    if (l.cell && !s.stack.find(CellKey{
                      l.first, static_cast<unsigned>(l.last - l.first + 1)}))
      return false;
    return s.type(l.loc()).leq(r.types);
  }
  if (l.cell && (!cell_width_ok(l) ||
                 !s.stack.find(CellKey{
                     l.first, static_cast<unsigned>(l.last - l.first + 1)})))
    return false;
  if (r.tag == FactTerm::Tag::Literal)
    return s.num.get(l.var()).leq(r.literal);
  if (r.tag == FactTerm::Tag::Value)
    return equal_values(s, l, r);
  return false;
}

} // namespace bpfhost::verifier
