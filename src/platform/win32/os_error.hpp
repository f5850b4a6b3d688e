// Win32 errors as bpfhost Errors, and UTF-8 <-> UTF-16 (internal to
// src/platform/win32).
#pragma once

#include "support/result.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace bpfhost::platform::win32 {

// FormatMessageW's text for a GetLastError() code, in UTF-8, without the
// trailing newline.
std::string system_message(unsigned long code);

// An Error for GetLastError() code `code`: "`what`: <system message>", at
// `location`.
Error os_error(unsigned long code, const std::string &what,
               std::string location = {});

// UTF-8 to UTF-16.
std::wstring widen(std::string_view text);

// UTF-16 to UTF-8.
std::string narrow(std::wstring_view text);

// A path as UTF-8 text for messages.
inline std::string path_text(const std::filesystem::path &path) {
  return narrow(path.native());
}

} // namespace bpfhost::platform::win32
