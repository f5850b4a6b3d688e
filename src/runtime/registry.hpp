// The program-type registry: program types as data (include/bpfhost/
// program_type.h), looked up by name or by the section a program sits in.
#pragma once

#include <string_view>
#include <vector>

#include "bpfhost/program_type.h"
#include "support/result.hpp"

namespace bpfhost::runtime {

class ProgramTypeRegistry {
public:
  // Adds a program type; the descriptor must outlive the registry. Fails on
  // a wrong ABI version or a name already registered.
  Result<void> add(const bpfhost_program_type *type);
  // The type named `name` (libbpf's spelling), or NotFound.
  Result<const bpfhost_program_type *>
  find_by_name(std::string_view name) const;
  // The type whose section name matches `section` as libbpf matches it
  // ("xdp" matches only "xdp"; "kprobe+" matches "kprobe" and "kprobe/..."),
  // or NotSupported naming the section.
  Result<const bpfhost_program_type *>
  find_by_section(std::string_view section) const;
  const std::vector<const bpfhost_program_type *> &types() const {
    return types_;
  }

private:
  std::vector<const bpfhost_program_type *> types_;
};

} // namespace bpfhost::runtime
