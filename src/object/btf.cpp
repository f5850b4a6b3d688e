#include "object/btf.hpp"

#include <string>

#include "object/byte_reader.hpp"

namespace bpfhost::object {
namespace {

using detail::field_le;
using detail::hex;

constexpr uint16_t kMagic = 0xeb9f;
constexpr size_t kHeaderSize = 24; // sizeof(struct btf_header)
constexpr size_t kTypeSize = 12;   // sizeof(struct btf_type)
// libbpf's MAX_RESOLVE_DEPTH: chains of typedefs and modifiers are short.
constexpr int kMaxChain = 32;

Error invalid(std::string message) {
  return make_error(ErrorCode::InvalidInput, std::move(message));
}

// The size of the data that follows a btf_type header of this kind.
std::optional<size_t> extra_size(BtfKind kind, uint32_t vlen) {
  switch (kind) {
  case BtfKind::Int:
  case BtfKind::Var:
  case BtfKind::DeclTag:
    return 4;
  case BtfKind::Array:
    return 12;
  case BtfKind::Struct:
  case BtfKind::Union:
  case BtfKind::Datasec:
  case BtfKind::Enum64:
    return size_t{vlen} * 12;
  case BtfKind::Enum:
  case BtfKind::FuncProto:
    return size_t{vlen} * 8;
  case BtfKind::Void:
    return std::nullopt; // kind 0 is not a valid type entry
  case BtfKind::Ptr:
  case BtfKind::Fwd:
  case BtfKind::Typedef:
  case BtfKind::Volatile:
  case BtfKind::Const:
  case BtfKind::Restrict:
  case BtfKind::Func:
  case BtfKind::Float:
  case BtfKind::TypeTag:
    return 0;
  }
  return std::nullopt;
}

bool refers_to_type(BtfKind kind) {
  switch (kind) {
  case BtfKind::Ptr:
  case BtfKind::Typedef:
  case BtfKind::Volatile:
  case BtfKind::Const:
  case BtfKind::Restrict:
  case BtfKind::Func:
  case BtfKind::FuncProto:
  case BtfKind::Var:
  case BtfKind::DeclTag:
  case BtfKind::TypeTag:
    return true;
  case BtfKind::Void:
  case BtfKind::Int:
  case BtfKind::Array:
  case BtfKind::Struct:
  case BtfKind::Union:
  case BtfKind::Enum:
  case BtfKind::Fwd:
  case BtfKind::Datasec:
  case BtfKind::Float:
  case BtfKind::Enum64:
    return false;
  }
  return false;
}

} // namespace

Result<Btf> Btf::parse(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize)
    return invalid("BTF is " + std::to_string(bytes.size()) +
                   " bytes, too short for its header (24 bytes)");
  if (field_le<uint16_t>(bytes, 0) != kMagic)
    return invalid("bad BTF magic " + hex(field_le<uint16_t>(bytes, 0)));
  if (bytes[2] != 1)
    return invalid("BTF version " + std::to_string(bytes[2]) +
                   " is not supported (expected 1)");
  const uint32_t hdr_len = field_le<uint32_t>(bytes, 4);
  const uint32_t type_off = field_le<uint32_t>(bytes, 8);
  const uint32_t type_len = field_le<uint32_t>(bytes, 12);
  const uint32_t str_off = field_le<uint32_t>(bytes, 16);
  const uint32_t str_len = field_le<uint32_t>(bytes, 20);
  if (hdr_len < kHeaderSize || hdr_len > bytes.size())
    return invalid("BTF header length " + std::to_string(hdr_len) +
                   " is outside 24.." + std::to_string(bytes.size()));
  const auto body = bytes.subspan(hdr_len);
  const auto types = detail::sub_span(body, type_off, type_len);
  const auto strings = detail::sub_span(body, str_off, str_len);
  if (!types || type_off % 4 != 0)
    return invalid("BTF type section (" + hex(type_len) + " bytes at " +
                   hex(type_off) + ") is misaligned or outside the data");
  if (!strings)
    return invalid("BTF string section (" + hex(str_len) + " bytes at " +
                   hex(str_off) + ") is outside the data");
  if (strings->empty() || strings->front() != 0 || strings->back() != 0)
    return invalid("BTF string section must start and end with a NUL byte");

