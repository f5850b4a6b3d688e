// The test platform PREVAIL's YAML cases assume (its src/test/ebpf_yaml.cpp):
// a 64-byte context with packet start at 0 and end at 4 and no meta field,
// every map fd a map with 4-byte keys and values and 4 entries, and the
// helpers the cases call, with Linux's ids and argument kinds.
#pragma once

#include "verifier/platform.hpp"

namespace bpfhost::verifier::test {

const PlatformSpec &yaml_test_platform();

} // namespace bpfhost::verifier::test
