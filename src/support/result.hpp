// One error type and one result type for all C++ code of bpfhost (STYLE.md §5).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace bpfhost {

// Kinds of failure a caller acts on differently; the C API maps each to an errno.
enum class ErrorCode {
  InvalidInput,      // malformed input: EINVAL
  Unsafe,            // the program is not proven safe: EACCES
  NotSupported,      // a feature we do not have: EOPNOTSUPP
  NotFound,          // ENOENT
  AlreadyExists,     // EEXIST
  OutOfRange,        // E2BIG / ERANGE
  ResourceExhausted, // ENOMEM / ENOSPC
  Io,                // an OS call failed: EIO
  Internal,          // a bug in bpfhost
};

// What went wrong and where. `location` grows outward as layers add context
// ("fw.o: section xdp: insn 17"); inner messages are never reworded.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string location;
  std::string message;

  // "location: message", or just the message when there is no location.
  std::string to_string() const {
    return location.empty() ? message : location + ": " + message;
  }

  // Prefixes an outer location ("file.o") to this error's location.
  Error within(const std::string &outer) const {
    Error e = *this;
    e.location = location.empty() ? outer : outer + ": " + location;
    return e;
  }
};

inline Error make_error(ErrorCode code, std::string message,
                        std::string location = {}) {
  return Error{code, std::move(location), std::move(message)};
}

// Either a value or an Error (C++20 has no std::expected).
template <class T> class [[nodiscard]] Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T &value() const & {
    assert(ok());
    return std::get<0>(state_);
  }
  T &&value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  const Error &error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

private:
  std::variant<T, Error> state_;
};

template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error &error() const {
    assert(!ok_);
    return error_;
  }

private:
  Error error_;
  bool ok_ = true;
};

} // namespace bpfhost

// Propagates the error of a Result-returning expression; yields its value otherwise.
#define BPFHOST_TRY(var, expr)                                                 \
  auto var##_result_ = (expr);                                                 \
  if (!var##_result_.ok())                                                     \
    return var##_result_.error();                                              \
  auto var = std::move(var##_result_).value()
