// Runs one PREVAIL YAML case through assembler, verifier and fact checks.
#pragma once

#include <string>
#include <vector>

#include "yaml_reader.hpp"

namespace bpfhost::verifier::test {

struct CaseOutcome {
  bool expected_reject = false;
  bool rejected = false;
  std::vector<std::string> messages; // ours, PREVAIL's form
  int facts = 0;                     // expected post-state facts
  int facts_held = 0;
  std::vector<std::string> facts_missed;
  std::string exit_state; // facts of our exit state, for debugging
  std::string error;      // the case could not be run (parse error)
  bool agrees() const { return error.empty() && expected_reject == rejected; }
};

CaseOutcome run_yaml_case(const YamlCase &c);

} // namespace bpfhost::verifier::test
