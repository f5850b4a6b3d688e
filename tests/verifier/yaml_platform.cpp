#include "yaml_platform.hpp"

namespace bpfhost::verifier::test {

namespace {

using A = ArgKind;

// Prototypes from the bpf-helpers manual and libbpf's bpf_helper_defs.h.
const HelperPrototype kHelpers[] = {
    {1,
     "bpf_map_lookup_elem",
     ReturnKind::PtrToMapValueOrNull,
     {A::PtrToMap, A::PtrToMapKey},
     0,
     0},
    {2,
     "bpf_map_update_elem",
     ReturnKind::Integer,
     {A::PtrToMap, A::PtrToMapKey, A::PtrToMapValue, A::Anything},
     0,
     0},
    {3,
     "bpf_map_delete_elem",
     ReturnKind::Integer,
     {A::PtrToMap, A::PtrToMapKey},
     0,
     0},
    {6,
     "bpf_trace_printk",
     ReturnKind::Integer,
     {A::PtrToMem, A::ConstSize},
     0,
     0},
    {12,
     "bpf_tail_call",
     ReturnKind::NoReturn,
     {A::PtrToCtx, A::PtrToMapOfPrograms, A::Anything},
     kHelperTailCall,
     0},
    {67,
     "bpf_get_stack",
     ReturnKind::Integer,
     {A::PtrToCtx, A::PtrToUninitMem, A::ConstSizeOrZero, A::Anything},
     0,
     0},
    {130,
     "bpf_ringbuf_output",
     ReturnKind::Integer,
     {A::PtrToMap, A::PtrToMem, A::ConstSizeOrZero, A::Anything},
     0,
     0},
};

MapDescriptor make_map(int32_t fd) {
  MapDescriptor m;
  m.fd = fd;
  m.type = 0;
  m.key_size = 4;
  m.value_size = 4;
  m.max_entries = 4;
  return m;
}

struct Maps {
  MapDescriptor maps[32];
  Maps() {
    for (int32_t i = 0; i < 32; ++i)
      maps[i] = make_map(i);
  }
};

} // namespace

const PlatformSpec &yaml_test_platform() {
  static const Maps maps;
  static const PlatformSpec spec = [] {
    PlatformSpec p;
    p.context.size = 64;
    p.context.data_offset = 0;
    p.context.data_end_offset = 4;
    p.context.meta_offset = -1;
    p.helpers = kHelpers;
    p.helper_count = sizeof(kHelpers) / sizeof(kHelpers[0]);
    p.maps = maps.maps;
    p.map_count = 32;
    return p;
  }();
  return spec;
}

} // namespace bpfhost::verifier::test
