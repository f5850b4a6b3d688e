// The object loader: ELF bytes in, an inert ObjectSpec out (DESIGN.md §1,
// "description, then live object"). Portable: only the C++ standard library,
// reading the bytes the caller gives it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "object/object_spec.hpp"
#include "support/result.hpp"

namespace bpfhost::object {

// Parses a clang-built BPF object (ELF64 little-endian, EM_BPF): programs by
// section and function with their subprograms linked in, maps (BTF .maps,
// legacy "maps", global data), license, BTF and BTF.ext line info.
//
// `name` (usually the file name) starts the location of every error. A
// malformed object (truncated, bad indexes or offsets, unknown relocation
// types, relocations out of range or against missing maps) is an Error with
// code InvalidInput located at the section and offset ("prog.o: section xdp:
// relocation #3 at offset 0x48: ..."). A program that cannot be loaded as it
// is (it calls a function the object does not define, or needs CO-RE
// relocations) leaves the object loadable and carries its own error.
//
// Calls to undefined functions named like Linux helpers
// ("bpf_map_lookup_elem") become calls of that helper, as PREVAIL resolves
// them.
Result<ObjectSpec> load_object(std::span<const uint8_t> bytes,
                               std::string_view name);

} // namespace bpfhost::object
