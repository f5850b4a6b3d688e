// BPF_MAP_TYPE_PROG_ARRAY: the jump table of bpf_tail_call. Holds references
// to programs the runtime supplies (opaque here); a tail call reads a slot
// without locks, and a replaced program is released only after the programs
// that might still jump to it have finished.
#pragma once

#include "maps/map.hpp"
#include "maps/slot_array.hpp"

#include <memory>

namespace bpfhost::maps {

// A program reference as the runtime gives it: `program` is what a tail call
// runs (and keeps it alive), `id` what bpf() lookups report.
struct ProgramRef {
  std::shared_ptr<const void> program;
  std::uint32_t id = 0;
};

class ProgArray final : public Map {
public:
  // Attributes already validated.
  static std::shared_ptr<ProgArray> create(const MapAttr &attr,
                                           const MapEnvironment &env);

  // BPF_MAP_UPDATE_ELEM with a program (bpf_fd_array_map_update_elem):
  // flags must be BPF_ANY (EINVAL), index below max_entries (E2BIG). Linux
  // also refuses programs of another type than the array's first user: the
  // runtime's check, it knows program types.
  Status set_program(std::uint32_t index, ProgramRef program,
                     std::uint64_t flags);
  // The program at `index` for bpf_tail_call, or null (empty, out of
  // range); valid until the caller's epoch ends.
  const void *program(std::uint32_t index) const;

  // Programs cannot look up prog arrays (null); bpf() lookups report the id.
  Status sys_lookup(const void *key, void *value, std::uint64_t flags) override;
  // The value is a descriptor only the runtime resolves: EINVAL; use
  // set_program().
  Status sys_update(const void *key, const void *value,
                    std::uint64_t flags) override;
  Status sys_delete(const void *key) override;
  Status get_next_key(const void *key, void *next_key) override;

  ProgArray(const MapAttr &attr, const MapEnvironment &env);

private:
  SlotArray<ProgramRef> slots_;
};

} // namespace bpfhost::maps
