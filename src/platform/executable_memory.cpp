// Ownership of ExecutableMemory; the OS calls are in posix/ and win32/.
#include "platform/executable_memory.hpp"

#include <utility>

namespace bpfhost::platform {

ExecutableMemory::ExecutableMemory(ExecutableMemory &&other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      executable_(std::exchange(other.executable_, false)) {}

ExecutableMemory &
ExecutableMemory::operator=(ExecutableMemory &&other) noexcept {
  if (this != &other) {
    if (base_ != nullptr)
      release(base_, size_);
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    executable_ = std::exchange(other.executable_, false);
  }
  return *this;
}

ExecutableMemory::~ExecutableMemory() {
  if (base_ != nullptr)
    release(base_, size_);
}

std::span<std::byte> ExecutableMemory::writable() {
  if (executable_ || base_ == nullptr)
    return {};
  return {static_cast<std::byte *>(base_), size_};
}

} // namespace bpfhost::platform
