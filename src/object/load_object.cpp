#include "object/load_object.hpp"

#include <optional>
#include <string>

#include "object/btf.hpp"
#include "object/btf_ext.hpp"
#include "object/byte_reader.hpp"
#include "object/code_layout.hpp"
#include "object/elf_reader.hpp"
#include "object/link_programs.hpp"
#include "object/map_table.hpp"
#include "object/relocations.hpp"

namespace bpfhost::object {
namespace {

// The "license" section: a NUL-terminated string (libbpf
// bpf_object__init_license).
Result<std::string> read_license(const ElfSection &s) {
  const auto text = detail::string_at(s.data, 0);
  if (!text)
    return make_error(ErrorCode::InvalidInput,
                      "license is not a NUL-terminated string", s.label());
  return std::string(*text);
}

// The "version" section of old objects: the kernel version (u32) kprobes
// needed before Linux 5.0.
Result<uint32_t> read_version(const ElfSection &s) {
  if (s.size != 4)
    return make_error(ErrorCode::InvalidInput,
                      "size is " + std::to_string(s.size) + ", expected 4",
                      s.label());
  return detail::field_le<uint32_t>(s.data, 0);
}

Result<ObjectSpec> load(std::span<const uint8_t> bytes, std::string_view name) {
  BPFHOST_TRY(elf, ElfFile::parse(bytes));
  ObjectSpec object;
  object.name = std::string(name);
  if (const ElfSection *s = elf.find_section("license")) {
    BPFHOST_TRY(license, read_license(*s));
    object.license = std::move(license);
  }
  if (const ElfSection *s = elf.find_section("version")) {
    BPFHOST_TRY(version, read_version(*s));
    object.kern_version = version;
  }

  std::optional<Btf> btf;
  std::optional<BtfExt> btf_ext;
  if (const ElfSection *s = elf.find_section(".BTF")) {
    auto parsed = Btf::parse(s->data);
    if (!parsed)
      return parsed.error().within(s->label());
    btf = std::move(*parsed);
    object.btf.assign(s->data.begin(), s->data.end());
  }
  if (const ElfSection *s = elf.find_section(".BTF.ext")) {
    if (!btf)
      return make_error(ErrorCode::InvalidInput,
                        "BTF.ext without a .BTF section", s->label());
    auto parsed = BtfExt::parse(s->data, *btf);
    if (!parsed)
      return parsed.error().within(s->label());
    btf_ext = std::move(*parsed);
    object.btf_ext.assign(s->data.begin(), s->data.end());
  }
  const Btf *btf_ptr = btf ? &*btf : nullptr;

  BPFHOST_TRY(code, detail::find_code(elf));
  const std::vector<size_t> program_functions = detail::program_functions(code);
  const detail::ProgramLookup program_of =
      [&](const ElfSymbol &sym) -> std::optional<size_t> {
    const auto f = sym.in_section() && sym.value % 8 == 0
                       ? code.function_starting_at(sym.shndx, sym.value / 8)
                       : std::nullopt;
    for (size_t p = 0; f && p < program_functions.size(); ++p)
      if (program_functions[p] == *f)
        return p;
    return std::nullopt;
  };

  detail::MapTable maps;
  if (auto ok = detail::collect_legacy_maps(elf, maps); !ok)
    return ok.error();
  if (auto ok = detail::collect_btf_maps(elf, btf_ptr, program_of, maps); !ok)
    return ok.error();
  if (auto ok = detail::collect_global_data(elf, btf_ptr, maps); !ok)
    return ok.error();

  BPFHOST_TRY(relocs, detail::resolve_relocations(elf, code, maps));
  BPFHOST_TRY(programs, detail::link_programs({code, relocs, btf_ptr,
                                               btf_ext ? &*btf_ext : nullptr}));
  object.programs = std::move(programs);
  object.maps = std::move(maps.maps);
  return object;
}

} // namespace

Result<ObjectSpec> load_object(std::span<const uint8_t> bytes,
                               std::string_view name) {
  auto object = load(bytes, name);
  if (!object)
    return object.error().within(std::string(name));
  for (ProgramSpec &p : object->programs)
    if (p.error)
      p.error = p.error->within(std::string(name));
  return object;
}

} // namespace bpfhost::object
