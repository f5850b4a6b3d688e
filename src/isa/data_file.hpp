// The bpf_conformance test-file format (.data): sections introduced by a line
// "-- NAME". Shared by the assembler tests and the conformance CTest driver.
//
//   -- asm                 the program in conformance syntax (kept verbatim)
//   -- mem                 hex bytes, whitespace separated: the input memory
//   -- result              the expected r0 (0x-hex or decimal)
//   -- raw                 instruction slots: 0x-prefixed 64-bit words (the
//                          slot read as a little-endian u64, lddw.data) or 8
//                          hex bytes per slot (negative/unused-*.data)
//   -- error               the expected error text (may be empty: any error)
//   -- c                   the C the program came from (kept verbatim)
//   -- no register offset  the runner passes no memory pointer/length in
//                          r1/r2; its text, if any, says why
//
// Lines starting with '#' outside asm and c are comments. An unknown or
// repeated section, or text before the first section, is an error naming its
// line ("line 4: unknown section '-- Unknown directive'").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isa/raw_insn.hpp"
#include "support/result.hpp"

namespace bpfhost::isa {

struct DataFile {
  std::optional<std::string> asm_text;
  // File line (1-based) of the first line of asm_text: add asm_line - 1 to
  // an assembler error's "line N" to point into the file. 0 without asm.
  size_t asm_line = 0;
  std::vector<uint8_t> memory;
  std::optional<uint64_t> result;
  std::optional<std::vector<RawInsn>> raw;
  std::optional<std::string> error;
  std::optional<std::string> c_source;
  std::optional<std::string> no_register_offset;
};

Result<DataFile> parse_data_file(std::string_view text);

} // namespace bpfhost::isa
