#include "hex.hpp"

#include <cctype>

namespace bpfhost::conformance {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

Result<std::vector<uint8_t>> parse_hex_bytes(std::string_view text) {
  std::vector<uint8_t> out;
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
      ++end;
    const std::string_view token = text.substr(i, end - i);
    const int hi = token.size() == 2 ? hex_digit(token[0]) : -1;
    const int lo = token.size() == 2 ? hex_digit(token[1]) : -1;
    if (hi < 0 || lo < 0)
      return make_error(ErrorCode::InvalidInput,
                        "expected a two-digit hex byte, found '" +
                            std::string(token) + "'",
                        "byte " + std::to_string(out.size()));
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
    i = end;
  }
  return out;
}

std::string format_hex_bytes(const std::vector<uint8_t> &bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (uint8_t b : bytes) {
    if (!out.empty())
      out.push_back(' ');
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

} // namespace bpfhost::conformance
