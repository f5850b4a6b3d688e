// The control-flow graph of a whole program, with BPF-to-BPF calls inlined
// per call site (as PREVAIL does): a node is an instruction in a calling
// context, so each call gets its own copy of the callee and the analysis is
// context-sensitive. Edges carry the branch condition they assume.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "isa/ir.hpp"
#include "verifier/platform.hpp"
#include "verifier/program.hpp"

namespace bpfhost::verifier {

using NodeId = uint32_t;

// A branch condition: dst OP src, on 64 or the low 32 bits. As the negation
// of Set ("dst & src != 0"), op Always here means "dst & src == 0".
struct Condition {
  isa::JumpCond op = isa::JumpCond::Eq;
  bool is32 = false;
  isa::Reg dst;
  isa::Operand src;
  bool operator==(const Condition &) const = default;
};
Condition negate(const Condition &c);
std::string to_string(const Condition &c);

enum class EdgeKind : uint8_t {
  Next,   // fall through or unconditional jump
  Branch, // conditional: `cond` holds on this edge
  Call,   // into a subprogram (new frame)
  Return, // back to the caller
};

struct Edge {
  NodeId to = 0;
  EdgeKind kind = EdgeKind::Next;
  std::optional<Condition> cond;
};

struct Node {
  int64_t insn = -1;    // instruction index; -1 for the exit node
  uint32_t context = 0; // index into Cfg::contexts
  std::vector<Edge> succ;
  std::vector<NodeId> pred;
};

struct Cfg {
  std::vector<Node> nodes;
  // Call-site instruction indexes of each context, outermost first.
  std::vector<std::vector<int64_t>> contexts;
  NodeId entry = 0;
  NodeId exit = 0;

  // "17" or "3/17" (call sites then instruction), PREVAIL's label style,
  // using slot indexes.
  std::string label(const Program &p, NodeId n) const;
  unsigned depth(NodeId n) const {
    return static_cast<unsigned>(contexts[nodes[n].context].size());
  }
};

// Builds the inlined CFG. Errors (ErrorCode::Unsafe): jumps out of the
// program, recursion, calls nested deeper than options.max_call_depth.
Result<Cfg> build_cfg(const Program &program, const VerifyOptions &options);

} // namespace bpfhost::verifier
