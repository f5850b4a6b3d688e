// Deciding a safety condition against an abstract state (the "checker"),
// and assuming it afterwards so that one bug gives one message.
#pragma once

#include <optional>
#include <string>

#include "verifier/assertions.hpp"
#include "verifier/platform.hpp"
#include "verifier/state.hpp"

namespace bpfhost::verifier {

struct CheckContext {
  const PlatformSpec &platform;
  const VerifyOptions &options;
};

// Nullopt when the condition holds in every concrete state of `s`; else
// what may go wrong, in plain words ("Possible null access").
std::optional<std::string> check(const State &s, const Assertion &a,
                                 const CheckContext &ctx);

// Restricts `s` to the states where the condition holds.
void assume(State &s, const Assertion &a, const CheckContext &ctx);

} // namespace bpfhost::verifier
