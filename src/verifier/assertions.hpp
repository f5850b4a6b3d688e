// Safety conditions: what an instruction requires of the state before it, as
// data (STYLE.md §3). `assertions_for` is a pure function of the instruction
// and the helper prototypes; each condition prints as a requirement, and the
// checker (check.hpp) decides it against an abstract state.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "isa/ir.hpp"
#include "verifier/cfg.hpp"
#include "verifier/platform.hpp"
#include "verifier/state.hpp"

namespace bpfhost::verifier {

using isa::Reg;

// The register's type is one of `allowed`.
struct TypeConstraint {
  Reg reg;
  TypeSet allowed;
};

enum class AccessKind : uint8_t { Read, Write, ReadWrite };

// [base + off, base + off + width) is inside the region base points to;
// width is a constant or a register (helper memory arguments).
struct ValidAccess {
  Reg base;
  int32_t off = 0;
  std::variant<isa::Imm, Reg> width;
  AccessKind access = AccessKind::Read;
  bool or_null = false; // a null pointer is allowed (PtrToMemOrNull)
};

// The divisor is a number (and not zero unless division by zero is allowed).
struct ValidDivisor {
  Reg reg;
};

// A value stored with 8 bytes into a region other than the stack is a
// number: pointers must not leak to where the host or other programs see.
struct ValidStore {
  Reg base;
  Reg value;
};

// reg points to readable memory of the key (or value) size of map_fd's map.
struct ValidMapKeyValue {
  Reg access;
  Reg map_fd;
  bool key = true;
};

// Two registers may be compared or subtracted: same region, or numbers.
struct Comparable {
  Reg a;
  Reg b;
  // Subtraction (b - a): a may be a number; two map values are refused
  // (same type does not mean same map).
  bool subtraction = false;
};

// a + b does not add two pointers.
struct Addable {
  Reg ptr;
  Reg num;
};

// A size argument is a number in [0 or 1, 2^31).
struct ValidSize {
  Reg reg;
  bool can_be_zero = false;
};

// The call is allowed here (a helper the program type has, not a tail call
// from a subprogram, a callx register holding a known helper id).
struct ValidCall {
  int32_t helper_id = 0;
  std::optional<Reg> via; // callx
  bool in_subprogram = false;
};

// The register points to the context at offset 0.
struct ZeroOffsetCtx {
  Reg reg;
};

// r0 at exit of the program is within the program type's return range.
struct ValidReturn {};

using Assertion =
    std::variant<TypeConstraint, ValidAccess, ValidDivisor, ValidStore,
                 ValidMapKeyValue, Comparable, Addable, ValidSize, ValidCall,
                 ZeroOffsetCtx, ValidReturn>;

// "r1.type in {ctx, stack}", "valid_access(r1.offset+4, width=8) for read".
std::string to_string(const Assertion &a);

// Where an instruction sits, as far as its conditions depend on it.
struct AssertionContext {
  bool in_subprogram = false;
  bool is_assume = false;
  // For callx: the helper id the register holds, when known.
  std::optional<int32_t> callx_target;
};

std::vector<Assertion> assertions_for(const isa::Insn &insn,
                                      const PlatformSpec &platform,
                                      const VerifyOptions &options,
                                      const AssertionContext &where);

// Conditions of a branch (also used for verifier-only assumptions).
std::vector<Assertion> assertions_for(const Condition &cond,
                                      const PlatformSpec &platform);

// Type groups used by the conditions.
TypeSet pointer_types();     // ctx, stack, packet, shared
TypeSet initialized_types(); // everything but uninit
TypeSet ptr_or_num_types();  // number and pointer_types()

} // namespace bpfhost::verifier
