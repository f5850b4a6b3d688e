// Text and JSON pieces of bpfhost's output.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "runtime/runtime.hpp"

namespace bpfhost::cli {

// Lowercase hex digits, two per byte, no separators.
std::string hex(std::span<const uint8_t> bytes);
// A JSON string literal.
std::string json_string(std::string_view text);
// {NAME: [{"key": HEX, "value": HEX}, ...], ...}; per-CPU maps give
// "values": [HEX, ...] (one per CPU).
std::string maps_json(const runtime::Runtime &runtime);
// Compact JSON re-indented as bpftool -p prints it (4 spaces, "key": value).
std::string pretty_json(std::string_view compact);
// One line per entry: "NAME key HEX value HEX".
std::string maps_text(const runtime::Runtime &runtime);

} // namespace bpfhost::cli
