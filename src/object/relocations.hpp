// Internal: what each instruction relocation of the code means, per
// function, before functions are assembled into programs. As libbpf's
// bpf_program__record_reloc, a relocation is read by the instruction it
// applies to: on a BPF-to-BPF call it names the callee, on an lddw a map,
// global data or a function's address. Calls between functions of one
// section may carry no relocation (static callees); they are found too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "object/code_layout.hpp"
#include "object/elf_reader.hpp"
#include "object/map_table.hpp"
#include "support/result.hpp"

namespace bpfhost::object::detail {

struct CodeReloc {
  enum class Kind : uint8_t {
    Call,     // call of function `target`
    FuncAddr, // lddw of the address of function `target` (callbacks)
    MapFd,    // lddw of map `target`
    MapValue, // lddw of the address `offset` in the value of map `target`
    Helper,   // call of an undefined function that is the helper `target`
  };
  size_t insn = 0; // in the function
  Kind kind = Kind::Call;
  size_t target = 0;
  uint32_t offset = 0;
};

struct FunctionRelocs {
  std::vector<CodeReloc> relocs; // by instruction
  // Why the function cannot be loaded as is (such as a call to a function
  // the object does not define); the first such reason.
  std::optional<Error> error;
};

// The relocations of every function of `code` (indexed like
// code.functions). Malformed relocations fail the whole object; references
// the object cannot satisfy mark only the function.
Result<std::vector<FunctionRelocs>> resolve_relocations(const ElfFile &elf,
                                                        const CodeLayout &code,
                                                        const MapTable &maps);

} // namespace bpfhost::object::detail
