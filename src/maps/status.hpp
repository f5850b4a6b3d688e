// Outcomes of map operations as Linux reports them: 0 or an errno. BPF
// programs and bpf() callers see Linux's errno values on every host, so they
// are spelled here rather than taken from the host's <cerrno>.
#pragma once

#include "support/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bpfhost::maps {

// Linux errno values (include/uapi/asm-generic/errno*.h, and the kernel's
// internal ENOTSUPP that bpf() nevertheless returns for some map operations).
enum class Errno : std::int32_t {
  Ok = 0,
  NoEnt = 2,      // ENOENT: no such element
  TooBig = 7,     // E2BIG: map full, index out of range
  Again = 11,     // EAGAIN: no room in a ring buffer
  NoMem = 12,     // ENOMEM
  Busy = 16,      // EBUSY
  Exist = 17,     // EEXIST: BPF_NOEXIST on an existing element
  Inval = 22,     // EINVAL: bad flags, sizes, operation not allowed
  NoSpc = 28,     // ENOSPC: LPM trie full
  OpNotSupp = 95, // EOPNOTSUPP
  NotSupp = 524,  // ENOTSUPP (kernel-internal, seen by user space as 524)
};

// 0 or a Linux errno; cheap to return from the operations programs call.
class [[nodiscard]] Status {
public:
  constexpr Status() = default;
  constexpr Status(Errno code) : code_(code) {}

  constexpr bool ok() const { return code_ == Errno::Ok; }
  constexpr explicit operator bool() const { return ok(); }
  constexpr Errno code() const { return code_; }
  // What a helper returns in r0: 0 or -errno.
  constexpr std::int64_t helper_return() const {
    return -static_cast<std::int64_t>(code_);
  }
  constexpr bool operator==(const Status &) const = default;

private:
  Errno code_ = Errno::Ok;
};

// "ENOENT", "E2BIG", ... ("OK" for success).
std::string_view errno_name(Errno code);

// The Error a C++ caller sees for a failed status (NoEnt → NotFound, Exist →
// AlreadyExists, TooBig → OutOfRange, Inval → InvalidInput, NoMem/NoSpc/Again
// → ResourceExhausted, NotSupp/OpNotSupp → NotSupported); `what` says which
// operation failed.
Error to_error(Status status, std::string what);

// A Result<void> for `status`.
Result<void> to_result(Status status, std::string what);

} // namespace bpfhost::maps
