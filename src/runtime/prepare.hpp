// Load-time rewriting of a program's instructions for this host, as the
// kernel does after verification: map references become plain immediates,
// context field loads become loads of the host-side context.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "bpfhost/program_type.h"
#include "isa/raw_insn.hpp"
#include "object/object_spec.hpp"
#include "support/result.hpp"

namespace bpfhost::runtime {

// What an lddw of a map becomes: `handle(map)` for BPF_PSEUDO_MAP_FD, and
// `value_address(map)` + offset for BPF_PSEUDO_MAP_VALUE (error if the map
// has no direct value, i.e. is not an array with a single value).
struct MapResolver {
  std::function<uint64_t(size_t map)> handle;
  std::function<Result<uint64_t>(size_t map)> value_address;
};

Result<void> resolve_map_refs(std::vector<isa::RawInsn> &insns,
                              const object::ProgramSpec &spec,
                              const MapResolver &resolver);

// Rewrites every load through the context pointer in the entry function:
// a forward must-analysis tracks which registers hold r1's initial value
// (moves copy it; anything else, and calls for r0-r5, end it). A load of a
// field of `type` at (offset, size) becomes a load of host_size bytes at
// `guard` + host_offset. Returns, per slot, whether it was rewritten.
// Errors: unknown field, wrong size, store to a read-only field.
// TODO(#3): the verifier's pointer types will replace this analysis (and
// cover context pointers passed to subprograms or spilled to the stack).
Result<std::vector<bool>> rewrite_ctx_access(std::vector<isa::RawInsn> &insns,
                                             size_t entry_len,
                                             const bpfhost_program_type &type,
                                             uint32_t guard);

} // namespace bpfhost::runtime
