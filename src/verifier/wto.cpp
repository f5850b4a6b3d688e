#include "verifier/wto.hpp"

#include <algorithm>
#include <climits>

namespace bpfhost::verifier {

namespace {

// Bourdoncle's recursive algorithm, with the DFS made iterative so that
// programs of hundreds of thousands of nodes do not exhaust the native stack.
class Builder {
public:
  explicit Builder(const Cfg &cfg) : cfg_(cfg), dfn_(cfg.nodes.size(), 0) {}

  Wto run() {
    Wto out;
    visit(cfg_.entry, out);
    std::reverse(out.begin(), out.end());
    return out;
  }

private:
  struct Frame {
    NodeId v;
    size_t next_succ = 0;
    unsigned head = 0;
    bool loop = false;
    Wto *partition;
  };

  // Returns the head number of v's strongly connected part.
  unsigned visit(NodeId root, Wto &partition) {
    std::vector<Frame> frames;
    unsigned result = 0;
    auto enter = [&](NodeId v, Wto *part) {
      stack_.push_back(v);
      dfn_[v] = ++num_;
      frames.push_back(Frame{v, 0, dfn_[v], false, part});
    };
    enter(root, &partition);
    while (!frames.empty()) {
      Frame &f = frames.back();
      const auto &succ = cfg_.nodes[f.v].succ;
      if (f.next_succ < succ.size()) {
        const NodeId w = succ[f.next_succ++].to;
        if (dfn_[w] == 0) {
          enter(w, f.partition);
          continue;
        }
        if (dfn_[w] <= f.head) {
          f.head = dfn_[w];
          f.loop = true;
        }
        continue;
      }
      // All successors done: finish f.
      const NodeId v = f.v;
      unsigned head = f.head;
      const bool loop = f.loop;
      Wto *part = f.partition;
      if (head == dfn_[v]) {
        dfn_[v] = UINT_MAX;
        NodeId elem = stack_.back();
        stack_.pop_back();
        if (loop) {
          while (elem != v) {
            dfn_[elem] = 0;
            elem = stack_.back();
            stack_.pop_back();
          }
          part->push_back(component(v));
        } else {
          part->push_back(WtoComponent{v, false, {}});
        }
      }
      frames.pop_back();
      result = head;
      if (!frames.empty()) {
        Frame &parent = frames.back();
        if (head <= parent.head) {
          parent.head = head;
          parent.loop = true;
        }
      }
    }
    return result;
  }

  WtoComponent component(NodeId v) {
    Wto body;
    for (const Edge &e : cfg_.nodes[v].succ)
      if (dfn_[e.to] == 0)
        visit(e.to, body);
    std::reverse(body.begin(), body.end());
    return WtoComponent{v, true, std::move(body)};
  }

  const Cfg &cfg_;
  std::vector<unsigned> dfn_;
  std::vector<NodeId> stack_;
  unsigned num_ = 0;
};

void collect(const Wto &wto, std::vector<NodeId> &out) {
  for (const WtoComponent &c : wto)
    if (c.is_cycle) {
      out.push_back(c.head);
      collect(c.body, out);
    }
}

} // namespace

Wto build_wto(const Cfg &cfg) { return Builder(cfg).run(); }

std::vector<NodeId> wto_heads(const Wto &wto) {
  std::vector<NodeId> out;
  collect(wto, out);
  return out;
}

} // namespace bpfhost::verifier
