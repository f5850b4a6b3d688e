// The zone abstract domain (difference-bound matrices): conjunctions of
// x - y <= c and of bounds lo <= x <= hi, over integer variables named by
// number. The matrix is kept closed incrementally (each new constraint costs
// O(n^2) for the n variables present, never a cubic closure), and a variable
// nobody constrains takes no room. Knows nothing of eBPF.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "verifier/domains/interval.hpp"

namespace bpfhost::verifier::domains {

using Var = uint32_t;

class Zone {
public:
  // Top: no constraint.
  Zone() = default;
  static Zone bottom();

  bool is_bottom() const { return bottom_; }
  bool is_top() const;
  void set_to_bottom();

  // The bounds implied for x.
  Interval get(Var x) const;
  // Upper bound of x - y implied by the constraints (+oo if none).
  Bound diff_upper(Var x, Var y) const;

  // Forgets everything about x.
  void forget(Var x);
  // x := any value of i (drops x's relations).
  void set(Var x, const Interval &i);
  // Meets with lo <= x <= hi.
  void meet_bounds(Var x, const Interval &i);
  // Meets with x - y <= c.
  void add_difference(Var x, Var y, Bound c);
  // Meets with x == y + c.
  void add_equal(Var x, Var y, Bound c);
  // x := y + c (x may be y).
  void assign(Var x, Var y, Bound c);
  // x := x + i (relations of x survive when i is a single number).
  void shift(Var x, const Interval &i);

  Zone join(const Zone &o) const;
  Zone meet(const Zone &o) const;
  // Widening; an unstable bound jumps to the next of `thresholds` (sorted
  // ascending) above it, or to infinity (widening with thresholds keeps
  // loop bounds such as i <= 3 that plain widening loses).
  Zone widen(const Zone &next,
             const std::vector<Bound> *thresholds = nullptr) const;
  Zone narrow(const Zone &next) const;
  bool leq(const Zone &o) const;

  // Variables with at least one constraint.
  std::vector<Var> variables() const;
  // Debug text: one constraint per line, variables printed by `name`.
  template <class Name> std::string to_string(Name name) const;

private:
  using Slot = uint32_t;
  static constexpr Slot kZero = 0;
  Bound &at(Slot i, Slot j) { return m_[i * cap_ + j]; }
  Bound at(Slot i, Slot j) const { return m_[i * cap_ + j]; }
  Slot slot_of(Var x) const;
  Slot ensure_slot(Var x);
  void release_if_free(Slot s);
  void grow(Slot needed);
  // Incremental closure after lowering edge (i, j) to c.
  void tighten(Slot i, Slot j, Bound c);
  void close();
  Bound edge(Var x, Var y) const;

  static constexpr Slot kNone = UINT32_MAX;
  bool bottom_ = false;
  std::unordered_map<Var, Slot> slots_;
  std::vector<Var> var_of_; // slot -> var (slot 0 is the zero vertex)
  std::vector<Slot> free_;  // released slots
  std::vector<Bound> m_;    // m_[i*cap_+j]: upper bound of v_j - v_i
  Slot n_ = 0;              // slots in use (including free ones)
  Slot cap_ = 0;
};

template <class Name> std::string Zone::to_string(Name name) const {
  if (bottom_)
    return "_|_";
  std::string s;
  for (Var x : variables()) {
    const Interval i = get(x);
    if (!i.is_top())
      s += name(x) + "=" + i.to_string() + "\n";
  }
  for (Var x : variables())
    for (Var y : variables())
      if (x != y && diff_upper(x, y).is_finite())
        s += name(x) + "-" + name(y) + "<=" + diff_upper(x, y).to_string() +
             "\n";
  return s;
}

} // namespace bpfhost::verifier::domains
