// The inert, host-independent model of a BPF ELF object: what its programs
// and maps are, before anything is created (ebpf-go's CollectionSpec,
// ProgramSpec and MapSpec; libbpf's state after bpf_object__open). Ids, file
// descriptors and addresses are assigned later by src/runtime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "isa/raw_insn.hpp"
#include "support/result.hpp"

namespace bpfhost::object {

// Linux map type ids (uapi enum bpf_map_type) that the loader itself acts
// on; every other type is carried as a number for src/maps to interpret.
inline constexpr uint32_t kMapTypeArray = 2;     // BPF_MAP_TYPE_ARRAY
inline constexpr uint32_t kMapTypeProgArray = 3; // BPF_MAP_TYPE_PROG_ARRAY
inline constexpr uint32_t kMapTypeArrayOfMaps =
    12;                                            // BPF_MAP_TYPE_ARRAY_OF_MAPS
inline constexpr uint32_t kMapTypeHashOfMaps = 13; // BPF_MAP_TYPE_HASH_OF_MAPS
// Map flag of read-only global data (.rodata): programs may not write it.
inline constexpr uint32_t kMapFlagRdonlyProg = 1u << 7; // BPF_F_RDONLY_PROG

// lddw src_reg values the loader leaves for the runtime (RFC 9669 §5.4).
inline constexpr uint8_t kPseudoMapFd = 1;    // BPF_PSEUDO_MAP_FD
inline constexpr uint8_t kPseudoMapValue = 2; // BPF_PSEUDO_MAP_VALUE
inline constexpr uint8_t kPseudoFunc = 4;     // BPF_PSEUDO_FUNC

// Where a map definition came from.
enum class MapOrigin : uint8_t {
  Btf,        // a variable of the BTF-defined ".maps" section
  Legacy,     // a struct bpf_map_def in a "maps" or "maps/..." section
  GlobalData, // .data, .rodata, .bss or one of their ".name" variants
  Inner,      // the template of a map-in-map's inner maps (__array(values))
};

// __uint(pinning, ...) values of libbpf (LIBBPF_PIN_*). Others are kept as
// written (cilium's loader defines its own) for the runtime to refuse.
inline constexpr uint32_t kPinNone = 0;   // LIBBPF_PIN_NONE
inline constexpr uint32_t kPinByName = 1; // LIBBPF_PIN_BY_NAME

// An initial entry of a map-in-map or program array, from __array(values,
// ...) = { [key] = &x } in .maps: the value is a map or a program.
struct MapSlot {
  enum class Kind : uint8_t { Map, Program };
  uint32_t key = 0;
  Kind kind = Kind::Map;
  size_t index = 0; // into ObjectSpec::maps or ObjectSpec::programs
  bool operator==(const MapSlot &) const = default;
};

struct MapSpec {
  std::string name;    // variable or symbol name; section name for data
  std::string section; // the ELF section that defines it
  MapOrigin origin = MapOrigin::Btf;
  uint32_t type = 0; // Linux enum bpf_map_type
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t flags = 0; // BPF_F_*
  uint32_t pinning = kPinNone;
  uint32_t numa_node = 0;
  uint64_t map_extra = 0;
  uint32_t btf_key_type = 0;   // 0 when the definition gives only a size
  uint32_t btf_value_type = 0; // for global data: the section's DATASEC
  // For map-in-map types: the definition every inner map must match.
  std::shared_ptr<const MapSpec> inner;
  std::vector<MapSlot> slots; // initial entries (map-in-map, program array)
  // Initial value of global data (the section's bytes; zeros for .bss).
  std::vector<uint8_t> data;
};

// What an lddw refers to after relocation.
enum class MapRefKind : uint8_t {
  Fd,    // the map itself (src BPF_PSEUDO_MAP_FD, imm = map index)
  Value, // an address in the map's value (src BPF_PSEUDO_MAP_VALUE, imm =
         // map index, second slot imm = offset): global data
};

struct MapReference {
  size_t insn = 0; // index of the lddw in ProgramSpec::insns
  size_t map = 0;  // index into ObjectSpec::maps
  MapRefKind kind = MapRefKind::Fd;
  uint32_t offset = 0; // byte offset into the value (Value only)
  bool operator==(const MapReference &) const = default;
};

// A source line from .BTF.ext, attached to the instruction it starts at.
struct LineInfo {
  size_t insn = 0; // index into ProgramSpec::insns
  std::string file;
  std::string text; // the source line as written
  uint32_t line = 0;
  uint32_t column = 0;
};

// A function of the program (itself first, then appended subprograms).
struct FunctionRange {
  std::string name;
  size_t first_insn = 0;
  size_t insn_count = 0;
  uint32_t btf_type = 0; // its BTF_KIND_FUNC from .BTF.ext func info, or 0
};

// A CO-RE relocation recorded from .BTF.ext (struct bpf_core_relo); applying
// it needs the target kernel's BTF.
struct CoreRelocation {
  size_t insn = 0;
  uint32_t btf_type = 0; // local BTF type id
  std::string access;    // access string, such as "0:1:2"
  uint32_t kind = 0;     // enum bpf_core_relo_kind
};

struct ProgramSpec {
  std::string name;    // function name; the section name in old objects
  std::string section; // ELF section (libbpf's SEC("..."))
  // The program followed by every subprogram it calls, with calls, map
  // references and function addresses relocated (as libbpf's
  // bpf_object__relocate does).
  std::vector<isa::RawInsn> insns;
  std::vector<FunctionRange> functions;
  std::vector<MapReference> map_refs;
  std::vector<LineInfo> line_info;
  std::vector<CoreRelocation> core_relocations;
  // Set when the program cannot be loaded as it is (a call to a function
  // the object does not define, CO-RE relocations, ...); the other programs
  // of the object are unaffected, as with libbpf's open/load split.
  std::optional<Error> error;
};

struct ObjectSpec {
  std::string name;
  std::string license;       // the "license" section, "" without one
  uint32_t kern_version = 0; // the "version" section of old objects, or 0
  std::vector<ProgramSpec> programs;
  std::vector<MapSpec> maps;
  std::vector<uint8_t> btf;     // .BTF as in the object (empty without)
  std::vector<uint8_t> btf_ext; // .BTF.ext as in the object
};

} // namespace bpfhost::object
