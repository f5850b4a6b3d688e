// Validation of map creation attributes, as the kernel's map_create() and the
// per-type map_alloc_check functions do it. Internal to src/maps.
#pragma once

#include "maps/map.hpp"

namespace bpfhost::maps {

// Linux's limits for the checks (x86-64 with 4 KiB pages).
inline constexpr std::uint64_t kKmallocMaxSize = 4u << 20; // KMALLOC_MAX_SIZE
inline constexpr std::uint32_t kPcpuMinUnitSize = 32768;   // PCPU_MIN_UNIT_SIZE
inline constexpr std::uint32_t kRingbufPageSize = 4096;    // PAGE_SIZE

// Nothing, or the error BPF_MAP_CREATE fails with (message: errno name and
// the reason). Checks the inner map template of maps of maps too.
Result<void> check_map_attr(const MapAttr &attr);

// Whether `inner` may be stored in a map of maps created with `tmpl` as its
// inner map template (Linux's map_meta_equal: same type, key and value sizes
// and flags; arrays also the same max_entries unless the template has
// BPF_F_INNER_MAP).
bool inner_map_matches(const MapAttr &tmpl, const MapAttr &inner);

} // namespace bpfhost::maps
