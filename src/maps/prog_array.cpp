// Prog arrays (see prog_array.hpp).
#include "maps/prog_array.hpp"

#include "maps/array_map.hpp"

#include <cstring>

namespace bpfhost::maps {
namespace {

std::uint32_t read_index(const void *key) {
  std::uint32_t index = 0;
  std::memcpy(&index, key, 4);
  return index;
}

} // namespace

ProgArray::ProgArray(const MapAttr &attr, const MapEnvironment &env)
    : Map(attr, env.epochs), slots_(attr.max_entries, *env.epochs) {}

std::shared_ptr<ProgArray> ProgArray::create(const MapAttr &attr,
                                             const MapEnvironment &env) {
  return std::make_shared<ProgArray>(attr, env);
}

Status ProgArray::set_program(std::uint32_t index, ProgramRef program,
                              std::uint64_t flags) {
  if (flags != kBpfAny)
    return Errno::Inval;
  if (index >= max_entries())
    return Errno::TooBig;
  if (!program.program)
    return Errno::Inval;
  slots_.set(index, std::move(program));
  return {};
}

const void *ProgArray::program(std::uint32_t index) const {
  if (index >= slots_.size())
    return nullptr;
  const ProgramRef *ref = slots_.get(index);
  return ref != nullptr ? ref->program.get() : nullptr;
}

Status ProgArray::sys_lookup(const void *key, void *value,
                             std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  std::uint32_t index = read_index(key);
  if (index >= max_entries())
    return Errno::NoEnt;
  EpochDomain::ExternalGuard guard(epochs());
  const ProgramRef *ref = slots_.get(index);
  if (ref == nullptr)
    return Errno::NoEnt;
  std::memcpy(value, &ref->id, 4);
  return {};
}

Status ProgArray::sys_update(const void *, const void *, std::uint64_t) {
  return Errno::Inval;
}

Status ProgArray::sys_delete(const void *key) {
  std::uint32_t index = read_index(key);
  if (index >= max_entries())
    return Errno::TooBig;
  return slots_.clear(index) ? Status{} : Status{Errno::NoEnt};
}

Status ProgArray::get_next_key(const void *key, void *next_key) {
  return array_get_next_key(max_entries(), key, next_key);
}

} // namespace bpfhost::maps
