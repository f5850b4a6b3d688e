// Internal: bounds-checked little-endian reads from bytes the caller gave us.
// Every parser of src/object reads through this, so no out-of-range read can
// happen whatever the input (ELF, BTF and BTF.ext are little-endian here: we
// accept only ELFDATA2LSB objects).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bpfhost::object::detail {

// The bytes [offset, offset + size) of `bytes`, or nullopt when any of them
// lies outside (overflow-safe).
inline std::optional<std::span<const uint8_t>>
sub_span(std::span<const uint8_t> bytes, uint64_t offset, uint64_t size) {
  if (offset > bytes.size() || size > bytes.size() - offset)
    return std::nullopt;
  return bytes.subspan(static_cast<size_t>(offset), static_cast<size_t>(size));
}

// Reads an unsigned little-endian integer of sizeof(T) bytes at `offset`.
template <class T>
std::optional<T> read_le(std::span<const uint8_t> bytes, uint64_t offset) {
  auto field = sub_span(bytes, offset, sizeof(T));
  if (!field)
    return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<uint64_t>((*field)[i]) << (8 * i);
  return static_cast<T>(value);
}

// Reads from a record already known to be in range (the caller checked the
// record's size); out-of-range fields read as 0 rather than overrun.
template <class T> T field_le(std::span<const uint8_t> record, size_t offset) {
  return read_le<T>(record, offset).value_or(T{});
}

// The NUL-terminated string at `offset` of a string table, or nullopt when
// the offset is outside the table or the string has no terminator in it.
inline std::optional<std::string_view> string_at(std::span<const uint8_t> table,
                                                 uint64_t offset) {
  if (offset >= table.size())
    return std::nullopt;
  const auto *begin = reinterpret_cast<const char *>(table.data()) + offset;
  const size_t room = table.size() - static_cast<size_t>(offset);
  const std::string_view rest(begin, room);
  const size_t end = rest.find('\0');
  if (end == std::string_view::npos)
    return std::nullopt;
  return rest.substr(0, end);
}

// "0x1f": offsets in messages are hexadecimal, as readelf prints them.
inline std::string hex(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  return "0x" + digits;
}

} // namespace bpfhost::object::detail
