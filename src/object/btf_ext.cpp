#include "object/btf_ext.hpp"

#include <string>

#include "object/byte_reader.hpp"

namespace bpfhost::object {
namespace {

using detail::field_le;
using detail::hex;

constexpr uint16_t kMagic = 0xeb9f;
constexpr uint32_t kHeaderSize = 24;     // up to line_info_len
constexpr uint32_t kCoreHeaderSize = 32; // with core_relo_off/len

Error invalid(std::string message) {
  return make_error(ErrorCode::InvalidInput, std::move(message));
}

// Reads one info block: rec_size, then {sec_name_off, num_info, records}
// until the block ends. `read` turns a record's bytes into a Record.
template <class Record, class Read>
Result<std::vector<BtfExtSection<Record>>>
read_block(std::span<const uint8_t> body, uint32_t off, uint32_t len,
           uint32_t min_record, const char *what, const Btf &btf, Read read) {
  std::vector<BtfExtSection<Record>> out;
  if (len == 0)
    return out;
  const auto block = detail::sub_span(body, off, len);
  if (!block || len < 4)
    return invalid(std::string(what) + " (" + hex(len) + " bytes at " +
                   hex(off) + ") is outside .BTF.ext");
  const uint32_t rec_size = field_le<uint32_t>(*block, 0);
  if (rec_size < min_record || rec_size % 4 != 0)
    return invalid(std::string(what) + " record size " +
                   std::to_string(rec_size) + " is invalid (at least " +
                   std::to_string(min_record) + ", a multiple of 4)");
  size_t at = 4;
  while (at < block->size()) {
    const auto head = detail::sub_span(*block, at, 8);
    if (!head)
      return invalid(std::string(what) + ": truncated section header at " +
                     hex(at));
    const uint32_t name_off = field_le<uint32_t>(*head, 0);
    const uint32_t count = field_le<uint32_t>(*head, 4);
    const auto name = btf.string(name_off);
    if (!name)
      return invalid(std::string(what) + ": section name offset " +
                     hex(name_off) + " is outside the BTF strings");
    if (count == 0)
      return invalid(std::string(what) + " of section " + std::string(*name) +
                     " has no records");
    const auto records =
        detail::sub_span(*block, at + 8, uint64_t{count} * rec_size);
    if (!records)
      return invalid(std::string(what) + " of section " + std::string(*name) +
                     ": " + std::to_string(count) +
                     " records extend past the end of the block");
    BtfExtSection<Record> section{*name, {}};
    section.records.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const auto record = records->subspan(size_t{i} * rec_size, rec_size);
      auto r = read(record);
      if (!r.ok())
        return r.error().within(std::string(what) + " of section " +
                                std::string(*name) + ": record " +
                                std::to_string(i));
      section.records.push_back(*r);
    }
    out.push_back(std::move(section));
    at += 8 + records->size();
  }
  return out;
}

Result<void> check_string(const Btf &btf, uint32_t offset, const char *what) {
  if (!btf.string(offset))
    return invalid(std::string(what) + " offset " + hex(offset) +
                   " is outside the BTF strings");
  return {};
}

} // namespace

Result<BtfExt> BtfExt::parse(std::span<const uint8_t> bytes, const Btf &btf) {
  if (bytes.size() < kHeaderSize)
    return invalid("BTF.ext is " + std::to_string(bytes.size()) +
                   " bytes, too short for its header (24 bytes)");
  if (field_le<uint16_t>(bytes, 0) != kMagic)
    return invalid("bad BTF.ext magic " + hex(field_le<uint16_t>(bytes, 0)));
  if (bytes[2] != 1)
    return invalid("BTF.ext version " + std::to_string(bytes[2]) +
                   " is not supported (expected 1)");
  const uint32_t hdr_len = field_le<uint32_t>(bytes, 4);
  if (hdr_len < kHeaderSize || hdr_len > bytes.size())
    return invalid("BTF.ext header length " + std::to_string(hdr_len) +
                   " is outside 24.." + std::to_string(bytes.size()));
  const auto body = bytes.subspan(hdr_len);
  BtfExt ext;

  auto funcs = read_block<BtfFuncInfo>(
      body, field_le<uint32_t>(bytes, 8), field_le<uint32_t>(bytes, 12), 8,
      "func info", btf, [](std::span<const uint8_t> r) -> Result<BtfFuncInfo> {
        return BtfFuncInfo{field_le<uint32_t>(r, 0), field_le<uint32_t>(r, 4)};
      });
  if (!funcs)
    return funcs.error();
  ext.func_info = std::move(*funcs);

  auto lines = read_block<BtfLineInfo>(
      body, field_le<uint32_t>(bytes, 16), field_le<uint32_t>(bytes, 20), 16,
      "line info", btf,
      [&btf](std::span<const uint8_t> r) -> Result<BtfLineInfo> {
        BtfLineInfo line{field_le<uint32_t>(r, 0), field_le<uint32_t>(r, 4),
                         field_le<uint32_t>(r, 8), field_le<uint32_t>(r, 12)};
        if (auto ok = check_string(btf, line.file_name_off, "file name"); !ok)
          return ok.error();
        if (auto ok = check_string(btf, line.line_off, "line text"); !ok)
          return ok.error();
        return line;
      });
  if (!lines)
    return lines.error();
  ext.line_info = std::move(*lines);

  if (hdr_len >= kCoreHeaderSize) {
    auto relos = read_block<BtfCoreRelo>(
        body, field_le<uint32_t>(bytes, 24), field_le<uint32_t>(bytes, 28), 16,
        "CO-RE relocations", btf,
        [&btf](std::span<const uint8_t> r) -> Result<BtfCoreRelo> {
          BtfCoreRelo relo{field_le<uint32_t>(r, 0), field_le<uint32_t>(r, 4),
                           field_le<uint32_t>(r, 8), field_le<uint32_t>(r, 12)};
          if (auto ok = check_string(btf, relo.access_str_off, "access string");
              !ok)
            return ok.error();
          return relo;
        });
    if (!relos)
      return relos.error();
    ext.core_relos = std::move(*relos);
  }
  return ext;
}

} // namespace bpfhost::object
