// Linux's helper ids by name (uapi enum bpf_func_id), so that a call to an
// undefined function named like a helper ("bpf_map_lookup_elem") can become
// that helper's call, as PREVAIL and ebpf-for-windows resolve them.
// TODO(#3): this uapi fact belongs beside the helper prototypes of the
// registry (src/runtime) once that exists; the table is generated, so moving
// it is a rename.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bpfhost::object {

// The id of the Linux helper with this name ("bpf_" + the uapi name), or
// nullopt.
std::optional<int32_t> linux_helper_id(std::string_view name);

} // namespace bpfhost::object
