// DLLs with LoadLibraryExW and GetProcAddress.
#include "platform/dynamic_library.hpp"
#include "platform/win32/os_error.hpp"

#include <windows.h>

namespace bpfhost::platform {

Result<DynamicLibrary> DynamicLibrary::open(const std::filesystem::path &path) {
  // With an absolute path, the DLL's own folder is searched for its
  // dependencies.
  const DWORD flags = path.is_absolute() ? LOAD_WITH_ALTERED_SEARCH_PATH : 0;
  HMODULE module = LoadLibraryExW(path.c_str(), nullptr, flags);
  if (module == nullptr) {
    const DWORD code = GetLastError();
    Error error =
        win32::os_error(code, "cannot load library", win32::path_text(path));
    std::error_code ec;
    if (error.code == ErrorCode::Io || error.code == ErrorCode::NotFound)
      error.code = std::filesystem::exists(path, ec) ? ErrorCode::InvalidInput
                                                     : ErrorCode::NotFound;
    return error;
  }
  return DynamicLibrary(static_cast<void *>(module), path);
}

Result<void *> DynamicLibrary::symbol(const std::string &name) const {
  const std::string location = win32::path_text(path_);
  if (handle_ == nullptr)
    return make_error(ErrorCode::InvalidInput, "no library loaded", location);
  FARPROC address = GetProcAddress(static_cast<HMODULE>(handle_), name.c_str());
  if (address == nullptr)
    return make_error(ErrorCode::NotFound, "no symbol '" + name + "'",
                      location);
  return reinterpret_cast<void *>(address);
}

void DynamicLibrary::close(void *handle) {
  FreeLibrary(static_cast<HMODULE>(handle));
}

} // namespace bpfhost::platform
