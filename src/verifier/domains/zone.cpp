#include "verifier/domains/zone.hpp"

#include <algorithm>

namespace bpfhost::verifier::domains {

namespace {
const Bound kInf = Bound::plus_infinity();
} // namespace

Zone Zone::bottom() {
  Zone z;
  z.bottom_ = true;
  return z;
}

void Zone::set_to_bottom() { *this = bottom(); }

bool Zone::is_top() const { return !bottom_ && slots_.empty(); }

Zone::Slot Zone::slot_of(Var x) const {
  auto it = slots_.find(x);
  return it == slots_.end() ? kNone : it->second;
}

void Zone::grow(Slot needed) {
  if (needed <= cap_)
    return;
  Slot cap = std::max<Slot>(8, cap_);
  while (cap < needed)
    cap *= 2;
  std::vector<Bound> m(static_cast<size_t>(cap) * cap, kInf);
  for (Slot i = 0; i < n_; ++i)
    for (Slot j = 0; j < n_; ++j)
      m[i * cap + j] = at(i, j);
  for (Slot i = 0; i < cap; ++i)
    m[i * cap + i] = Bound(0);
  m_ = std::move(m);
  cap_ = cap;
}

Zone::Slot Zone::ensure_slot(Var x) {
  if (Slot s = slot_of(x); s != kNone)
    return s;
  if (n_ == 0) {
    grow(1);
    n_ = 1;
    var_of_.assign(1, 0);
  }
  Slot s;
  if (!free_.empty()) {
    s = free_.back();
    free_.pop_back();
  } else {
    grow(n_ + 1);
    s = n_++;
    var_of_.push_back(0);
  }
  var_of_[s] = x;
  slots_.emplace(x, s);
  return s;
}

void Zone::forget(Var x) {
  const Slot s = slot_of(x);
  if (s == kNone || bottom_)
    return;
  for (Slot k = 0; k < n_; ++k) {
    at(s, k) = kInf;
    at(k, s) = kInf;
  }
  at(s, s) = Bound(0);
  slots_.erase(x);
  free_.push_back(s);
}

void Zone::release_if_free(Slot s) {
  for (Slot k = 0; k < n_; ++k)
    if (k != s && (at(s, k) != kInf || at(k, s) != kInf))
      return;
  slots_.erase(var_of_[s]);
  free_.push_back(s);
}

Bound Zone::edge(Var x, Var y) const {
  // Upper bound of y - x.
  const Slot i = slot_of(x), j = slot_of(y);
  if (i == kNone || j == kNone)
    return x == y ? Bound(0) : kInf;
  return at(i, j);
}

Interval Zone::get(Var x) const {
  if (bottom_)
    return Interval::bottom();
  const Slot s = slot_of(x);
  if (s == kNone)
    return Interval::top();
  return {-at(s, kZero), at(kZero, s)};
}

Bound Zone::diff_upper(Var x, Var y) const {
  if (bottom_)
    return Bound::minus_infinity();
  return edge(y, x);
}

void Zone::tighten(Slot i, Slot j, Bound c) {
  if (bottom_ || !(c < at(i, j)))
    return;
  if (at(j, i) + c < Bound(0)) {
    set_to_bottom();
    return;
  }
  // Every shortest path that improves goes through the new edge i -> j.
  std::vector<Bound> to_i(n_), from_j(n_);
  for (Slot a = 0; a < n_; ++a) {
    to_i[a] = at(a, i);
    from_j[a] = at(j, a);
  }
  for (Slot a = 0; a < n_; ++a) {
    if (to_i[a] == kInf)
      continue;
    const Bound base = to_i[a] + c;
    Bound *row = &m_[a * cap_];
    for (Slot b = 0; b < n_; ++b) {
      if (from_j[b] == kInf)
        continue;
      const Bound v = base + from_j[b];
      if (v < row[b])
        row[b] = v;
    }
  }
  for (Slot a = 0; a < n_; ++a)
    if (at(a, a) < Bound(0)) {
      set_to_bottom();
      return;
    }
}

void Zone::set(Var x, const Interval &i) {
  if (bottom_)
    return;
  if (i.is_bottom()) {
    set_to_bottom();
    return;
  }
  forget(x);
  meet_bounds(x, i);
}

void Zone::meet_bounds(Var x, const Interval &i) {
  if (bottom_)
    return;
  if (i.is_bottom()) {
    set_to_bottom();
    return;
  }
  if (i.is_top())
    return;
  const Slot s = ensure_slot(x);
  if (i.hi().is_finite())
    tighten(kZero, s, i.hi());
  if (!bottom_ && i.lo().is_finite())
    tighten(s, kZero, -i.lo());
}

void Zone::add_difference(Var x, Var y, Bound c) {
  if (bottom_ || c.is_plus_infinity())
    return;
  if (x == y) {
    if (c < Bound(0))
      set_to_bottom();
    return;
  }
  const Slot sx = ensure_slot(x), sy = ensure_slot(y);
  tighten(sy, sx, c);
}

void Zone::add_equal(Var x, Var y, Bound c) {
  add_difference(x, y, c);
  add_difference(y, x, -c);
}

void Zone::assign(Var x, Var y, Bound c) {
  if (bottom_)
    return;
  if (x == y) {
    shift(x, Interval(c));
    return;
  }
  forget(x);
  const Slot sy = slot_of(y);
  if (sy == kNone)
    return;
  const Slot sx = ensure_slot(x);
  for (Slot k = 0; k < n_; ++k) {
    if (k == sx)
      continue;
    at(sx, k) = at(sy, k) - c; // v_k - x = v_k - y - c
    at(k, sx) = at(k, sy) + c; // x - v_k = y - v_k + c
  }
  at(sx, sy) = -c;
  at(sy, sx) = c;
  at(sx, sx) = Bound(0);
}

void Zone::shift(Var x, const Interval &i) {
  if (bottom_)
    return;
  const Slot s = slot_of(x);
  if (s == kNone)
    return;
  if (auto c = i.singleton()) {
    for (Slot k = 0; k < n_; ++k) {
      if (k == s)
        continue;
      at(s, k) = at(s, k) - Bound(*c);
      at(k, s) = at(k, s) + Bound(*c);
    }
    return;
  }
  const Interval v = get(x) + i;
  set(x, v);
}

std::vector<Var> Zone::variables() const {
  std::vector<Var> vars;
  for (const auto &[v, s] : slots_)
    vars.push_back(v);
  std::sort(vars.begin(), vars.end());
  return vars;
}

Zone Zone::join(const Zone &o) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  Zone r;
  std::vector<std::pair<Slot, Slot>> pairs{{kZero, kZero}};
  std::vector<Slot> rs{kZero};
  for (const auto &[v, s] : slots_) {
    const Slot t = o.slot_of(v);
    if (t == kNone)
      continue;
    pairs.emplace_back(s, t);
    rs.push_back(r.ensure_slot(v));
  }
  if (pairs.size() == 1)
    return r;
  for (size_t i = 0; i < pairs.size(); ++i)
    for (size_t j = 0; j < pairs.size(); ++j)
      if (i != j)
        r.at(rs[i], rs[j]) = max(at(pairs[i].first, pairs[j].first),
                                 o.at(pairs[i].second, pairs[j].second));
  for (size_t i = 1; i < rs.size(); ++i)
    r.release_if_free(rs[i]);
  return r;
}

