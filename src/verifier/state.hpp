// The abstract state of an eBPF program at one point: the product of the
// numeric zone domain (values and offsets of registers and stack cells,
// packet size, loop counters), a type set per register, and the byte-precise
// stack. This is where eBPF meets the generic domains: a register is a set
// of variables, one per kind, of which only those its type can use matter.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "verifier/domains/byte_array.hpp"
#include "verifier/domains/flag_set.hpp"
#include "verifier/domains/zone.hpp"

namespace bpfhost::verifier {

using domains::Bound;
using domains::CellKey;
using domains::Interval;
using domains::Var;

enum class RegType : uint8_t {
  Uninit, // never written
  Number, // a scalar
  Ctx,    // the context
  Stack,  // the stack
  Packet, // packet data, packet_end (offset packet_size), meta (meta_offset)
  Shared, // map value or helper-returned memory (null when svalue is 0)
  MapFd,  // a map
  MapFdPrograms, // a program array map
  Count
};
using TypeSet = domains::FlagSet<RegType>;
const char *type_name(RegType t);
std::string to_string(TypeSet s);

// The variables of a register or stack cell.
enum class Kind : uint8_t {
  SValue,
  UValue,
  CtxOffset,
  MapFd,
  PacketOffset,
  SharedOffset,
  SharedRegionSize,
  StackOffset,
  StackNumericSize,
  Count
};
const char *kind_name(Kind k);
// The type a kind belongs to (SValue/UValue: all of them, reported as Count).
RegType kind_owner(Kind k);

inline constexpr unsigned kRegisters = 11;
inline constexpr unsigned kMaxFrames = 8;
// Hidden registers holding the caller's r6..r9 while a callee runs.
inline constexpr unsigned kAllRegisters = kRegisters + 4 * kMaxFrames;
inline constexpr int64_t kSubprogramStack = 512;
inline constexpr int64_t kTotalStack = kSubprogramStack * kMaxFrames;

// Where a value lives: a register or a stack cell.
struct Loc {
  bool is_cell = false;
  unsigned reg = 0;
  CellKey cell;
  static Loc r(unsigned reg) { return {false, reg, {}}; }
  static Loc c(CellKey k) { return {true, 0, k}; }
};

Var var_of(Loc l, Kind k);
Var reg_var(unsigned reg, Kind k);
inline constexpr Var kPacketSize = 0x3f0;
inline constexpr Var kMetaOffset = 0x3f1;
Var loop_counter_var(uint32_t node);

class State {
public:
  // Everything unknown: any register may hold anything (even be unwritten).
  static State top();
  static State bottom();

  bool is_bottom() const { return bottom_ || num.is_bottom(); }
  void set_to_bottom();

  State join(const State &o) const;
  State widen(const State &next,
              const std::vector<Bound> *thresholds = nullptr) const;
  State narrow(const State &next) const;
  bool leq(const State &o) const;

  // Types and values.
  TypeSet type(Loc l) const;
  void set_type(Loc l, TypeSet t);
  Interval get(Loc l, Kind k) const { return num.get(var_of(l, k)); }
  Interval sval(unsigned r) const { return get(Loc::r(r), Kind::SValue); }
  Interval uval(unsigned r) const { return get(Loc::r(r), Kind::UValue); }

  // dst := src, all kinds (types included).
  void copy(Loc dst, Loc src);
  // l := anything (type top).
  void havoc(Loc l);
  // l := a number with these signed/unsigned views (each may be top).
  void set_number(Loc l, const Interval &s, const Interval &u);
  // Forgets the kinds that the type of l no longer allows.
  void forget_unused_kinds(Loc l);
  // Kills the stack cells overlapping a range and forgets their variables.
  void kill_stack(int64_t offset, unsigned width);

  // Text of the state, one fact per line in PREVAIL's vocabulary
  // ("r1.type=packet", "r1.packet_offset=[0, 14]").
  std::string to_string() const;

  domains::Zone num;
  std::array<TypeSet, kAllRegisters> types{};
  domains::ByteArray<TypeSet> stack{kTotalStack};

private:
  bool bottom_ = false;
};

// The name of a variable ("r1.svalue", "s[504...511].type", "packet_size").
std::string var_name(Var v);

} // namespace bpfhost::verifier
