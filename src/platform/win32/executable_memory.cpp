// W^X pages with VirtualAlloc and VirtualProtect.
#include "platform/executable_memory.hpp"
#include "platform/win32/os_error.hpp"

#include <windows.h>

#include <cstdint>

namespace bpfhost::platform {

std::size_t ExecutableMemory::page_size() {
  static const std::size_t size = [] {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return static_cast<std::size_t>(info.dwPageSize);
  }();
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
  void *base =
      VirtualAlloc(nullptr, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (base == nullptr)
    return win32::os_error(GetLastError(), "VirtualAlloc of " +
                                               std::to_string(size) +
                                               " bytes of code memory");
  return ExecutableMemory(base, size);
}

Result<void> ExecutableMemory::make_executable() {
  if (base_ == nullptr)
    return make_error(ErrorCode::InvalidInput,
                      "no code memory to make executable");
  if (executable_)
    return {};
  DWORD old_protection = 0;
  if (!VirtualProtect(base_, size_, PAGE_EXECUTE_READ, &old_protection))
    return win32::os_error(GetLastError(), "VirtualProtect to read+execute");
  FlushInstructionCache(GetCurrentProcess(), base_, size_);
  executable_ = true;
  return {};
}

void ExecutableMemory::release(void *base, std::size_t) {
  VirtualFree(base, 0, MEM_RELEASE);
}

} // namespace bpfhost::platform
