// FormatMessageW and the code page conversions behind os_error.hpp.
#include "platform/win32/os_error.hpp"

#include <windows.h>

namespace bpfhost::platform::win32 {

std::string system_message(unsigned long code) {
  wchar_t *buffer = nullptr;
  DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
          FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
      reinterpret_cast<wchar_t *>(&buffer), 0, nullptr);
  std::string message;
  if (length != 0 && buffer != nullptr) {
    message = narrow(std::wstring_view(buffer, length));
    while (!message.empty() &&
           (message.back() == '\n' || message.back() == '\r' ||
            message.back() == ' ' || message.back() == '.'))
      message.pop_back();
  }
  if (buffer != nullptr)
    LocalFree(buffer);
  if (message.empty())
    message = "error " + std::to_string(code);
  return message;
}

Error os_error(unsigned long code, const std::string &what,
               std::string location) {
  ErrorCode kind = ErrorCode::Io;
  switch (code) {
  case ERROR_FILE_NOT_FOUND:
  case ERROR_PATH_NOT_FOUND:
  case ERROR_MOD_NOT_FOUND:
  case ERROR_PROC_NOT_FOUND:
    kind = ErrorCode::NotFound;
    break;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
  case ERROR_COMMITMENT_LIMIT:
    kind = ErrorCode::ResourceExhausted;
    break;
  case ERROR_ALREADY_EXISTS:
  case ERROR_FILE_EXISTS:
    kind = ErrorCode::AlreadyExists;
    break;
  case ERROR_INVALID_PARAMETER:
  case ERROR_BAD_EXE_FORMAT:
    kind = ErrorCode::InvalidInput;
    break;
  default:
    break;
  }
  return make_error(kind, what + ": " + system_message(code),
                    std::move(location));
}

std::wstring widen(std::string_view text) {
  if (text.empty())
    return {};
  int length = MultiByteToWideChar(CP_UTF8, 0, text.data(),
                                   static_cast<int>(text.size()), nullptr, 0);
  std::wstring wide(static_cast<std::size_t>(length), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                      wide.data(), length);
  return wide;
}

std::string narrow(std::wstring_view text) {
  if (text.empty())
    return {};
  int length = WideCharToMultiByte(CP_UTF8, 0, text.data(),
                                   static_cast<int>(text.size()), nullptr, 0,
                                   nullptr, nullptr);
  std::string utf8(static_cast<std::size_t>(length), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                      utf8.data(), length, nullptr, nullptr);
  return utf8;
}

} // namespace bpfhost::platform::win32
