// Ownership of DynamicLibrary; loading and lookup are in posix/ and win32/.
#include "platform/dynamic_library.hpp"

#include <utility>

namespace bpfhost::platform {

DynamicLibrary::DynamicLibrary(DynamicLibrary &&other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      path_(std::move(other.path_)) {}

DynamicLibrary &DynamicLibrary::operator=(DynamicLibrary &&other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr)
      close(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

DynamicLibrary::~DynamicLibrary() {
  if (handle_ != nullptr)
    close(handle_);
}

} // namespace bpfhost::platform
