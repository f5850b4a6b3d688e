// The visitor idiom for std::visit: one lambda per alternative, no catch-all,
// so a new IR alternative breaks every pass that forgot it (STYLE.md §2).
#pragma once

namespace bpfhost::isa {

template <class... Ts> struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

} // namespace bpfhost::isa
