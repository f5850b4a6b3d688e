// A reader for the YAML subset of PREVAIL's verifier tests (test-schema.yaml):
// documents separated by "---"; top-level keys with a plain scalar, a flow
// sequence of strings (possibly over several lines), a block sequence
// ("- item"), or a mapping of labels to literal blocks ("<start>: |").
// No yaml-cpp needed; errors name the file and line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "support/result.hpp"

namespace bpfhost::verifier::test {

struct YamlCase {
  std::string name;
  std::vector<std::string> options;
  std::vector<std::string> pre;
  std::vector<std::pair<std::string, std::string>> code; // label, block text
  std::vector<std::string> post;
  std::vector<std::string> messages;
  int line = 0; // line of "test-case:"
};

Result<std::vector<YamlCase>> read_yaml_cases(const std::string &text);

} // namespace bpfhost::verifier::test
