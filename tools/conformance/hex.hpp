// Hex byte strings as the bpf_conformance plugin protocol writes them:
// two-digit bytes separated by white space ("b7 00 00 00 01 00 00 00").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/result.hpp"

namespace bpfhost::conformance {

// Parses white-space separated hex bytes; an error names the offending token.
Result<std::vector<uint8_t>> parse_hex_bytes(std::string_view text);

// The same form: "b7 00 ..." (lowercase, single spaces).
std::string format_hex_bytes(const std::vector<uint8_t> &bytes);

} // namespace bpfhost::conformance
