#include "object/elf_reader.hpp"

#include "object/byte_reader.hpp"

namespace bpfhost::object {
namespace {

using detail::hex;
using detail::read_le;
using detail::string_at;
using detail::sub_span;

constexpr size_t kHeaderSize = 64;          // sizeof(Elf64_Ehdr)
constexpr size_t kSectionHeaderSize = 64;   // sizeof(Elf64_Shdr)
constexpr size_t kSymbolSize = 24;          // sizeof(Elf64_Sym)
constexpr size_t kRelSize = 16;             // sizeof(Elf64_Rel)
constexpr size_t kRelaSize = 24;            // sizeof(Elf64_Rela)
constexpr uint16_t kTypeRelocatable = 1;    // ET_REL
constexpr uint16_t kSectionXindex = 0xffff; // SHN_XINDEX

Error invalid(std::string message, std::string location = {}) {
  return make_error(ErrorCode::InvalidInput, std::move(message),
                    std::move(location));
}

Result<void> check_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize)
    return invalid("file is " + std::to_string(bytes.size()) +
                   " bytes, too short for an ELF header (64 bytes)");
  if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F')
    return invalid("not an ELF file (bad magic)");
  if (bytes[4] != 2)
    return invalid("not an ELF64 object (class " + std::to_string(bytes[4]) +
                   ")");
  if (bytes[5] != 1)
    return make_error(ErrorCode::NotSupported,
                      "big-endian BPF objects are not supported (data "
                      "encoding " +
                          std::to_string(bytes[5]) + ")");
  const auto type = read_le<uint16_t>(bytes, 16).value();
  if (type != kTypeRelocatable)
    return invalid("not a relocatable object (ELF type " +
                   std::to_string(type) + ", expected 1 ET_REL)");
  const auto machine = read_le<uint16_t>(bytes, 18).value();
  // LLVM before 3.8 wrote EM_NONE into BPF objects (the corpus's
  // ovs/datapath.o and bpf_cilium_test/bpf_lxc_jit.o).
  if (machine != kMachineBpf && machine != kMachineNone)
    return invalid("not a BPF object (machine " + std::to_string(machine) +
                   ", expected 247 EM_BPF)");
  return {};
}

ElfSection read_section_header(std::span<const uint8_t> header,
                               uint32_t index) {
  ElfSection s;
  s.index = index;
  s.type = detail::field_le<uint32_t>(header, 4);
  s.flags = detail::field_le<uint64_t>(header, 8);
  s.size = detail::field_le<uint64_t>(header, 32);
  s.link = detail::field_le<uint32_t>(header, 40);
  s.info = detail::field_le<uint32_t>(header, 44);
  s.entsize = detail::field_le<uint64_t>(header, 56);
  return s;
}

} // namespace

std::string ElfSection::label() const {
  return name.empty() ? "section [" + std::to_string(index) + "]"
                      : "section " + std::string(name);
}

