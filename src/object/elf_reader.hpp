// Reads the parts of an ELF64 little-endian relocatable object that a BPF
// loader needs: section headers and names, the symbol table, and SHT_REL /
// SHT_RELA entries (ELF gABI, "Sections", "Symbol Table", "Relocation").
// Every offset, size and index is checked against the bytes; names and data
// are views into the caller's bytes, which must outlive the ElfFile.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/result.hpp"

namespace bpfhost::object {

// ELF constants we act on, with the gABI's names in the comments.
inline constexpr uint16_t kMachineNone = 0;           // EM_NONE
inline constexpr uint16_t kMachineBpf = 247;          // EM_BPF
inline constexpr uint32_t kSectionProgbits = 1;       // SHT_PROGBITS
inline constexpr uint32_t kSectionSymtab = 2;         // SHT_SYMTAB
inline constexpr uint32_t kSectionStrtab = 3;         // SHT_STRTAB
inline constexpr uint32_t kSectionRela = 4;           // SHT_RELA
inline constexpr uint32_t kSectionNobits = 8;         // SHT_NOBITS
inline constexpr uint32_t kSectionRel = 9;            // SHT_REL
inline constexpr uint64_t kFlagExecinstr = 0x4;       // SHF_EXECINSTR
inline constexpr uint8_t kSymbolObject = 1;           // STT_OBJECT
inline constexpr uint8_t kSymbolFunc = 2;             // STT_FUNC
inline constexpr uint8_t kSymbolSection = 3;          // STT_SECTION
inline constexpr uint8_t kSymbolFile = 4;             // STT_FILE
inline constexpr uint8_t kBindLocal = 0;              // STB_LOCAL
inline constexpr uint16_t kSectionUndef = 0;          // SHN_UNDEF
inline constexpr uint16_t kSectionLoReserve = 0xff00; // SHN_LORESERVE

struct ElfSection {
  uint32_t index = 0;
  std::string_view name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t size = 0; // bytes; for SHT_NOBITS the size it occupies in memory
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t entsize = 0;
  std::span<const uint8_t> data; // empty for SHT_NOBITS

  bool is_code() const {
    return type == kSectionProgbits && (flags & kFlagExecinstr) != 0;
  }
  // "section xdp" (or "section [3]" when the name is empty), for locations.
  std::string label() const;
};

struct ElfSymbol {
  uint32_t index = 0;
  std::string_view name;
  uint64_t value = 0; // for symbols of a relocatable object: section offset
  uint64_t size = 0;
  uint8_t type = 0; // STT_*
  uint8_t bind = 0; // STB_*
  uint16_t shndx = 0;

  // Defined in a real section (not undefined, absolute or common).
  bool in_section() const {
    return shndx != kSectionUndef && shndx < kSectionLoReserve;
  }
};

// One SHT_REL or SHT_RELA entry. For SHT_REL the addend is implicit (held in
// the relocated field), and `addend` is 0.
struct ElfRelocation {
  uint64_t offset = 0;
  uint32_t symbol = 0; // index into ElfFile::symbols(), checked
  uint32_t type = 0;   // R_BPF_*
  int64_t addend = 0;
};

class ElfFile {
public:
  // Checks the header (ELF64, little-endian, ET_REL, EM_BPF), every section
  // header (data inside the file, name inside the name table) and the symbol
  // table (entry size, names, section indexes).
  static Result<ElfFile> parse(std::span<const uint8_t> bytes);

  const std::vector<ElfSection> &sections() const { return sections_; }
  // The symbol table; entry 0 is the null symbol. Empty without .symtab.
  const std::vector<ElfSymbol> &symbols() const { return symbols_; }

  // The section with this index, or nullptr.
  const ElfSection *section(uint32_t index) const;
  // The first section with this name, or nullptr.
  const ElfSection *find_section(std::string_view name) const;

  // The symbols defined in section `index`, in symbol table order.
  const std::vector<const ElfSymbol *> &symbols_in(uint32_t index) const;
  // The SHT_REL and SHT_RELA sections that relocate section `index`.
  const std::vector<const ElfSection *> &relocations_of(uint32_t index) const;

  // The entries of an SHT_REL or SHT_RELA section, with symbol indexes
  // checked; errors are located at the relocation section.
  Result<std::vector<ElfRelocation>> relocations(const ElfSection &rel) const;

  // The symbol's name, or for a nameless section symbol its section's name
  // (as libbpf names relocations against static functions and data).
  std::string_view symbol_name(const ElfSymbol &symbol) const;

private:
  std::vector<ElfSection> sections_;
  std::vector<ElfSymbol> symbols_;
  uint32_t symtab_index_ = 0;
  // Indexes built by parse(), so that no lookup is quadratic in the input.
  std::vector<std::vector<const ElfSymbol *>> symbols_by_section_;
  std::vector<std::vector<const ElfSection *>> relocations_by_target_;
};

} // namespace bpfhost::object
