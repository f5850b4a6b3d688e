// BTF-defined maps (libbpf's parse_btf_map_def): each variable of the
// ".maps" DATASEC is a struct whose members encode the attributes in their
// types, as libbpf's bpf_helpers.h macros write them:
//   __uint(name, val)   int (*name)[val]      the value is the array length
//   __type(name, val)   typeof(val) *name     the size is the pointee's
//   __array(name, val)  typeof(val) *name[]   inner map or program prototype
#include <algorithm>
#include <memory>
#include <string>

#include "object/byte_reader.hpp"
#include "object/map_table.hpp"

namespace bpfhost::object::detail {
namespace {

// Pointers in .maps: R_BPF_64_ABS64 since LLVM 14, R_BPF_64_64 before.
constexpr uint32_t kRelocNone = 0;  // R_BPF_NONE
constexpr uint32_t kReloc64 = 1;    // R_BPF_64_64
constexpr uint32_t kRelocAbs64 = 2; // R_BPF_64_ABS64

Error invalid(const std::string &map, std::string message) {
  return make_error(ErrorCode::InvalidInput,
                    "map " + map + ": " + std::move(message), "section .maps");
}

// __uint(name, val): a pointer to an array of `val` elements. __ulong (libbpf
// 1.2) instead uses an enum with one enumerator holding the value.
Result<uint64_t> integer_attribute(const Btf &btf, const std::string &map,
                                   const BtfMember &m) {
  const BtfType *t = btf.type(btf.skip_modifiers(m.type));
  if (t != nullptr &&
      (t->kind == BtfKind::Enum || t->kind == BtfKind::Enum64) &&
      t->members.size() == 1)
    return static_cast<uint64_t>(t->members[0].value);
  if (t == nullptr || t->kind != BtfKind::Ptr)
    return invalid(map, "attribute " + std::string(m.name) +
                            ": expected a pointer to an array (__uint)");
  const BtfType *array = btf.type(t->size_or_type);
  if (array == nullptr || array->kind != BtfKind::Array)
    return invalid(map, "attribute " + std::string(m.name) +
                            ": expected a pointer to an array (__uint)");
  return array->array_nelems;
}

struct TypedSize {
  uint32_t type = 0;
  uint32_t size = 0;
};

// __type(name, val): a pointer to the key or value type.
Result<TypedSize> type_attribute(const Btf &btf, const std::string &map,
                                 const BtfMember &m) {
  const BtfType *t = btf.type(btf.skip_modifiers(m.type));
  if (t == nullptr || t->kind != BtfKind::Ptr)
    return invalid(map, "attribute " + std::string(m.name) +
                            ": expected a pointer to a type (__type)");
  auto size = btf.resolve_size(t->size_or_type);
  if (!size)
    return size.error().within("map " + map + ": attribute " +
                               std::string(m.name));
  if (*size > UINT32_MAX)
    return invalid(map, "attribute " + std::string(m.name) + " is too large");
  return TypedSize{t->size_or_type, static_cast<uint32_t>(*size)};
}

Result<void> set_size(const std::string &map, const char *what, uint32_t &field,
                      uint64_t value) {
  if (value > UINT32_MAX)
    return invalid(map, std::string(what) + " " + std::to_string(value) +
                            " does not fit 32 bits");
  if (field != 0 && field != value)
    return invalid(map, std::string("conflicting ") + what + " " +
                            std::to_string(field) +
                            " != " + std::to_string(value));
  field = static_cast<uint32_t>(value);
  return {};
}

struct ParsedDef {
  MapSpec spec;
  uint32_t values_offset = 0; // byte offset of __array(values) in the struct
  bool has_values = false;
};

// Parses one definition struct; `inner` is set for the template of a
// map-in-map, which may not itself have __array(values).
Result<ParsedDef> parse_def(const Btf &btf, const std::string &name,
                            const BtfType &def, bool inner) {
  ParsedDef out;
  MapSpec &spec = out.spec;
  spec.name = name;
  spec.section = ".maps";
  spec.origin = inner ? MapOrigin::Inner : MapOrigin::Btf;
  for (size_t i = 0; i < def.members.size(); ++i) {
    const BtfMember &m = def.members[i];
    const std::string_view field = m.name;
    if (field == "key" || field == "value") {
      auto typed = type_attribute(btf, name, m);
      if (!typed)
        return typed.error();
      const bool key = field == "key";
      auto ok = set_size(name, key ? "key size" : "value size",
                         key ? spec.key_size : spec.value_size, typed->size);
      if (!ok)
        return ok.error();
      (key ? spec.btf_key_type : spec.btf_value_type) = typed->type;
      continue;
    }
    if (field == "values") {
      if (inner)
        return invalid(name, "an inner map cannot have __array(values)");
      if (i + 1 != def.members.size())
        return invalid(name, "__array(values) must be the last member");
      const BtfType *array = btf.type(btf.skip_modifiers(m.type));
      if (array == nullptr || array->kind != BtfKind::Array ||
          array->array_nelems != 0)
        return invalid(name, "values: expected a zero-length array");
      const BtfType *ptr = btf.type(btf.skip_modifiers(array->array_type));
      if (ptr == nullptr || ptr->kind != BtfKind::Ptr)
        return invalid(name, "values: expected an array of pointers");
      const BtfType *target = btf.type(btf.skip_modifiers(ptr->size_or_type));
      if (spec.type == kMapTypeArrayOfMaps || spec.type == kMapTypeHashOfMaps) {
        if (target == nullptr || target->kind != BtfKind::Struct)
          return invalid(name, "values: inner map definition is not a struct");
        auto parsed = parse_def(btf, name + ".inner", *target, true);
        if (!parsed)
          return parsed.error();
        spec.inner = std::make_shared<const MapSpec>(std::move(parsed->spec));
      } else if (spec.type == kMapTypeProgArray) {
        if (target == nullptr || target->kind != BtfKind::FuncProto)
          return invalid(name, "values: expected program prototypes");
      } else {
        return invalid(name, "__array(values) needs a map-in-map or program "
                             "array type (set before it), found type " +
                                 std::to_string(spec.type));
      }
      // The value of a map-in-map or program array is a 4-byte id or fd.
      if (auto ok = set_size(name, "value size", spec.value_size, 4); !ok)
        return ok.error();
      if (m.offset % 8 != 0)
        return invalid(name, "values: misaligned member");
      out.values_offset = m.offset / 8;
      out.has_values = true;
      continue;
    }
    auto value = integer_attribute(btf, name, m);
    if (!value)
      return value.error();
    auto u32 = [&](uint32_t &slot) -> Result<void> {
      if (*value > UINT32_MAX)
        return invalid(name, std::string(field) + " " + std::to_string(*value) +
                                 " does not fit 32 bits");
      slot = static_cast<uint32_t>(*value);
      return {};
    };
    Result<void> ok;
    if (field == "type")
      ok = u32(spec.type);
    else if (field == "max_entries")
      ok = u32(spec.max_entries);
    else if (field == "map_flags")
      ok = u32(spec.flags);
    else if (field == "numa_node")
      ok = u32(spec.numa_node);
    else if (field == "key_size")
      ok = set_size(name, "key size", spec.key_size, *value);
    else if (field == "value_size")
      ok = set_size(name, "value size", spec.value_size, *value);
    else if (field == "map_extra")
      spec.map_extra = *value;
    else if (field == "pinning")
      ok = u32(spec.pinning);
    else
      // libbpf 1.x refuses unknown attributes rather than ignore them.
      return make_error(ErrorCode::NotSupported,
                        "map " + name + ": unknown attribute " +
                            std::string(field),
                        "section .maps");
    if (!ok)
      return ok.error();
  }
  return out;
}

// The initial slots of __array(values, ...) = { [i] = &x }: relocations of
// .maps at the slot's position, against a map of .maps or a program.
Result<void> collect_slots(const ElfFile &elf, const ElfSection &maps_section,
                           const std::vector<ParsedDef> &defs,
                           const std::vector<size_t> &indexes,
                           const ProgramLookup &programs, MapTable &table) {
  for (const ElfSection *rel_section : elf.relocations_of(maps_section.index)) {
    const ElfSection &rel = *rel_section;
    auto relocs = elf.relocations(rel);
    if (!relocs)
      return relocs.error();
    for (size_t n = 0; n < relocs->size(); ++n) {
      const ElfRelocation &r = (*relocs)[n];
      const std::string where = rel.label() + ": relocation #" +
                                std::to_string(n) + " at offset " +
                                hex(r.offset);
      auto fail = [&](std::string message) {
        return make_error(ErrorCode::InvalidInput, std::move(message), where);
      };
      if (r.type != kRelocAbs64 && r.type != kReloc64 && r.type != kRelocNone)
        return fail("unknown relocation type " + std::to_string(r.type) +
                    " for .maps (expected 2 R_BPF_64_ABS64)");
      size_t d = 0;
      while (d < defs.size()) {
        const MapPlacement &p = table.placements[indexes[d]];
        if (r.offset >= p.offset && r.offset - p.offset < p.size)
          break;
        ++d;
      }
      if (d == defs.size())
        return fail("offset is not inside a map definition");
      const MapPlacement &p = table.placements[indexes[d]];
      MapSpec &spec = table.maps[p.map];
      const uint64_t within = r.offset - p.offset;
      if (!defs[d].has_values || within < defs[d].values_offset ||
          (within - defs[d].values_offset) % 8 != 0)
        return fail("map " + spec.name +
                    ": relocation is not at a slot of "
                    "__array(values)");
      const uint64_t key = (within - defs[d].values_offset) / 8;
      const ElfSymbol &sym = elf.symbols()[r.symbol];
      MapSlot slot{static_cast<uint32_t>(key), MapSlot::Kind::Map, 0};
      if (spec.type == kMapTypeProgArray) {
        const auto program = programs(sym);
        if (!program)
          return fail("map " + spec.name + ": slot " + std::to_string(key) +
                      " refers to " + std::string(elf.symbol_name(sym)) +
                      ", which is not a program");
        slot.kind = MapSlot::Kind::Program;
        slot.index = *program;
      } else {
        const auto target = sym.shndx == maps_section.index
                                ? table.definition_at(sym.shndx, sym.value)
                                : std::nullopt;
        if (!target)
          return fail("map " + spec.name + ": slot " + std::to_string(key) +
                      " refers to " + std::string(elf.symbol_name(sym)) +
                      ", which is not a map of .maps");
        slot.index = *target;
      }
      spec.slots.push_back(slot);
    }
  }
  return {};
}

} // namespace

Result<void> collect_btf_maps(const ElfFile &elf, const Btf *btf,
                              const ProgramLookup &programs, MapTable &table) {
  const ElfSection *section = elf.find_section(".maps");
  if (section == nullptr)
    return {};
  if (btf == nullptr)
    return make_error(ErrorCode::InvalidInput,
                      "BTF-defined maps need the .BTF section, which the "
                      "object lacks",
                      "section .maps");
  const auto datasec_id = btf->find(BtfKind::Datasec, ".maps");
  if (!datasec_id)
    return make_error(ErrorCode::InvalidInput,
                      "BTF has no DATASEC .maps describing the maps",
                      "section .maps");
  std::vector<ParsedDef> defs;
  std::vector<size_t> indexes; // placement index of each def
  for (const BtfMember &entry : btf->type(*datasec_id)->members) {
    const BtfType *var = btf->type(entry.type);
    if (var == nullptr || var->kind != BtfKind::Var)
      return make_error(ErrorCode::InvalidInput,
                        "DATASEC .maps entry [" + std::to_string(entry.type) +
                            "] is not a variable",
                        "section .maps");
    const std::string name(var->name);
    const BtfType *def = btf->type(btf->skip_modifiers(var->size_or_type));
    if (def == nullptr || def->kind != BtfKind::Struct)
      return invalid(name, "definition is not a struct");
    // The variable's place comes from its ELF symbol: clang leaves DATASEC
    // offsets to be fixed up (libbpf's btf_fixup_datasec does the same).
    const ElfSymbol *sym = nullptr;
    for (const ElfSymbol *s : elf.symbols_in(section->index))
      if (s->name == name && s->type != kSymbolSection)
        sym = s;
    if (sym == nullptr)
      return invalid(name, "no symbol of that name in .maps");
    // With initial values, __array(values) holds elements past the struct's
    // size, which the symbol's size includes.
    const uint64_t size = std::max<uint64_t>(def->size_or_type, sym->size);
    if (sym->value > section->size || size > section->size - sym->value)
      return invalid(name, "definition (" + std::to_string(size) +
                               " bytes at " + hex(sym->value) +
                               ") extends past the end of .maps");
    auto parsed = parse_def(*btf, name, *def, false);
    if (!parsed)
      return parsed.error();
    indexes.push_back(table.placements.size());
    table.add(parsed->spec, section->index, sym->value, size);
    defs.push_back(std::move(*parsed));
  }
  return collect_slots(elf, *section, defs, indexes, programs, table);
}

} // namespace bpfhost::object::detail
