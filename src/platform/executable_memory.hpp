// Memory for generated machine code, under W^X: pages are writable while the
// code is written, then executable and no longer writable, never both.
#pragma once

#include "support/result.hpp"

#include <cstddef>
#include <span>

namespace bpfhost::platform {

// Whole pages obtained from the OS (mmap/mprotect,
// VirtualAlloc/VirtualProtect), released on destruction; move-only, a
// moved-from object is empty.
class ExecutableMemory {
public:
  // Maps at least `size` bytes (rounded up to whole pages), readable and
  // writable.
  static Result<ExecutableMemory> allocate(std::size_t size);

  // The size of a page on this system, in bytes.
  static std::size_t page_size();

  // An empty object that owns no memory.
  ExecutableMemory() = default;
  // Takes over the pages of `other`, which becomes empty.
  ExecutableMemory(ExecutableMemory &&other) noexcept;
  // Releases this object's pages and takes over those of `other`.
  ExecutableMemory &operator=(ExecutableMemory &&other) noexcept;
  ExecutableMemory(const ExecutableMemory &) = delete;
  ExecutableMemory &operator=(const ExecutableMemory &) = delete;
  // Returns the pages to the OS.
  ~ExecutableMemory();

  // The bytes to write code into; empty once the memory is executable.
  std::span<std::byte> writable();

  // Makes the pages readable and executable but no longer writable, and
  // flushes the instruction cache for them; does nothing if already done.
  Result<void> make_executable();

  // Whether make_executable() has succeeded.
  bool executable() const { return executable_; }

  // The first byte of the memory (null when empty).
  const void *code() const { return base_; }

  // The size of the memory in bytes, a whole number of pages.
  std::size_t size() const { return size_; }

  // The code at `offset` as a function pointer of type `Fn*`; null unless
  // executable.
  template <class Fn> Fn *function(std::size_t offset = 0) const {
    if (!executable_ || offset >= size_)
      return nullptr;
    return reinterpret_cast<Fn *>(static_cast<std::byte *>(base_) + offset);
  }

private:
  ExecutableMemory(void *base, std::size_t size) : base_(base), size_(size) {}
  // Unmaps pages obtained by allocate(); implemented per platform.
  static void release(void *base, std::size_t size);

  void *base_ = nullptr;
  std::size_t size_ = 0;
  bool executable_ = false;
};

} // namespace bpfhost::platform
