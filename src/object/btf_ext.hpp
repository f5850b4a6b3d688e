// The .BTF.ext section: per ELF section, function info, line info and CO-RE
// relocation records (kernel Documentation/bpf/btf.rst, ".BTF.ext section";
// libbpf's struct btf_ext_header). Offsets of instructions are in bytes from
// the start of the ELF section, as clang writes them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "object/btf.hpp"
#include "support/result.hpp"

namespace bpfhost::object {

struct BtfFuncInfo {
  uint32_t insn_off = 0; // bytes
  uint32_t type = 0;     // BTF_KIND_FUNC
};

struct BtfLineInfo {
  uint32_t insn_off = 0; // bytes
  uint32_t file_name_off = 0;
  uint32_t line_off = 0;
  uint32_t line_col = 0; // line << 10 | column
};

struct BtfCoreRelo {
  uint32_t insn_off = 0; // bytes
  uint32_t type = 0;
  uint32_t access_str_off = 0;
  uint32_t kind = 0;
};

// The records of one kind for one ELF section.
template <class Record> struct BtfExtSection {
  std::string_view section; // the ELF section name, from the BTF strings
  std::vector<Record> records;
};

struct BtfExt {
  std::vector<BtfExtSection<BtfFuncInfo>> func_info;
  std::vector<BtfExtSection<BtfLineInfo>> line_info;
  std::vector<BtfExtSection<BtfCoreRelo>> core_relos;

  // Parses and checks the header and every record block; section names
  // and (for line info and CO-RE) strings must exist in `btf`.
  static Result<BtfExt> parse(std::span<const uint8_t> bytes, const Btf &btf);
};

} // namespace bpfhost::object
