#include "verifier/analyzer.hpp"

#include <algorithm>

#include "verifier/assertions.hpp"
#include "verifier/check.hpp"
#include "verifier/transfer.hpp"
#include "verifier/wto.hpp"

namespace bpfhost::verifier {

std::string Diagnostic::to_string() const {
  std::string s = label + ": " + message;
  if (!condition.empty())
    s += " (" + condition + ")";
  return s;
}

State entry_state(const PlatformSpec &platform) {
  State s = State::top();
  for (unsigned r = 0; r < kAllRegisters; ++r)
    s.types[r] = RegType::Uninit;
  s.types[1] = RegType::Ctx;
  s.num.set(reg_var(1, Kind::CtxOffset), Interval(Bound(0)));
  s.num.set(reg_var(1, Kind::SValue), Interval::range(1, kPtrMax));
  s.num.set(reg_var(1, Kind::UValue), Interval::range(1, kPtrMax));
  s.types[10] = RegType::Stack;
  s.num.set(reg_var(10, Kind::StackOffset), Interval(Bound(kTotalStack)));
  s.num.set(reg_var(10, Kind::SValue), Interval::range(1, kPtrMax));
  s.num.set(reg_var(10, Kind::UValue), Interval::range(1, kPtrMax));
  s.num.set(kPacketSize, Interval::range(0, 0xffff));
  s.num.set(kMetaOffset, platform.context.meta_offset >= 0
                             ? Interval::range(-4098, 0)
                             : Interval(Bound(0)));
  return s;
}

namespace {

constexpr unsigned kWideningDelay = 2;

class Analyzer {
public:
  Analyzer(const Program &p, const PlatformSpec &platform,
           const VerifyOptions &options, Cfg cfg)
      : p_(p), platform_(platform), options_(options), cfg_(std::move(cfg)),
        pre_(cfg_.nodes.size(), State::bottom()),
        post_(cfg_.nodes.size(), State::bottom()),
        is_head_(cfg_.nodes.size(), false) {}

  VerifyResult run(const State &initial) {
    const Wto wto = build_wto(cfg_);
    collect_thresholds();
    initial_ = initial;
    for (NodeId h : wto_heads(wto)) {
      is_head_[h] = true;
      if (options_.termination)
        initial_.num.set(counter(h), Interval(Bound(0)));
    }
    for (const WtoComponent &c : wto)
      run_component(c);
    return check();
  }

private:
  // Widening thresholds: the constants the program compares against (and
  // their neighbours), plus the ends of the 32- and 64-bit ranges.
  void collect_thresholds() {
    std::vector<Bound> t;
    for (const isa::Insn &insn : p_.insns)
      if (auto j = std::get_if<isa::Jump>(&insn))
        if (auto imm = std::get_if<isa::Imm>(&j->src))
          for (int64_t d = -1; d <= 1; ++d) {
            t.push_back(Bound(static_cast<int64_t>(imm->value) + d));
            t.push_back(Bound(-(static_cast<int64_t>(imm->value) + d)));
          }
    for (domains::Int128 v :
         {domains::Int128{0}, domains::Int128{1} << 31,
          domains::Int128{1} << 32, domains::Int128{1} << 63,
          domains::Int128{1} << 64})
      for (domains::Int128 d : {domains::Int128{-1}, domains::Int128{0}}) {
        t.push_back(Bound(v + d));
        t.push_back(Bound(-(v + d)));
      }
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    thresholds_ = std::move(t);
  }

  const TransferContext tctx() const { return {platform_, options_}; }
  const CheckContext cctx() const { return {platform_, options_}; }

  std::vector<Assertion> assertions_at(NodeId v, const State &s) const {
    const Node &n = cfg_.nodes[v];
    if (n.insn < 0)
      return {};
    AssertionContext where;
    where.in_subprogram = cfg_.depth(v) > 0;
    where.is_assume = p_.is_assume(static_cast<size_t>(n.insn));
    const isa::Insn &insn = p_.insns[n.insn];
    if (auto cx = std::get_if<isa::CallX>(&insn))
      if (auto id = s.sval(cx->reg.index).singleton())
        where.callx_target = static_cast<int32_t>(*id);
    return assertions_for(insn, platform_, options_, where);
  }

  State edge_state(NodeId from, const Edge &e) const {
    State s = post_[from];
    if (s.is_bottom())
      return s;
    switch (e.kind) {
    case EdgeKind::Next:
      break;
    case EdgeKind::Branch:
      assume_condition(s, *e.cond);
      break;
    case EdgeKind::Call:
      enter_subprogram(s, cfg_.depth(e.to));
      break;
    case EdgeKind::Return:
      return_from_subprogram(s, cfg_.depth(from));
      break;
    }
    return s;
  }

  State join_preds(NodeId v) const {
    State acc = v == cfg_.entry ? initial_ : State::bottom();
    for (NodeId p : cfg_.nodes[v].pred)
      for (const Edge &e : cfg_.nodes[p].succ)
        if (e.to == v)
          acc = acc.join(edge_state(p, e));
    return acc;
  }

  // The loop counter of head v: named by its slot at the top level
  // ("pc[7]"), by node otherwise.
  Var counter(NodeId v) const {
    const Node &n = cfg_.nodes[v];
    if (cfg_.depth(v) == 0 && n.insn >= 0)
      return loop_counter_var(p_.slot[n.insn]);
    return loop_counter_var((uint32_t{1} << 28) | v);
  }

