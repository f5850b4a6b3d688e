#include "runtime/trace_format.hpp"

#include <cstdio>

namespace bpfhost::runtime {

Result<std::string> format_trace(const char *fmt,
                                 std::array<uint64_t, 3> args) {
  std::string out;
  size_t next = 0;
  for (const char *p = fmt; *p != '\0'; ++p) {
    if (*p != '%') {
      out += *p;
      continue;
    }
    ++p;
    if (*p == '%') {
      out += '%';
      continue;
    }
    int longs = 0;
    while (*p == 'l' && longs < 2) {
      ++longs;
      ++p;
    }
    if (next >= args.size())
      return make_error(ErrorCode::InvalidInput,
                        "trace_printk: more than 3 arguments");
    uint64_t v = args[next++];
    if (longs == 0 && *p != 'p')
      v = static_cast<uint32_t>(v);
    char buf[32];
    switch (*p) {
    case 'd':
    case 'i':
      std::snprintf(buf, sizeof buf, "%lld",
                    longs ? static_cast<long long>(v)
                          : static_cast<long long>(static_cast<int32_t>(v)));
      break;
    case 'u':
      std::snprintf(buf, sizeof buf, "%llu",
                    static_cast<unsigned long long>(v));
      break;
    case 'x':
      std::snprintf(buf, sizeof buf, "%llx",
                    static_cast<unsigned long long>(v));
      break;
    case 'X':
      std::snprintf(buf, sizeof buf, "%llX",
                    static_cast<unsigned long long>(v));
      break;
    case 'c':
      std::snprintf(buf, sizeof buf, "%c", static_cast<char>(v));
      break;
    case 'p':
      std::snprintf(buf, sizeof buf, "0x%llx",
                    static_cast<unsigned long long>(v));
      break;
    default:
      return make_error(ErrorCode::InvalidInput,
                        std::string("trace_printk: unsupported conversion %") +
                            (*p ? *p : ' '));
    }
    out += buf;
  }
  return out;
}

} // namespace bpfhost::runtime
