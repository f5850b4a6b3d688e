#include "object/map_table.hpp"

#include <string>

#include "object/byte_reader.hpp"

namespace bpfhost::object::detail {
namespace {

bool has_prefix(std::string_view name, std::string_view base) {
  return name == base ||
         (name.size() > base.size() && name.substr(0, base.size()) == base &&
          name[base.size()] == '.');
}

} // namespace

std::optional<size_t> MapTable::definition_at(uint32_t section,
                                              uint64_t offset) const {
  for (const MapPlacement &p : placements)
    if (p.section == section && p.offset == offset &&
        maps[p.map].origin != MapOrigin::GlobalData)
      return p.map;
  return std::nullopt;
}

std::optional<size_t> MapTable::data_map(uint32_t section) const {
  for (const MapPlacement &p : placements)
    if (p.section == section && maps[p.map].origin == MapOrigin::GlobalData)
      return p.map;
  return std::nullopt;
}

bool MapTable::is_map_section(uint32_t section) const {
  for (const MapPlacement &p : placements)
    if (p.section == section && maps[p.map].origin != MapOrigin::GlobalData)
      return true;
  return false;
}

size_t MapTable::add(MapSpec spec, uint32_t section, uint64_t offset,
                     uint64_t size) {
  maps.push_back(std::move(spec));
  placements.push_back({section, offset, size, maps.size() - 1});
  return maps.size() - 1;
}

// libbpf (bpf_object__elf_collect): ".data", ".rodata" and ".bss", and
// since libbpf 0.7 any ".data.*", ".rodata.*" or ".bss.*" section, each
// become their own map. clang puts string literals in ".rodata.str1.1".
bool is_data_section_name(std::string_view name) {
  return has_prefix(name, ".data") || has_prefix(name, ".rodata") ||
         has_prefix(name, ".bss");
}

Result<void> collect_global_data(const ElfFile &elf, const Btf *btf,
                                 MapTable &table) {
  for (const ElfSection &s : elf.sections()) {
    if (!is_data_section_name(s.name) || s.size == 0)
      continue; // libbpf skips empty data sections too
    if (s.type != kSectionProgbits && s.type != kSectionNobits)
      continue;
    if (s.size > UINT32_MAX)
      return make_error(ErrorCode::OutOfRange,
                        "global data of " + hex(s.size) +
                            " bytes does not fit a map value (at most 4 GiB)",
                        s.label());
    MapSpec spec;
    spec.name = std::string(s.name);
    spec.section = spec.name;
    spec.origin = MapOrigin::GlobalData;
    spec.type = kMapTypeArray;
    spec.key_size = 4;
    spec.value_size = static_cast<uint32_t>(s.size);
    spec.max_entries = 1;
    if (has_prefix(s.name, ".rodata"))
      spec.flags = kMapFlagRdonlyProg;
    // .bss keeps `data` empty: its value is all zeros, and its size is not
    // bounded by the file's, so it is not allocated here.
    if (s.type == kSectionProgbits)
      spec.data.assign(s.data.begin(), s.data.end());
    if (btf != nullptr)
      spec.btf_value_type = btf->find(BtfKind::Datasec, s.name).value_or(0);
    table.add(std::move(spec), s.index, 0, s.size);
  }
  return {};
}

} // namespace bpfhost::object::detail
