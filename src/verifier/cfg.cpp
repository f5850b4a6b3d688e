#include "verifier/cfg.hpp"

#include <map>

#include "isa/overloaded.hpp"

namespace bpfhost::verifier {

using isa::JumpCond;

Condition negate(const Condition &c) {
  Condition n = c;
  switch (c.op) {
  case JumpCond::Eq:
    n.op = JumpCond::Ne;
    break;
  case JumpCond::Ne:
    n.op = JumpCond::Eq;
    break;
  case JumpCond::Gt:
    n.op = JumpCond::Le;
    break;
  case JumpCond::Le:
    n.op = JumpCond::Gt;
    break;
  case JumpCond::Ge:
    n.op = JumpCond::Lt;
    break;
  case JumpCond::Lt:
    n.op = JumpCond::Ge;
    break;
  case JumpCond::SGt:
    n.op = JumpCond::SLe;
    break;
  case JumpCond::SLe:
    n.op = JumpCond::SGt;
    break;
  case JumpCond::SGe:
    n.op = JumpCond::SLt;
    break;
  case JumpCond::SLt:
    n.op = JumpCond::SGe;
    break;
  case JumpCond::Set:
    n.op = JumpCond::Always;
    break; // "no bit set": see below
  case JumpCond::Always:
    n.op = JumpCond::Set;
    break;
  }
  return n;
}

std::string to_string(const Condition &c) {
  const char *op = "";
  switch (c.op) {
  case JumpCond::Eq:
    op = "==";
    break;
  case JumpCond::Ne:
    op = "!=";
    break;
  case JumpCond::Gt:
    op = ">";
    break;
  case JumpCond::Ge:
    op = ">=";
    break;
  case JumpCond::Lt:
    op = "<";
    break;
  case JumpCond::Le:
    op = "<=";
    break;
  case JumpCond::SGt:
    op = "s>";
    break;
  case JumpCond::SGe:
    op = "s>=";
    break;
  case JumpCond::SLt:
    op = "s<";
    break;
  case JumpCond::SLe:
    op = "s<=";
    break;
  case JumpCond::Set:
    op = "&==";
    break;
  case JumpCond::Always:
    op = "&!=";
    break; // negation of Set
  }
  std::string s =
      "r" + std::to_string(c.dst.index) + " " + (c.is32 ? "w" : "") + op + " ";
  if (auto r = std::get_if<isa::Reg>(&c.src))
    s += "r" + std::to_string(r->index);
  else
    s += std::to_string(std::get<isa::Imm>(c.src).value);
  return s;
}

std::string Cfg::label(const Program &p, NodeId n) const {
  const Node &node = nodes[n];
  if (node.insn < 0)
    return "exit";
  std::string s;
  for (int64_t site : contexts[node.context])
    s += std::to_string(p.slot[site]) + "/";
  return s + std::to_string(p.slot[node.insn]);
}

namespace {

struct Builder {
  const Program &p;
  const VerifyOptions &opts;
  Cfg cfg;
  std::map<std::vector<int64_t>, uint32_t> context_ids;
  std::map<std::pair<int64_t, uint32_t>, NodeId> node_ids;
  std::vector<NodeId> work;

  uint32_t context_id(const std::vector<int64_t> &c) {
    auto [it, added] = context_ids.emplace(c, cfg.contexts.size());
    if (added)
      cfg.contexts.push_back(c);
    return it->second;
  }
  NodeId node(int64_t insn, uint32_t ctx) {
    auto [it, added] = node_ids.emplace(std::make_pair(insn, ctx),
                                        static_cast<NodeId>(cfg.nodes.size()));
    if (added) {
      cfg.nodes.push_back(Node{insn, ctx, {}, {}});
      work.push_back(it->second);
    }
    return it->second;
  }
  Error fail(NodeId at, const std::string &msg) {
    return make_error(ErrorCode::Unsafe, msg, cfg.label(p, at));
  }
  // Target instruction of a relative slot offset, or -1.
  int64_t target(int64_t i, int64_t offset) const {
    return p.index_of_slot(static_cast<int64_t>(p.slot[i]) + 1 + offset);
  }