Zone Zone::widen(const Zone &next, const std::vector<Bound> *thresholds) const {
  if (bottom_)
    return next;
  if (next.bottom_)
    return *this;
  Zone r;
  std::vector<std::pair<Slot, Slot>> pairs{{kZero, kZero}};
  std::vector<Slot> rs{kZero};
  for (const auto &[v, s] : slots_) {
    const Slot t = next.slot_of(v);
    if (t == kNone)
      continue;
    pairs.emplace_back(s, t);
    rs.push_back(r.ensure_slot(v));
  }
  for (size_t i = 0; i < pairs.size(); ++i)
    for (size_t j = 0; j < pairs.size(); ++j)
      if (i != j) {
        const Bound old = at(pairs[i].first, pairs[j].first);
        const Bound now = next.at(pairs[i].second, pairs[j].second);
        Bound w = kInf;
        if (now <= old)
          w = old;
        else if (thresholds) {
          auto it =
              std::lower_bound(thresholds->begin(), thresholds->end(), now);
          if (it != thresholds->end())
            w = *it;
        }
        r.at(rs[i], rs[j]) = w;
      }
  for (size_t i = 1; i < rs.size(); ++i)
    r.release_if_free(rs[i]);
  return r;
}

Zone Zone::meet(const Zone &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  Zone r = *this;
  if (o.n_ == 0)
    return r;
  std::vector<std::pair<Slot, Slot>> pairs{{kZero, kZero}};
  for (const auto &[v, s] : o.slots_)
    pairs.emplace_back(s, r.ensure_slot(v));
  if (r.n_ == 0)
    return r;
  for (auto [oi, ri] : pairs)
    for (auto [oj, rj] : pairs)
      r.at(ri, rj) = min(r.at(ri, rj), o.at(oi, oj));
  r.close();
  return r;
}

Zone Zone::narrow(const Zone &next) const {
  if (bottom_ || next.bottom_)
    return bottom();
  Zone r = *this;
  if (next.n_ == 0)
    return r;
  std::vector<std::pair<Slot, Slot>> pairs{{kZero, kZero}};
  for (const auto &[v, s] : next.slots_)
    pairs.emplace_back(s, r.ensure_slot(v));
  if (r.n_ == 0)
    return r;
  for (auto [oi, ri] : pairs)
    for (auto [oj, rj] : pairs)
      if (r.at(ri, rj) == kInf)
        r.at(ri, rj) = next.at(oi, oj);
  r.close();
  return r;
}

void Zone::close() {
  for (Slot k = 0; k < n_; ++k)
    for (Slot i = 0; i < n_; ++i) {
      if (at(i, k) == kInf)
        continue;
      for (Slot j = 0; j < n_; ++j) {
        const Bound v = at(i, k) + at(k, j);
        if (v < at(i, j))
          at(i, j) = v;
      }
    }
  for (Slot i = 0; i < n_; ++i)
    if (at(i, i) < Bound(0)) {
      set_to_bottom();
      return;
    }
}

bool Zone::leq(const Zone &o) const {
  if (bottom_)
    return true;
  if (o.bottom_)
    return false;
  std::vector<std::pair<Slot, Var>> theirs{{kZero, 0}};
  for (const auto &[v, s] : o.slots_)
    theirs.emplace_back(s, v);
  for (size_t i = 0; i < theirs.size(); ++i) {
    const Slot mi = i == 0 ? (n_ ? kZero : kNone) : slot_of(theirs[i].second);
    for (size_t j = 0; j < theirs.size(); ++j) {
      if (i == j)
        continue;
      const Bound limit = o.at(theirs[i].first, theirs[j].first);
      if (limit == kInf)
        continue;
      const Slot mj = j == 0 ? (n_ ? kZero : kNone) : slot_of(theirs[j].second);
      const Bound mine = (mi == kNone || mj == kNone) ? kInf : at(mi, mj);
      if (limit < mine)
        return false;
    }
  }
  return true;
}

} // namespace bpfhost::verifier::domains
