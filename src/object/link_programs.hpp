// Internal: assembles each program from its function and the subprograms it
// calls, as libbpf's bpf_object__relocate: the callees are appended in the
// order calls reach them (depth first), calls and function addresses get
// their imm fixed up, lddw of maps get src BPF_PSEUDO_MAP_FD or
// BPF_PSEUDO_MAP_VALUE with imm = map index, and .BTF.ext line and function
// info follow the instructions to their new places.
#pragma once

#include <vector>

#include "object/btf.hpp"
#include "object/btf_ext.hpp"
#include "object/code_layout.hpp"
#include "object/object_spec.hpp"
#include "object/relocations.hpp"
#include "support/result.hpp"

namespace bpfhost::object::detail {

// The function index of each program, in program order.
std::vector<size_t> program_functions(const CodeLayout &code);

struct LinkInput {
  const CodeLayout &code;
  std::vector<FunctionRelocs> &relocs; // CO-RE needs mark functions here
  const Btf *btf = nullptr;            // null without .BTF
  const BtfExt *btf_ext = nullptr;     // null without .BTF.ext
};

Result<std::vector<ProgramSpec>> link_programs(LinkInput input);

} // namespace bpfhost::object::detail
