// Errors from POSIX calls as bpfhost Errors (internal to src/platform/posix).
#pragma once

#include "support/result.hpp"

#include <cerrno>
#include <string>
#include <system_error>

namespace bpfhost::platform::posix {

// An Error for errno value `err`: "`what`: strerror(err)", at `location`.
inline Error os_error(int err, const std::string &what,
                      std::string location = {}) {
  ErrorCode code = ErrorCode::Io;
  if (err == ENOENT)
    code = ErrorCode::NotFound;
  else if (err == ENOMEM)
    code = ErrorCode::ResourceExhausted;
  else if (err == EEXIST)
    code = ErrorCode::AlreadyExists;
  else if (err == EINVAL)
    code = ErrorCode::InvalidInput;
  return make_error(code, what + ": " + std::generic_category().message(err),
                    std::move(location));
}

} // namespace bpfhost::platform::posix
