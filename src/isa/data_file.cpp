#include "isa/data_file.hpp"

#include "isa/asm_lexer.hpp"

namespace bpfhost::isa {
namespace {

using detail::Cursor;
using detail::syntax_error;

enum class Section { None, Asm, Mem, Result, Raw, Error, C, NoRegisterOffset };

struct SectionName {
  Section section;
  std::string_view name;
};
constexpr SectionName kSections[] = {
    {Section::Asm, "asm"},
    {Section::Mem, "mem"},
    {Section::Result, "result"},
    {Section::Raw, "raw"},
    {Section::Error, "error"},
    {Section::C, "c"},
    {Section::NoRegisterOffset, "no register offset"},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

void append_line(std::optional<std::string> &text, std::string_view line) {
  *text += line;
  *text += '\n';
}

std::optional<uint8_t> hex_byte(std::string_view token) {
  if (token.size() != 2)
    return std::nullopt;
  unsigned value = 0;
  for (char c : token) {
    unsigned d;
    if (c >= '0' && c <= '9')
      d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = static_cast<unsigned>(c - 'A' + 10);
    else
      return std::nullopt;
    value = value * 16 + d;
  }
  return static_cast<uint8_t>(value);
}

// Calls `each` with every whitespace-separated token of `line`.
template <class F> Result<void> for_each_token(std::string_view line, F each) {
  for (size_t i = 0; i < line.size();) {
    if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
      ++i;
      continue;
    }
    size_t end = line.find_first_of(" \t\r", i);
    if (end == std::string_view::npos)
      end = line.size();
    if (auto r = each(line.substr(i, end - i)); !r)
      return r;
    i = end;
  }
  return {};
}

struct Parser {
  DataFile file;
  Section current = Section::None;
  std::vector<uint8_t> raw_bytes; // -- raw in byte form, not yet whole slots
  std::vector<Section> seen;

  Result<void> header(std::string_view name, size_t number) {
    for (const SectionName &s : kSections) {
      if (s.name != name)
        continue;
      for (Section prior : seen) {
        if (prior == s.section)
          return syntax_error("repeated section '-- " + std::string(name) +
                              "'");
      }
      seen.push_back(s.section);
      current = s.section;
      open(number);
      return {};
    }
    return syntax_error("unknown section '-- " + std::string(name) + "'");
  }

  void open(size_t number) {
    switch (current) {
    case Section::Asm:
      file.asm_text.emplace();
      file.asm_line = number + 1;
      break;
    case Section::Raw:
      file.raw.emplace();
      break;
    case Section::Error:
      file.error.emplace();
      break;
    case Section::C:
      file.c_source.emplace();
      break;
    case Section::NoRegisterOffset:
      file.no_register_offset.emplace();
      break;
    case Section::None:
    case Section::Mem:
    case Section::Result:
      break;
    }
  }

  Result<void> memory_line(std::string_view line) {
    return for_each_token(line, [&](std::string_view token) -> Result<void> {
      auto byte = hex_byte(token);
      if (!byte)
        return syntax_error("invalid memory byte '" + std::string(token) + "'");
      file.memory.push_back(*byte);
      return {};
    });
  }

  Result<void> result_line(std::string_view line) {
    if (file.result)
      return syntax_error("more than one result");
    Cursor c(line);
    BPFHOST_TRY(value, c.imm64());
    file.result = value;
    return c.end("result");
  }

  Result<void> raw_line(std::string_view line) {
    return for_each_token(line, [&](std::string_view token) -> Result<void> {
      if (token.substr(0, 2) != "0x")
        return raw_byte(token);
      if (!raw_bytes.empty())
        return syntax_error("raw word '" + std::string(token) +
                            "' follows an incomplete slot of bytes");
      Cursor c(token);
      BPFHOST_TRY(word, c.imm64());
      file.raw->push_back(
          RawInsn{static_cast<uint8_t>(word), static_cast<uint8_t>(word >> 8),
                  static_cast<int16_t>(static_cast<uint16_t>(word >> 16)),
                  static_cast<int32_t>(static_cast<uint32_t>(word >> 32))});
      return c.end("raw");
    });
  }

  Result<void> raw_byte(std::string_view token) {
    auto byte = hex_byte(token);
    if (!byte)
      return syntax_error("invalid raw byte '" + std::string(token) + "'");
    raw_bytes.push_back(*byte);
    if (raw_bytes.size() == sizeof(RawInsn)) {
      file.raw->push_back(raw_insns_from_bytes(raw_bytes).front());
      raw_bytes.clear();
    }
    return {};
  }

  Result<void> line(std::string_view text) {
    const std::string_view trimmed = trim(text);
    switch (current) {
    case Section::Asm:
      append_line(file.asm_text, text);
      return {};
    case Section::C:
      append_line(file.c_source, text);
      return {};
    case Section::None:
    case Section::Mem:
    case Section::Result:
    case Section::Raw:
    case Section::Error:
    case Section::NoRegisterOffset:
      break;
    }
    if (trimmed.empty() || trimmed.front() == '#')
      return {};
    switch (current) {
    case Section::None:
      return syntax_error("text outside a section: '" + std::string(trimmed) +
                          "'");
    case Section::Mem:
      return memory_line(trimmed);
    case Section::Result:
      return result_line(trimmed);
    case Section::Raw:
      return raw_line(trimmed);
    case Section::Error:
      *file.error += (file.error->empty() ? "" : "\n") + std::string(trimmed);
      return {};
    case Section::NoRegisterOffset:
      *file.no_register_offset +=
          (file.no_register_offset->empty() ? "" : "\n") + std::string(trimmed);
      return {};
    case Section::Asm:
    case Section::C:
      break;
    }
    return {};
  }
};

} // namespace

Result<DataFile> parse_data_file(std::string_view text) {
  Parser parser;
  size_t number = 1;
  for (size_t start = 0; start < text.size(); ++number) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    start = end + 1;
    auto r = line.substr(0, 3) == "-- " || line == "--"
                 ? parser.header(trim(line.substr(2)), number)
                 : parser.line(line);
    if (!r)
      return r.error().within("line " + std::to_string(number));
  }
  if (!parser.raw_bytes.empty())
    return syntax_error("raw section ends inside a slot (" +
                        std::to_string(parser.raw_bytes.size()) +
                        " of 8 bytes)");
  return std::move(parser.file);
}

} // namespace bpfhost::isa
