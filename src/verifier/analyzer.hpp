// The verifier's entry point: builds the CFG, runs the fixpoint over its
// weak topological ordering (widening at loop heads, then one narrowing
// pass), and checks every safety condition on the resulting invariants.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/result.hpp"
#include "verifier/cfg.hpp"
#include "verifier/platform.hpp"
#include "verifier/program.hpp"
#include "verifier/state.hpp"

namespace bpfhost::verifier {

// One finding, in the words a person acts on.
struct Diagnostic {
  std::string label;     // "17", "3/17" (call sites), "2:5" (branch edge)
  int64_t slot = -1;     // instruction slot index (-1: none)
  std::string message;   // "Possible null access"
  std::string condition; // the failed assertion: "valid_access(r2.offset,
                         // width=4) for read"
  std::string state;     // the facts of the state the condition was checked in
  // "17: Possible null access (valid_access(...))", PREVAIL's form.
  std::string to_string() const;
};

struct VerifyResult {
  bool verified = false;
  std::vector<Diagnostic> errors;        // safety violations (reject)
  std::vector<Diagnostic> dead_branches; // branches that can never be taken
  State exit_state;                      // invariant at program exit
  size_t cfg_nodes = 0;
};

// The state at program entry: r1 the context, r10 the top of the stack,
// everything else unwritten.
State entry_state(const PlatformSpec &platform);

// Analyses `program` from `initial`. Errors only for programs that cannot be
// analysed at all (ErrorCode::Unsafe for recursion, calls nested too deep,
// jumps out of the program); everything else is in the result.
Result<VerifyResult> analyze(const Program &program,
                             const PlatformSpec &platform,
                             const VerifyOptions &options,
                             const State &initial);

// analyze() from entry_state().
Result<VerifyResult> verify(const Program &program,
                            const PlatformSpec &platform,
                            const VerifyOptions &options);

} // namespace bpfhost::verifier
