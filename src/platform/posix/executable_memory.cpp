// W^X pages with mmap and mprotect.
#include "platform/executable_memory.hpp"
#include "platform/posix/os_error.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace bpfhost::platform {

std::size_t ExecutableMemory::page_size() {
  static const std::size_t size =
      static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

Result<ExecutableMemory> ExecutableMemory::allocate(std::size_t size) {
  const std::size_t page = page_size();
  if (size == 0)
    return make_error(ErrorCode::InvalidInput,
                      "cannot allocate 0 bytes of code memory");
  if (size > SIZE_MAX - (page - 1))
    return make_error(ErrorCode::OutOfRange, "code memory of " +
                                                 std::to_string(size) +
                                                 " bytes is too large");
  size = (size + page - 1) / page * page;
  void *base = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return posix::os_error(errno, "mmap of " + std::to_string(size) +
                                      " bytes of code memory");
  return ExecutableMemory(base, size);
}

Result<void> ExecutableMemory::make_executable() {
  if (base_ == nullptr)
    return make_error(ErrorCode::InvalidInput,
                      "no code memory to make executable");
  if (executable_)
    return {};
  if (mprotect(base_, size_, PROT_READ | PROT_EXEC) != 0)
    return posix::os_error(errno, "mprotect to read+execute");
  char *begin = static_cast<char *>(base_);
  __builtin___clear_cache(begin, begin + size_);
  executable_ = true;
  return {};
}

void ExecutableMemory::release(void *base, std::size_t size) {
  munmap(base, size);
}

} // namespace bpfhost::platform