Result<ElfFile> ElfFile::parse(std::span<const uint8_t> bytes) {
  if (auto ok = check_header(bytes); !ok)
    return ok.error();
  const uint64_t shoff = read_le<uint64_t>(bytes, 40).value();
  const uint16_t shentsize = read_le<uint16_t>(bytes, 58).value();
  const uint16_t shnum = read_le<uint16_t>(bytes, 60).value();
  const uint16_t shstrndx = read_le<uint16_t>(bytes, 62).value();
  if (shnum == 0)
    return shoff == 0 ? invalid("object has no section headers")
                      : make_error(ErrorCode::NotSupported,
                                   "extended section numbering (more than "
                                   "65279 sections) is not supported");
  if (shentsize != kSectionHeaderSize)
    return invalid("section header size is " + std::to_string(shentsize) +
                   ", expected 64");
  const auto table = sub_span(bytes, shoff, uint64_t{shnum} * shentsize);
  if (!table)
    return invalid("section header table (" + std::to_string(shnum) +
                   " entries at " + hex(shoff) +
                   ") extends past the end of the file (" + hex(bytes.size()) +
                   " bytes)");
  if (shstrndx == kSectionXindex || shstrndx >= shnum)
    return invalid("section name table index " + std::to_string(shstrndx) +
                   " does not exist (" + std::to_string(shnum) + " sections)");

  ElfFile file;
  file.sections_.reserve(shnum);
  for (uint32_t i = 0; i < shnum; ++i) {
    const auto header =
        table->subspan(i * kSectionHeaderSize, kSectionHeaderSize);
    ElfSection s = read_section_header(header, i);
    if (s.type != kSectionNobits && s.type != 0) {
      const uint64_t offset = detail::field_le<uint64_t>(header, 24);
      const auto data = sub_span(bytes, offset, s.size);
      if (!data)
        return invalid("data (" + hex(s.size) + " bytes at " + hex(offset) +
                           ") extends past the end of the file (" +
                           hex(bytes.size()) + " bytes)",
                       "section [" + std::to_string(i) + "]");
      s.data = *data;
    }
    file.sections_.push_back(s);
  }
  const ElfSection &names = file.sections_[shstrndx];
  if (names.type != kSectionStrtab)
    return invalid("section name table [" + std::to_string(shstrndx) +
                   "] is not a string table (type " +
                   std::to_string(names.type) + ")");
  for (uint32_t i = 0; i < shnum; ++i) {
    const auto header =
        table->subspan(i * kSectionHeaderSize, kSectionHeaderSize);
    const uint32_t name_offset = detail::field_le<uint32_t>(header, 0);
    const auto name = string_at(names.data, name_offset);
    if (!name)
      return invalid("name offset " + hex(name_offset) +
                         " is outside the section name table",
                     "section [" + std::to_string(i) + "]");
    file.sections_[i].name = *name;
  }

  file.relocations_by_target_.resize(shnum);
  file.symbols_by_section_.resize(shnum);
  for (const ElfSection &s : file.sections_) {
    if (s.type == kSectionRel || s.type == kSectionRela) {
      if (s.info >= shnum)
        return invalid("relocates section [" + std::to_string(s.info) +
                           "], which does not exist",
                       s.label());
      file.relocations_by_target_[s.info].push_back(&s);
    }
    if (s.type != kSectionSymtab)
      continue;
    if (file.symtab_index_ != 0)
      return invalid("second symbol table", s.label());
    file.symtab_index_ = s.index;
  }
  if (file.symtab_index_ == 0)
    return file;
  const ElfSection &symtab = file.sections_[file.symtab_index_];
  if (symtab.entsize != kSymbolSize || symtab.size % kSymbolSize != 0)
    return invalid("symbol entry size is " + std::to_string(symtab.entsize) +
                       " and table size " + hex(symtab.size) +
                       ", expected entries of 24 bytes",
                   symtab.label());
  const ElfSection *strings = file.section(symtab.link);
  if (strings == nullptr || strings->type != kSectionStrtab)
    return invalid("linked string table [" + std::to_string(symtab.link) +
                       "] does not exist or is not a string table",
                   symtab.label());
  const size_t count = symtab.data.size() / kSymbolSize;
  file.symbols_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const auto entry = symtab.data.subspan(i * kSymbolSize, kSymbolSize);
    ElfSymbol sym;
    sym.index = i;
    const uint32_t name_offset = detail::field_le<uint32_t>(entry, 0);
    const uint8_t info = entry[4];
    sym.type = info & 0xf;
    sym.bind = info >> 4;
    sym.shndx = detail::field_le<uint16_t>(entry, 6);
    sym.value = detail::field_le<uint64_t>(entry, 8);
    sym.size = detail::field_le<uint64_t>(entry, 16);
    const std::string where = "symbol #" + std::to_string(i);
    const auto name = string_at(strings->data, name_offset);
    if (!name)
      return invalid(where + ": name offset " + hex(name_offset) +
                         " is outside the string table",
                     symtab.label());
    sym.name = *name;
    if (sym.shndx != kSectionUndef && sym.shndx < kSectionLoReserve &&
        sym.shndx >= shnum)
      return invalid(where + " (" + std::string(sym.name) +
                         "): section index " + std::to_string(sym.shndx) +
                         " does not exist",
                     symtab.label());
    file.symbols_.push_back(sym);
  }
  for (const ElfSymbol &sym : file.symbols_)
    if (sym.in_section())
      file.symbols_by_section_[sym.shndx].push_back(&sym);
  return file;
}

const std::vector<const ElfSymbol *> &
ElfFile::symbols_in(uint32_t index) const {
  static const std::vector<const ElfSymbol *> kNone;
  return index < symbols_by_section_.size() ? symbols_by_section_[index]
                                            : kNone;
}

const std::vector<const ElfSection *> &
ElfFile::relocations_of(uint32_t index) const {
  static const std::vector<const ElfSection *> kNone;
  return index < relocations_by_target_.size() ? relocations_by_target_[index]
                                               : kNone;
}

const ElfSection *ElfFile::section(uint32_t index) const {
  return index < sections_.size() ? &sections_[index] : nullptr;
}

const ElfSection *ElfFile::find_section(std::string_view name) const {
  for (const ElfSection &s : sections_)
    if (s.name == name)
      return &s;
  return nullptr;
}

Result<std::vector<ElfRelocation>>
ElfFile::relocations(const ElfSection &rel) const {
  const bool rela = rel.type == kSectionRela;
  const size_t entry_size = rela ? kRelaSize : kRelSize;
  if (rel.entsize != entry_size || rel.size % entry_size != 0)
    return invalid("relocation entry size is " + std::to_string(rel.entsize) +
                       " and section size " + hex(rel.size) +
                       ", expected entries of " + std::to_string(entry_size) +
                       " bytes",
                   rel.label());
  if (rel.link != symtab_index_ || symtab_index_ == 0)
    return invalid("linked symbol table [" + std::to_string(rel.link) +
                       "] is not the object's symbol table",
                   rel.label());
  std::vector<ElfRelocation> out;
  const size_t count = rel.data.size() / entry_size;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const auto entry = rel.data.subspan(i * entry_size, entry_size);
    ElfRelocation r;
    r.offset = detail::field_le<uint64_t>(entry, 0);
    const uint64_t info = detail::field_le<uint64_t>(entry, 8);
    r.symbol = static_cast<uint32_t>(info >> 32);
    r.type = static_cast<uint32_t>(info & 0xffffffff);
    r.addend =
        rela ? static_cast<int64_t>(detail::field_le<uint64_t>(entry, 16)) : 0;
    if (r.symbol >= symbols_.size())
      return invalid("relocation #" + std::to_string(i) + " at offset " +
                         hex(r.offset) + ": symbol index " +
                         std::to_string(r.symbol) + " does not exist (" +
                         std::to_string(symbols_.size()) + " symbols)",
                     rel.label());
    out.push_back(r);
  }
  return out;
}

std::string_view ElfFile::symbol_name(const ElfSymbol &symbol) const {
  if (symbol.name.empty() && symbol.type == kSymbolSection) {
    if (const ElfSection *s = section(symbol.shndx))
      return s->name;
  }
  return symbol.name;
}

} // namespace bpfhost::object
