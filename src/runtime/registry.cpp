#include "runtime/registry.hpp"

#include <string>

namespace bpfhost::runtime {

Result<void> ProgramTypeRegistry::add(const bpfhost_program_type *type) {
  if (type == nullptr || type->abi_version != BPFHOST_PROGRAM_TYPE_ABI_VERSION)
    return make_error(ErrorCode::InvalidInput,
                      "program type descriptor has an unknown ABI version");
  if (find_by_name(type->name).ok())
    return make_error(ErrorCode::AlreadyExists, std::string("program type ") +
                                                    type->name +
                                                    " is already registered");
  types_.push_back(type);
  return {};
}

Result<const bpfhost_program_type *>
ProgramTypeRegistry::find_by_name(std::string_view name) const {
  for (const auto *type : types_)
    if (name == type->name)
      return type;
  return make_error(ErrorCode::NotFound,
                    "unknown program type " + std::string(name));
}

Result<const bpfhost_program_type *>
ProgramTypeRegistry::find_by_section(std::string_view section) const {
  for (const auto *type : types_)
    for (size_t i = 0; i < type->section_prefix_count; ++i) {
      std::string_view name = type->section_prefixes[i];
      const bool plus = name.ends_with('+');
      if (plus)
        name.remove_suffix(1);
      if (section == name ||
          (plus && section.starts_with(name) && section.size() > name.size() &&
           section[name.size()] == '/'))
        return type;
    }
  return make_error(ErrorCode::NotSupported,
                    "section " + std::string(section) +
                        " names no known program type (give `type TYPE`)");
}

} // namespace bpfhost::runtime