  Btf btf;
  btf.strings_ = *strings;
  size_t at = 0;
  while (at < types->size()) {
    const uint32_t id = btf.type_count() + 1;
    const std::string where = "BTF type [" + std::to_string(id) + "]";
    const auto header = detail::sub_span(*types, at, kTypeSize);
    if (!header)
      return invalid(where + " at " + hex(at) + " is truncated");
    const uint32_t info = field_le<uint32_t>(*header, 4);
    const uint32_t raw_kind = (info >> 24) & 0x1f;
    const uint32_t vlen = info & 0xffff;
    if (raw_kind > static_cast<uint32_t>(BtfKind::Enum64))
      return invalid(where + ": unknown kind " + std::to_string(raw_kind));
    BtfType t;
    t.kind = static_cast<BtfKind>(raw_kind);
    t.kind_flag = (info >> 31) != 0;
    t.size_or_type = field_le<uint32_t>(*header, 8);
    const auto name = btf.string(field_le<uint32_t>(*header, 0));
    if (!name)
      return invalid(where + ": name offset " +
                     hex(field_le<uint32_t>(*header, 0)) +
                     " is outside the string section");
    t.name = *name;
    const auto extra_len = extra_size(t.kind, vlen);
    if (!extra_len)
      return invalid(where + ": kind " + std::to_string(raw_kind) +
                     " is not a type");
    const auto extra = detail::sub_span(*types, at + kTypeSize, *extra_len);
    if (!extra)
      return invalid(where + " at " + hex(at) + " is truncated");
    if (t.kind == BtfKind::Array) {
      t.array_type = field_le<uint32_t>(*extra, 0);
      t.array_nelems = field_le<uint32_t>(*extra, 8);
    } else if (t.kind == BtfKind::Var) {
      t.var_linkage = field_le<uint32_t>(*extra, 0);
    } else if (vlen > 0 && *extra_len > 0) {
      const size_t entry = *extra_len / vlen;
      t.members.reserve(vlen);
      for (uint32_t i = 0; i < vlen; ++i) {
        const auto e = extra->subspan(i * entry, entry);
        BtfMember m;
        const uint32_t first = field_le<uint32_t>(e, 0);
        if (t.kind == BtfKind::Datasec) {
          m.type = first;
          m.offset = field_le<uint32_t>(e, 4);
          m.size = field_le<uint32_t>(e, 8);
        } else {
          const auto member_name = btf.string(first);
          if (!member_name)
            return invalid(where + ": member " + std::to_string(i) +
                           " name offset " + hex(first) +
                           " is outside the string section");
          m.name = *member_name;
          if (t.kind == BtfKind::Enum) {
            m.value = static_cast<int32_t>(field_le<uint32_t>(e, 4));
          } else if (t.kind == BtfKind::Enum64) {
            m.value = static_cast<int64_t>(
                field_le<uint32_t>(e, 4) |
                (uint64_t{field_le<uint32_t>(e, 8)} << 32));
          } else {
            m.type = field_le<uint32_t>(e, 4);
            if (t.kind != BtfKind::FuncProto)
              m.offset = field_le<uint32_t>(e, 8);
          }
        }
        t.members.push_back(m);
      }
    }
    btf.types_.push_back(std::move(t));
    at += kTypeSize + *extra_len;
  }

