// The BPF Type Format of an object's .BTF section, parsed enough to read map
// definitions, global data sections and the strings that .BTF.ext line info
// points to (kernel Documentation/bpf/btf.rst, "BTF Type and String
// Encoding"). Names are views into the caller's bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "support/result.hpp"

namespace bpfhost::object {

// BTF_KIND_* (uapi linux/btf.h), in their numeric order.
enum class BtfKind : uint8_t {
  Void = 0,
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Enum = 6,
  Fwd = 7,
  Typedef = 8,
  Volatile = 9,
  Const = 10,
  Restrict = 11,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
  Float = 16,
  DeclTag = 17,
  TypeTag = 18,
  Enum64 = 19,
};

// One entry after a type's header: a struct or union member (name, type,
// offset in bits), a function parameter (name, type), a data section
// variable (type, offset and size in bytes) or an enumerator (name, value).
struct BtfMember {
  std::string_view name;
  uint32_t type = 0;
  uint32_t offset = 0;
  uint32_t size = 0;
  int64_t value = 0;
};

struct BtfType {
  BtfKind kind = BtfKind::Void;
  std::string_view name;
  bool kind_flag = false;
  // The size in bytes (Int, Struct, Union, Enum, Enum64, Datasec, Float) or
  // the referenced type id (Ptr, Typedef, modifiers, Func, FuncProto's
  // return type, Var, DeclTag, TypeTag), as btf_type's size/type union.
  uint32_t size_or_type = 0;
  uint32_t array_type = 0;   // Array: element type
  uint32_t array_nelems = 0; // Array: element count
  uint32_t var_linkage = 0;  // Var: BTF_VAR_STATIC 0, GLOBAL_ALLOCATED 1, ...
  std::vector<BtfMember> members;
};

class Btf {
public:
  // Parses and checks the header, every type (known kind, in bounds, names
  // inside the string section, referenced type ids exist) and the strings.
  static Result<Btf> parse(std::span<const uint8_t> bytes);

  // The type with this id, or nullptr for 0 (void) and unknown ids.
  const BtfType *type(uint32_t id) const;
  // The number of types; valid ids are 1..type_count().
  uint32_t type_count() const { return static_cast<uint32_t>(types_.size()); }
  // The string at this offset of the string section, or nullopt.
  std::optional<std::string_view> string(uint32_t offset) const;

  // Follows typedefs and modifiers (const, volatile, restrict, type tags) to
  // the first other type; 0 if it ends in void or the chain is too long.
  uint32_t skip_modifiers(uint32_t id) const;
  // The size in bytes of a type, as libbpf's btf__resolve_size (pointers are
  // 8 bytes in BPF).
  Result<uint64_t> resolve_size(uint32_t id) const;
  // The id of the first type of this kind with this name.
  std::optional<uint32_t> find(BtfKind kind, std::string_view name) const;

private:
  std::vector<BtfType> types_; // types_[id - 1]
  std::span<const uint8_t> strings_;
};

} // namespace bpfhost::object
