// Internal: the code of an object cut into functions, and which of them are
// programs. Rules (libbpf's bpf_object__add_programs, plus the old-object
// cases the corpus holds):
//  - every non-empty SHF_EXECINSTR section holds code;
//  - each STT_FUNC symbol of a code section is one function; a code section
//    without function symbols (objects from before BTF) is one function
//    named after the section;
//  - the functions of sections other than .text are programs; those of .text
//    are subprograms, unless .text is the only code section, in which case
//    they are the programs (old objects built without SEC()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "isa/raw_insn.hpp"
#include "object/elf_reader.hpp"
#include "support/result.hpp"

namespace bpfhost::object::detail {

struct Function {
  uint32_t section = 0;  // ELF section index
  std::string_view name; // symbol name, or the section name
  size_t first = 0;      // instruction index in the section
  size_t count = 0;      // instructions
  bool is_program = false;
};

struct CodeSection {
  const ElfSection *elf = nullptr;
  std::vector<isa::RawInsn> insns;
  // Slots that are the second half of an lddw: not instructions themselves.
  std::vector<bool> second_slot;
  std::vector<size_t>
      functions; // indexes into CodeLayout::functions, by offset
};

struct CodeLayout {
  std::vector<CodeSection> sections;
  std::vector<Function> functions; // by section, then offset
  std::vector<size_t> position;    // ELF index -> sections index, or SIZE_MAX

  const CodeSection *section(uint32_t elf_index) const;
  // The function holding instruction `insn` of section `elf_index`.
  std::optional<size_t> function_at(uint32_t elf_index, size_t insn) const;
  // The function that starts at instruction `insn` of section `elf_index`.
  std::optional<size_t> function_starting_at(uint32_t elf_index,
                                             size_t insn) const;
};

Result<CodeLayout> find_code(const ElfFile &elf);

} // namespace bpfhost::object::detail