  Result<Cfg> run() {
    context_id({});
    cfg.exit = 0;
    cfg.nodes.push_back(Node{-1, 0, {}, {}});
    if (p.insns.empty()) {
      cfg.entry = cfg.exit;
      return std::move(cfg);
    }
    cfg.entry = node(0, 0);
    while (!work.empty()) {
      const NodeId n = work.back();
      work.pop_back();
      BPFHOST_TRY(ok, expand(n));
      (void)ok;
    }
    for (NodeId n = 0; n < cfg.nodes.size(); ++n)
      for (const Edge &e : cfg.nodes[n].succ)
        cfg.nodes[e.to].pred.push_back(n);
    return std::move(cfg);
  }

  void add(NodeId from, Edge e) {
    cfg.nodes[from].succ.push_back(std::move(e));
  }

  // The node after instruction i in the same context (or the exit node when
  // the program ends without an exit: allowed, as for PREVAIL's tests).
  NodeId next(int64_t i, uint32_t ctx) {
    if (i + 1 >= static_cast<int64_t>(p.insns.size()))
      return cfg.exit;
    return node(i + 1, ctx);
  }

  Result<bool> expand(NodeId n) {
    const int64_t i = cfg.nodes[n].insn;
    const uint32_t ctx = cfg.nodes[n].context;
    const std::vector<int64_t> stack = cfg.contexts[ctx];
    const isa::Insn &insn = p.insns[i];
    if (auto *j = std::get_if<isa::Jump>(&insn)) {
      const int64_t offset = j->offset;
      if (p.is_assume(i)) {
        add(n, Edge{next(i, ctx), EdgeKind::Branch,
                    Condition{j->cond, j->is32, j->dst, j->src}});
        return true;
      }
      const int64_t t = target(i, offset);
      if (t < 0)
        return fail(n, "jump to an invalid instruction (slot " +
                           std::to_string(p.slot[i] + 1 + offset) + ")");
      if (j->cond == JumpCond::Always) {
        add(n, Edge{node(t, ctx), EdgeKind::Next, std::nullopt});
        return true;
      }
      const Condition c{j->cond, j->is32, j->dst, j->src};
      add(n, Edge{node(t, ctx), EdgeKind::Branch, c});
      add(n, Edge{next(i, ctx), EdgeKind::Branch, negate(c)});
      return true;
    }
    if (auto *c = std::get_if<isa::CallLocal>(&insn)) {
      const int64_t t = target(i, c->offset);
      if (t < 0)
        return fail(n, "call to an invalid instruction");
      if (t == 0)
        return fail(n, "illegal recursion");
      for (int64_t site : stack)
        if (target(site, std::get<isa::CallLocal>(p.insns[site]).offset) == t)
          return fail(n, "illegal recursion");
      if (stack.size() + 1 >= opts.max_call_depth)
        return make_error(ErrorCode::Unsafe, "too many call stack frames",
                          cfg.label(p, n));
      std::vector<int64_t> inner = stack;
      inner.push_back(i);
      add(n, Edge{node(t, context_id(inner)), EdgeKind::Call, std::nullopt});
      return true;
    }
    if (std::holds_alternative<isa::Exit>(insn)) {
      if (stack.empty()) {
        add(n, Edge{cfg.exit, EdgeKind::Next, std::nullopt});
        return true;
      }
      std::vector<int64_t> outer(stack.begin(), stack.end() - 1);
      add(n, Edge{next(stack.back(), context_id(outer)), EdgeKind::Return,
                  std::nullopt});
      return true;
    }
    add(n, Edge{next(i, ctx), EdgeKind::Next, std::nullopt});
    return true;
  }
};

} // namespace

Result<Cfg> build_cfg(const Program &program, const VerifyOptions &options) {
  Builder b{program, options, {}, {}, {}, {}};
  return b.run();
}

} // namespace bpfhost::verifier
