// Weak topological ordering of a CFG (Bourdoncle, "Efficient chaotic
// iteration strategies with widenings", 1993): the order in which the
// fixpoint visits nodes, with each loop a component whose head is where
// widening happens.
#pragma once

#include <vector>

#include "verifier/cfg.hpp"

namespace bpfhost::verifier {

struct WtoComponent {
  NodeId head = 0;
  bool is_cycle = false;
  std::vector<WtoComponent> body; // only for cycles, after the head
};

using Wto = std::vector<WtoComponent>;

Wto build_wto(const Cfg &cfg);

// Every cycle head of the ordering (nested ones included).
std::vector<NodeId> wto_heads(const Wto &wto);

} // namespace bpfhost::verifier
