// The Linux CPU list format, parsed the same way on every host so it can be
// tested anywhere.
#include "platform/processors.hpp"

#include <charconv>

namespace bpfhost::platform {
namespace {

// Reads a decimal CPU number at the front of `text`, advancing past it.
bool take_number(std::string_view &text, unsigned &value) {
  const char *end = text.data() + text.size();
  auto [next, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || next == text.data())
    return false;
  text.remove_prefix(static_cast<std::size_t>(next - text.data()));
  return true;
}

} // namespace

// Same grammar as the kernel's cpulist_parse() and libbpf's
// parse_cpu_mask_str(): comma-separated numbers or inclusive ranges "a-b" with
// a <= b.
Result<unsigned> parse_cpu_list(std::string_view text) {
  auto bad = [&](const char *why) {
    return make_error(ErrorCode::InvalidInput,
                      std::string("invalid CPU list \"") + std::string(text) +
                          "\": " + why);
  };
  std::string_view rest = text;
  if (!rest.empty() && rest.back() == '\n')
    rest.remove_suffix(1);
  if (rest.empty())
    return bad("empty");
  unsigned long long count = 0;
  while (true) {
    unsigned first = 0;
    if (!take_number(rest, first))
      return bad("expected a CPU number");
    unsigned last = first;
    if (!rest.empty() && rest.front() == '-') {
      rest.remove_prefix(1);
      if (!take_number(rest, last))
        return bad("expected the end of a range");
      if (last < first)
        return bad("range ends before it starts");
    }
    count += static_cast<unsigned long long>(last - first) + 1;
    if (count > 1u << 20)
      return bad("too many CPUs");
    if (rest.empty())
      break;
    if (rest.front() != ',')
      return bad("expected ',' or '-'");
    rest.remove_prefix(1);
  }
  return static_cast<unsigned>(count);
}

} // namespace bpfhost::platform