  // The state at v after the loop counter and the assumed assertions.
  State checked_pre(NodeId v) const {
    State s = pre_[v];
    if (is_head_[v] && options_.termination)
      s.num.shift(counter(v), Interval(Bound(1)));
    return s;
  }

  void process(NodeId v) {
    State s = checked_pre(v);
    const Node &n = cfg_.nodes[v];
    if (n.insn >= 0 && !s.is_bottom()) {
      if (options_.assume_assertions)
        for (const Assertion &a : assertions_at(v, s))
          assume(s, a, cctx());
      const bool is_assume = p_.is_assume(static_cast<size_t>(n.insn));
      if (!is_assume)
        transfer(s, p_.insns[n.insn], tctx());
    }
    post_[v] = std::move(s);
  }

  void run_component(const WtoComponent &c) {
    if (!c.is_cycle) {
      pre_[c.head] = join_preds(c.head);
      process(c.head);
      return;
    }
    const NodeId h = c.head;
    for (unsigned i = 0;; ++i) {
      State next = join_preds(h);
      if (i > 0 && next.leq(pre_[h]))
        break;
      pre_[h] = i < kWideningDelay ? next : pre_[h].widen(next, &thresholds_);
      process(h);
      for (const WtoComponent &b : c.body)
        run_component(b);
    }
    // One narrowing pass recovers bounds the widening jumped over.
    pre_[h] = pre_[h].narrow(join_preds(h));
    process(h);
    for (const WtoComponent &b : c.body)
      run_component(b);
  }

  Diagnostic diagnostic(NodeId v, std::string message, std::string condition,
                        const State &s) const {
    const Node &n = cfg_.nodes[v];
    return Diagnostic{cfg_.label(p_, v), n.insn >= 0 ? p_.slot[n.insn] : -1,
                      std::move(message), std::move(condition), s.to_string()};
  }

  VerifyResult check() const {
    VerifyResult r;
    r.cfg_nodes = cfg_.nodes.size();
    for (NodeId v = 0; v < cfg_.nodes.size(); ++v) {
      if (pre_[v].is_bottom())
        continue;
      State s = checked_pre(v);
      if (is_head_[v] && options_.termination) {
        const Var pc = counter(v);
        if (!(s.num.get(pc).hi() < Bound(options_.max_loop_count))) {
          Diagnostic d = diagnostic(v, "Loop counter is too large",
                                    var_name(pc) + " < " +
                                        std::to_string(options_.max_loop_count),
                                    s);
          d.label += " (counter)";
          r.errors.push_back(std::move(d));
        }
      }
      for (const Assertion &a : assertions_at(v, s)) {
        if (auto f = verifier::check(s, a, cctx()))
          r.errors.push_back(diagnostic(v, *f, to_string(a), s));
        assume(s, a, cctx());
      }
      if (p_.is_assume(
              static_cast<size_t>(std::max<int64_t>(0, cfg_.nodes[v].insn))) &&
          cfg_.nodes[v].insn >= 0 && options_.report_dead_branches) {
        State t = post_[v];
        assume_condition(t, *cfg_.nodes[v].succ.front().cond);
        if (!post_[v].is_bottom() && t.is_bottom())
          r.dead_branches.push_back(diagnostic(
              v, "Code becomes unreachable",
              "assume " + to_string(*cfg_.nodes[v].succ.front().cond), s));
        continue;
      }
      if (!options_.report_dead_branches || post_[v].is_bottom())
        continue;
      const auto &succ = cfg_.nodes[v].succ;
      if (succ.size() == 2 && succ[0].to == succ[1].to)
        continue; // a branch to the next instruction decides nothing
      for (const Edge &e : succ)
        if (e.kind == EdgeKind::Branch && edge_state(v, e).is_bottom()) {
          Diagnostic d = diagnostic(v, "Code becomes unreachable",
                                    "assume " + to_string(*e.cond), s);
          d.label += ":" + cfg_.label(p_, e.to);
          r.dead_branches.push_back(std::move(d));
        }
    }
    auto by_slot = [](const Diagnostic &a, const Diagnostic &b) {
      return a.slot < b.slot;
    };
    std::stable_sort(r.errors.begin(), r.errors.end(), by_slot);
    std::stable_sort(r.dead_branches.begin(), r.dead_branches.end(), by_slot);
    r.exit_state = pre_[cfg_.exit];
    r.verified = r.errors.empty();
    return r;
  }

  const Program &p_;
  const PlatformSpec &platform_;
  const VerifyOptions &options_;
  Cfg cfg_;
  std::vector<State> pre_, post_;
  std::vector<bool> is_head_;
  State initial_;
  std::vector<Bound> thresholds_;
};

} // namespace

Result<VerifyResult> analyze(const Program &program,
                             const PlatformSpec &platform,
                             const VerifyOptions &options,
                             const State &initial) {
  BPFHOST_TRY(cfg, build_cfg(program, options));
  Analyzer a(program, platform, options, std::move(cfg));
  return a.run(initial);
}

Result<VerifyResult> verify(const Program &program,
                            const PlatformSpec &platform,
                            const VerifyOptions &options) {
  if (program.insns.empty())
    return make_error(ErrorCode::Unsafe, "empty program");
  return analyze(program, platform, options, entry_state(platform));
}

} // namespace bpfhost::verifier
