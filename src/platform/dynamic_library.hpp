// Shared libraries (.so, .dll) loaded at run time, such as extension plugins.
#pragma once

#include "support/result.hpp"

#include <filesystem>
#include <string>

namespace bpfhost::platform {

// A loaded shared library (dlopen / LoadLibraryExW); move-only, unloaded on
// destruction, so symbols obtained from it must not outlive it.
class DynamicLibrary {
public:
  // Loads the library at `path` with all symbols resolved now and kept local;
  // errors (NotFound for a missing file, InvalidInput otherwise) name the path.
  static Result<DynamicLibrary> open(const std::filesystem::path &path);

  // An empty object that holds no library.
  DynamicLibrary() = default;
  // Takes over the library of `other`, which becomes empty.
  DynamicLibrary(DynamicLibrary &&other) noexcept;
  // Unloads this object's library and takes over that of `other`.
  DynamicLibrary &operator=(DynamicLibrary &&other) noexcept;
  DynamicLibrary(const DynamicLibrary &) = delete;
  DynamicLibrary &operator=(const DynamicLibrary &) = delete;
  // Unloads the library.
  ~DynamicLibrary();

  // The address of the exported symbol `name`, or NotFound naming the library
  // and the symbol.
  Result<void *> symbol(const std::string &name) const;

  // The path the library was opened from.
  const std::filesystem::path &path() const { return path_; }

private:
  DynamicLibrary(void *handle, std::filesystem::path path)
      : handle_(handle), path_(std::move(path)) {}
  // Unloads a handle obtained by open(); implemented per platform.
  static void close(void *handle);

  void *handle_ = nullptr;
  std::filesystem::path path_;
};

} // namespace bpfhost::platform
