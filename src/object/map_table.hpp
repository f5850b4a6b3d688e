// Internal: the maps of an object while it is being loaded, with where each
// definition lies in the ELF so that relocations can find it. Filled by the
// three collectors, in libbpf's order: legacy "maps" sections, BTF ".maps",
// then global data sections.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "object/btf.hpp"
#include "object/elf_reader.hpp"
#include "object/object_spec.hpp"
#include "support/result.hpp"

namespace bpfhost::object::detail {

struct MapPlacement {
  uint32_t section = 0;
  uint64_t offset = 0; // of the definition in the section (0 for data)
  uint64_t size = 0;   // of the definition (the section's size for data)
  size_t map = 0;      // index into MapTable::maps
};

struct MapTable {
  std::vector<MapSpec> maps;
  std::vector<MapPlacement> placements;

  // The map whose definition starts at `offset` of `section`.
  std::optional<size_t> definition_at(uint32_t section, uint64_t offset) const;
  // The global data map of a data section.
  std::optional<size_t> data_map(uint32_t section) const;
  // Whether the section holds map definitions (legacy or BTF).
  bool is_map_section(uint32_t section) const;
  // Adds a map defined at [offset, offset + size) of `section`.
  size_t add(MapSpec spec, uint32_t section, uint64_t offset, uint64_t size);
};

// Legacy struct bpf_map_def definitions in sections named "maps" or
// "maps/...", each section split evenly among the symbols it holds.
Result<void> collect_legacy_maps(const ElfFile &elf, MapTable &table);

// The program index of a function symbol, for program arrays' initial slots.
using ProgramLookup = std::function<std::optional<size_t>(const ElfSymbol &)>;

// BTF-defined maps: the variables of the ".maps" DATASEC, with their
// __array(values, ...) initial slots from the relocations of .maps.
Result<void> collect_btf_maps(const ElfFile &elf, const Btf *btf,
                              const ProgramLookup &programs, MapTable &table);

// One single-entry array map per non-empty .data, .rodata and .bss section
// (and their ".name" variants such as .rodata.str1.1).
Result<void> collect_global_data(const ElfFile &elf, const Btf *btf,
                                 MapTable &table);

// Whether a section name is one of the global data sections.
bool is_data_section_name(std::string_view name);

} // namespace bpfhost::object::detail
