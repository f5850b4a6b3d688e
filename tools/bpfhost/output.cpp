#include "output.hpp"

#include <cstdio>
#include <vector>

#include "maps/map_types.hpp"

namespace bpfhost::cli {
namespace {

struct Entry {
  std::vector<uint8_t> key;
  std::vector<std::string> values; // one, or one per CPU
};

std::vector<Entry> entries(const maps::Map &const_map) {
  auto &map = const_cast<maps::Map &>(const_map);
  std::vector<Entry> out;
  auto info = maps::map_type_info(map.type());
  const bool per_cpu = info && info->per_cpu;
  std::vector<uint8_t> key(map.key_size()), next(map.key_size());
  std::vector<uint8_t> value(map.user_value_size());
  const void *prev = nullptr;
  // Bounded: a map never holds more than max_entries keys.
  for (uint64_t n = 0; n <= map.max_entries(); ++n) {
    if (!map.get_next_key(prev, next.data()))
      break;
    key = next;
    prev = key.data();
    if (!map.sys_lookup(key.data(), value.data(), 0))
      continue;
    Entry e{key, {}};
    if (per_cpu) {
      const size_t stride = (map.value_size() + 7) / 8 * 8;
      for (size_t cpu = 0; cpu < map.cpu_count(); ++cpu)
        e.values.push_back(
            hex(std::span(value).subspan(cpu * stride, map.value_size())));
    } else {
      e.values.push_back(hex(value));
    }
    out.push_back(std::move(e));
  }
  return out;
}

bool dumpable(const maps::Map &map) {
  switch (map.type()) {
  case maps::MapType::Hash:
  case maps::MapType::Array:
  case maps::MapType::PercpuHash:
  case maps::MapType::PercpuArray:
  case maps::MapType::LruHash:
  case maps::MapType::LruPercpuHash:
    return true;
  default:
    return false;
  }
}

} // namespace

std::string hex(std::span<const uint8_t> bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", ch);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string maps_json(const runtime::Runtime &runtime) {
  std::string out = "{";
  bool first_map = true;
  for (const auto &loaded : runtime.maps()) {
    if (!dumpable(*loaded.map))
      continue;
    out += first_map ? "" : ",";
    first_map = false;
    out += json_string(loaded.name) + ":[";
    bool first = true;
    for (const auto &e : entries(*loaded.map)) {
      out += first ? "" : ",";
      first = false;
      out += "{\"key\":\"" + hex(e.key) + "\",";
      auto info = maps::map_type_info(loaded.map->type());
      if (info && info->per_cpu) {
        out += "\"values\":[";
        for (size_t i = 0; i < e.values.size(); ++i)
          out += (i ? ",\"" : "\"") + e.values[i] + "\"";
        out += "]}";
      } else {
        out += "\"value\":\"" + e.values[0] + "\"}";
      }
    }
    out += "]";
  }
  return out + "}";
}

std::string pretty_json(std::string_view compact) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  auto newline = [&] { out += "\n" + std::string(4 * depth, ' '); };
  for (size_t i = 0; i < compact.size(); ++i) {
    const char ch = compact[i];
    if (in_string) {
      out += ch;
      if (ch == '\\' && i + 1 < compact.size())
        out += compact[++i];
      else if (ch == '"')
        in_string = false;
      continue;
    }
    switch (ch) {
    case '"':
      in_string = true;
      out += ch;
      break;
    case '{':
    case '[':
      out += ch;
      if (i + 1 < compact.size() &&
          (compact[i + 1] == '}' || compact[i + 1] == ']')) {
        out += compact[++i];
        break;
      }
      ++depth;
      newline();
      break;
    case '}':
    case ']':
      --depth;
      newline();
      out += ch;
      break;
    case ',':
      out += ch;
      newline();
      break;
    case ':':
      out += ": ";
      break;
    case '\n':
      break;
    default:
      out += ch;
    }
  }
  return out + "\n";
}

std::string maps_text(const runtime::Runtime &runtime) {
  std::string out;
  for (const auto &loaded : runtime.maps()) {
    if (!dumpable(*loaded.map))
      continue;
    out += "map " + loaded.name + ":\n";
    for (const auto &e : entries(*loaded.map)) {
      out += "  key " + hex(e.key) + " value";
      for (const auto &v : e.values)
        out += " " + v;
      out += "\n";
    }
  }
  return out;
}

} // namespace bpfhost::cli
