// Facts about a state in PREVAIL's textual vocabulary ("r1.type=packet",
// "r1.svalue=[0, 255]", "s[504...511].type=number", "packet_size-r2.
// packet_offset<=0", "pc[3]=[1, +oo]"): parsed, imposed on a state (test
// pre-states) and checked against one (expected post-states).
#pragma once

#include <string>

#include "support/result.hpp"
#include "verifier/state.hpp"

namespace bpfhost::verifier {

struct FactTerm {
  enum class Tag { Value, TypeOf, Literal, TypeLiteral } tag = Tag::Literal;
  bool global = false; // packet_size, meta_offset, pc[N]
  Var global_var = 0;
  bool cell = false; // s[first...last] rather than a register
  unsigned reg = 0;
  int64_t first = 0, last = 0;
  Kind kind = Kind::SValue;
  Interval literal; // Literal
  TypeSet types;    // TypeLiteral

  Loc loc() const {
    return cell
               ? Loc::c(CellKey{first, static_cast<unsigned>(last - first + 1)})
               : Loc::r(reg);
  }
  Var var() const { return global ? global_var : var_of(loc(), kind); }
};

struct Fact {
  enum class Op { Eq, In, DiffLe, Bottom } op = Op::Eq;
  FactTerm lhs, rhs; // DiffLe: lhs - rhs <= bound
  Bound bound;
  std::string text;
};

// Parses one fact; errors are InvalidInput naming the text. `pc[N]` names
// the loop counter loop_counter_var(N).
Result<Fact> parse_fact(const std::string &text);

// Meets the state with the fact.
void impose(State &s, const Fact &f);
// True when every concrete state of `s` satisfies the fact.
bool holds(const State &s, const Fact &f);

} // namespace bpfhost::verifier
