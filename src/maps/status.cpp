// Errno names and the mapping of map statuses to bpfhost errors.
#include "maps/status.hpp"

namespace bpfhost::maps {

std::string_view errno_name(Errno code) {
  switch (code) {
  case Errno::Ok:
    return "OK";
  case Errno::NoEnt:
    return "ENOENT";
  case Errno::TooBig:
    return "E2BIG";
  case Errno::Again:
    return "EAGAIN";
  case Errno::NoMem:
    return "ENOMEM";
  case Errno::Busy:
    return "EBUSY";
  case Errno::Exist:
    return "EEXIST";
  case Errno::Inval:
    return "EINVAL";
  case Errno::NoSpc:
    return "ENOSPC";
  case Errno::OpNotSupp:
    return "EOPNOTSUPP";
  case Errno::NotSupp:
    return "ENOTSUPP";
  }
  return "E?";
}

namespace {

ErrorCode error_code(Errno code) {
  switch (code) {
  case Errno::Ok:
    return ErrorCode::Internal;
  case Errno::NoEnt:
    return ErrorCode::NotFound;
  case Errno::Exist:
    return ErrorCode::AlreadyExists;
  case Errno::TooBig:
    return ErrorCode::OutOfRange;
  case Errno::Inval:
    return ErrorCode::InvalidInput;
  case Errno::NoMem:
  case Errno::NoSpc:
  case Errno::Again:
  case Errno::Busy:
    return ErrorCode::ResourceExhausted;
  case Errno::NotSupp:
  case Errno::OpNotSupp:
    return ErrorCode::NotSupported;
  }
  return ErrorCode::Internal;
}

} // namespace

Error to_error(Status status, std::string what) {
  return make_error(error_code(status.code()),
                    what + ": " + std::string(errno_name(status.code())));
}

Result<void> to_result(Status status, std::string what) {
  if (status.ok())
    return {};
  return to_error(status, std::move(what));
}

} // namespace bpfhost::maps
