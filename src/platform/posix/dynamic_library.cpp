// Shared objects with dlopen and dlsym.
#include "platform/dynamic_library.hpp"

#include <dlfcn.h>

#include <system_error>

namespace bpfhost::platform {
namespace {

// dlerror()'s text without the "path: " it often starts with (the Error's
// location says it).
std::string dl_message(const std::string &path) {
  const char *raw = dlerror();
  std::string message = raw != nullptr ? raw : "unknown dynamic loader error";
  if (message.starts_with(path + ": "))
    message.erase(0, path.size() + 2);
  return message;
}

} // namespace

Result<DynamicLibrary> DynamicLibrary::open(const std::filesystem::path &path) {
  const std::string name = path.string();
  void *handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    return make_error(exists ? ErrorCode::InvalidInput : ErrorCode::NotFound,
                      "cannot load library: " + dl_message(name), name);
  }
  return DynamicLibrary(handle, path);
}

Result<void *> DynamicLibrary::symbol(const std::string &name) const {
  const std::string location = path_.string();
  if (handle_ == nullptr)
    return make_error(ErrorCode::InvalidInput, "no library loaded", location);
  dlerror();
  void *address = dlsym(handle_, name.c_str());
  if (address == nullptr && dlerror() != nullptr)
    return make_error(ErrorCode::NotFound, "no symbol '" + name + "'",
                      location);
  return address;
}

void DynamicLibrary::close(void *handle) { dlclose(handle); }

} // namespace bpfhost::platform
