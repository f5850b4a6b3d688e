// Legacy map definitions: struct bpf_map_def in the "maps" section (libbpf
// before 1.0, samples/bpf's bpf_load.c, iproute2), or one definition per
// "maps/NAME" section (ebpf-for-windows and PREVAIL's samples). libbpf 1.x
// no longer reads them; old objects still carry them.
#include <algorithm>
#include <memory>
#include <string>

#include "object/byte_reader.hpp"
#include "object/map_table.hpp"

namespace bpfhost::object::detail {
namespace {

// The fields of samples/bpf's struct bpf_load_map_def, a superset of
// libbpf's struct bpf_map_def, in order; a definition holds as many of them
// as its size allows. (iproute2's struct bpf_elf_map shares the first five;
// its later fields, id and pinning, are not read.)
enum LegacyField : size_t {
  kType,
  kKeySize,
  kValueSize,
  kMaxEntries,
  kMapFlags,
  kInnerMapIdx,
  kNumaNode,
  kFieldCount,
};

bool is_legacy_map_section(const ElfSection &s) {
  return s.type == kSectionProgbits &&
         (s.name == "maps" || s.name.substr(0, 5) == "maps/");
}

Error invalid(std::string message, const ElfSection &s) {
  return make_error(ErrorCode::InvalidInput, std::move(message), s.label());
}

} // namespace

Result<void> collect_legacy_maps(const ElfFile &elf, MapTable &table) {
  const size_t first_legacy = table.maps.size();
  std::vector<uint32_t> inner_index; // kInnerMapIdx of each legacy map
  for (const ElfSection &s : elf.sections()) {
    if (!is_legacy_map_section(s))
      continue;
    std::vector<const ElfSymbol *> symbols;
    for (const ElfSymbol *sym : elf.symbols_in(s.index))
      if (sym->type != kSymbolSection && sym->type != kSymbolFile)
        symbols.push_back(sym);
    if (symbols.empty()) {
      if (s.size == 0)
        continue;
      return invalid("holds " + hex(s.size) +
                         " bytes of map definitions but no symbols to name "
                         "them",
                     s);
    }
    if (s.size % symbols.size() != 0 || s.size == 0)
      return invalid("size " + hex(s.size) + " is not a multiple of its " +
                         std::to_string(symbols.size()) + " map symbols",
                     s);
    const uint64_t def_size = s.size / symbols.size();
    std::sort(symbols.begin(), symbols.end(),
              [](const ElfSymbol *a, const ElfSymbol *b) {
                return a->value < b->value;
              });
    for (size_t i = 0; i < symbols.size(); ++i) {
      const ElfSymbol &sym = *symbols[i];
      if (sym.value != i * def_size)
        return invalid("map symbol " + std::string(sym.name) + " at offset " +
                           hex(sym.value) +
                           " is not at a definition boundary "
                           "(definitions are " +
                           std::to_string(def_size) + " bytes)",
                       s);
      const auto def = s.data.subspan(sym.value, def_size);
      uint32_t fields[kFieldCount] = {};
      for (size_t f = 0; f < kFieldCount && (f + 1) * 4 <= def_size; ++f)
        fields[f] = field_le<uint32_t>(def, f * 4);
      MapSpec spec;
      spec.name = std::string(sym.name);
      spec.section = std::string(s.name);
      spec.origin = MapOrigin::Legacy;
      spec.type = fields[kType];
      spec.key_size = fields[kKeySize];
      spec.value_size = fields[kValueSize];
      spec.max_entries = fields[kMaxEntries];
      spec.flags = fields[kMapFlags];
      spec.numa_node = fields[kNumaNode];
      inner_index.push_back(fields[kInnerMapIdx]);
      table.add(std::move(spec), s.index, sym.value, def_size);
    }
  }

  // inner_map_idx names another legacy map, by its position among them, as
  // the template of a map-in-map's inner maps.
  const size_t count = table.maps.size() - first_legacy;
  for (size_t i = 0; i < count; ++i) {
    MapSpec &outer = table.maps[first_legacy + i];
    if (outer.type != kMapTypeArrayOfMaps && outer.type != kMapTypeHashOfMaps)
      continue;
    const uint32_t inner = inner_index[i];
    if (inner >= count || inner == i)
      return make_error(ErrorCode::InvalidInput,
                        "map " + outer.name + ": inner map index " +
                            std::to_string(inner) +
                            " does not name another "
                            "legacy map (" +
                            std::to_string(count) + " maps)",
                        "section " + outer.section);
    outer.inner =
        std::make_shared<const MapSpec>(table.maps[first_legacy + inner]);
    // The value of a map-in-map is an fd or id; samples/bpf's definitions
    // leave value_size 0 and bpf_create_map_in_map() supplies 4.
    if (outer.value_size == 0)
      outer.value_size = 4;
  }
  return {};
}

} // namespace bpfhost::object::detail
