// What the verifier needs to know about a program type, as plain data: the
// context layout, helper prototypes, maps and the allowed return range. The
// extension registry supplies these; the verifier never names a hook. Kept
// C-like (fixed-size fields, pointer + count) so that the extension ABI can
// hand the same descriptors over unchanged.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bpfhost::verifier {

// How a context field may be used. Fields not listed read as numbers when
// the field table is empty, and are refused otherwise.
enum class ContextFieldKind : uint8_t {
  Scalar,      // plain data
  PacketStart, // pointer to the first byte of the packet (xdp_md.data)
  PacketEnd,   // pointer one past the last byte (xdp_md.data_end)
  PacketMeta,  // pointer to the metadata before the packet (data_meta)
};

inline constexpr uint8_t kFieldRead = 1;
inline constexpr uint8_t kFieldWrite = 2;

struct ContextField {
  int32_t offset = 0; // byte offset in the context
  uint8_t size = 0;   // bytes: 1, 2, 4 or 8
  ContextFieldKind kind = ContextFieldKind::Scalar;
  uint8_t access = kFieldRead; // kFieldRead | kFieldWrite
};

struct ContextDescriptor {
  int32_t size = 0;                     // bytes of the context structure
  int32_t data_offset = -1;             // PacketStart field offset, -1: none
  int32_t data_end_offset = -1;         // PacketEnd field offset, -1: none
  int32_t meta_offset = -1;             // PacketMeta field offset, -1: none
  const ContextField *fields = nullptr; // optional field table
  size_t field_count = 0;
};

// What a helper argument must be (the kernel's enum bpf_arg_type, reduced
// to what the safety checks distinguish).
enum class ArgKind : uint8_t {
  DontCare,           // unused argument
  Anything,           // any number (pointers refused: they would leak)
  ConstSize,          // the size of the preceding memory argument, > 0
  ConstSizeOrZero,    // the same, 0 allowed
  PtrToCtx,           // the context, at offset 0
  PtrToMap,           // a map (lddw map_fd)
  PtrToMapOfPrograms, // a program array map (tail calls)
  PtrToMapKey,        // readable memory of the map's key size
  PtrToMapValue,      // readable memory of the map's value size
  PtrToMem,           // readable memory; the next argument is its size
  PtrToMemOrNull,     // the same, or a null pointer
  PtrToUninitMem,     // writable memory; the next argument is its size
  PtrToStack,         // a pointer into the stack
};

enum class ReturnKind : uint8_t {
  Integer,             // a number
  Void,                // nothing useful (r0 is a number)
  PtrToMapValueOrNull, // a value of the map in the first PtrToMap argument
  PtrToMemOrNull,      // memory of `return_size` bytes (ring buffer record)
  NoReturn,            // does not return on success (tail call)
};

// Facts about a helper, one bit each (STYLE.md §3: properties are fields).
inline constexpr uint32_t kHelperReallocatesPacket =
    1;                                         // invalidates packet pointers
inline constexpr uint32_t kHelperTailCall = 2; // refused in subprograms
inline constexpr uint32_t kHelperReturnSizeFromArg =
    4; // return_size names an argument

struct HelperPrototype {
  int32_t id = 0;
  const char *name = "";
  ReturnKind return_kind = ReturnKind::Integer;
  ArgKind args[5] = {};
  uint32_t flags = 0;
  // Bytes of memory returned by PtrToMemOrNull; with
  // kHelperReturnSizeFromArg, the 1-based argument holding it.
  int32_t return_size = 0;
};

// The contents a map's values hold when they are not plain data.
enum class MapValueKind : uint8_t { Plain, ProgramFds, MapFds };

struct MapDescriptor {
  int32_t fd = 0; // the number an lddw map_fd or map_val refers to
  uint32_t type = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  MapValueKind value_kind = MapValueKind::Plain;
};

struct PlatformSpec {
  ContextDescriptor context;
  const HelperPrototype *helpers = nullptr;
  size_t helper_count = 0;
  const MapDescriptor *maps = nullptr;
  size_t map_count = 0;
  // Range r0 must be in at exit (inclusive); only checked when set.
  bool check_return_range = false;
  int64_t return_min = 0;
  int64_t return_max = 0;
  // Privileged program types may pass pointers where numbers are expected.
  bool privileged = false;

  const HelperPrototype *helper(int32_t id) const {
    for (size_t i = 0; i < helper_count; ++i)
      if (helpers[i].id == id)
        return &helpers[i];
    return nullptr;
  }
  const MapDescriptor *map(int32_t fd) const {
    for (size_t i = 0; i < map_count; ++i)
      if (maps[i].fd == fd)
        return &maps[i];
    return nullptr;
  }
};

// How to analyse. Every field states its default.
struct VerifyOptions {
  // Prove termination: count iterations at each loop head and require the
  // count to stay below max_loop_count (default off, as PREVAIL).
  bool termination = false;
  uint64_t max_loop_count = 100000;
  // A division by a possibly-zero register is allowed (BPF defines x/0 = 0);
  // when false it is a safety violation. Default true.
  bool allow_division_by_zero = true;
  // The host byte order the program runs on (affects le/be and composing
  // stack bytes). Default little-endian.
  bool big_endian = false;
  // During the fixpoint, restrict each state to where the instruction's
  // safety conditions hold (so one bug gives one message and later code is
  // analysed as if it were fixed). Conditions are checked either way.
  // Default true; PREVAIL's YAML cases run without it unless they ask.
  bool assume_assertions = true;
  // Report conditional branches that can never be taken (default true: they
  // usually mean a bug in the program or an imprecision worth knowing).
  bool report_dead_branches = true;
  // Maximum BPF-to-BPF call depth (frames including the entry; Linux: 8).
  unsigned max_call_depth = 8;
};

} // namespace bpfhost::verifier