  // Every referenced id must exist, so later lookups need no checks of
  // their own beyond type() returning nullptr for void.
  const uint32_t last = btf.type_count();
  for (uint32_t id = 1; id <= last; ++id) {
    const BtfType &t = btf.types_[id - 1];
    auto check = [&](uint32_t ref) -> Result<void> {
      if (ref > last)
        return invalid("BTF type [" + std::to_string(id) +
                       "] refers to type [" + std::to_string(ref) +
                       "], which does not exist (" + std::to_string(last) +
                       " types)");
      return {};
    };
    if (refers_to_type(t.kind))
      if (auto ok = check(t.size_or_type); !ok)
        return ok.error();
    if (t.kind == BtfKind::Array)
      if (auto ok = check(t.array_type); !ok)
        return ok.error();
    if (t.kind != BtfKind::Enum && t.kind != BtfKind::Enum64)
      for (const BtfMember &m : t.members)
        if (auto ok = check(m.type); !ok)
          return ok.error();
  }
  return btf;
}

const BtfType *Btf::type(uint32_t id) const {
  if (id == 0 || id > types_.size())
    return nullptr;
  return &types_[id - 1];
}

std::optional<std::string_view> Btf::string(uint32_t offset) const {
  return detail::string_at(strings_, offset);
}

uint32_t Btf::skip_modifiers(uint32_t id) const {
  for (int depth = 0; depth < kMaxChain; ++depth) {
    const BtfType *t = type(id);
    if (t == nullptr)
      return 0;
    switch (t->kind) {
    case BtfKind::Typedef:
    case BtfKind::Volatile:
    case BtfKind::Const:
    case BtfKind::Restrict:
    case BtfKind::TypeTag:
      id = t->size_or_type;
      continue;
    case BtfKind::Void:
    case BtfKind::Int:
    case BtfKind::Ptr:
    case BtfKind::Array:
    case BtfKind::Struct:
    case BtfKind::Union:
    case BtfKind::Enum:
    case BtfKind::Fwd:
    case BtfKind::Func:
    case BtfKind::FuncProto:
    case BtfKind::Var:
    case BtfKind::Datasec:
    case BtfKind::Float:
    case BtfKind::DeclTag:
    case BtfKind::Enum64:
      return id;
    }
  }
  return 0;
}

Result<uint64_t> Btf::resolve_size(uint32_t id) const {
  const uint32_t start = id;
  uint64_t count = 1;
  for (int depth = 0; depth < kMaxChain; ++depth) {
    const BtfType *t = type(id);
    if (t == nullptr)
      return invalid("BTF type [" + std::to_string(start) +
                     "] has no size (it is or ends in void)");
    switch (t->kind) {
    case BtfKind::Int:
    case BtfKind::Struct:
    case BtfKind::Union:
    case BtfKind::Enum:
    case BtfKind::Enum64:
    case BtfKind::Datasec:
    case BtfKind::Float:
      return count * t->size_or_type;
    case BtfKind::Ptr:
      return count * 8;
    case BtfKind::Typedef:
    case BtfKind::Volatile:
    case BtfKind::Const:
    case BtfKind::Restrict:
    case BtfKind::TypeTag:
    case BtfKind::Var:
    case BtfKind::DeclTag:
      id = t->size_or_type;
      continue;
    case BtfKind::Array:
      count *= t->array_nelems;
      if (count > UINT32_MAX)
        return invalid("BTF type [" + std::to_string(start) +
                       "] is larger than 4 GiB");
      id = t->array_type;
      continue;
    case BtfKind::Void:
    case BtfKind::Fwd:
    case BtfKind::Func:
    case BtfKind::FuncProto:
      return invalid("BTF type [" + std::to_string(start) + "] has no size");
    }
  }
  return invalid("BTF type [" + std::to_string(start) +
                 "]: chain of types longer than 32");
}

std::optional<uint32_t> Btf::find(BtfKind kind, std::string_view name) const {
  for (uint32_t id = 1; id <= type_count(); ++id)
    if (types_[id - 1].kind == kind && types_[id - 1].name == name)
      return id;
  return std::nullopt;
}

} // namespace bpfhost::object
