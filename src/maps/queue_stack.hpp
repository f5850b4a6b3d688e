// BPF_MAP_TYPE_QUEUE and STACK (kernel/bpf/queue_stack_maps.c): a ring of
// max_entries values without keys. push with BPF_EXIST into a full map drops
// the oldest value (for both); pop/peek take the oldest (queue) or newest
// (stack). bpf() maps lookup to peek, update to push and lookup-and-delete to
// pop.
#pragma once

#include "maps/map.hpp"
#include "maps/spin_lock.hpp"

#include <memory>

namespace bpfhost::maps {

class QueueStack final : public Map {
public:
  // Attributes already validated; null without memory.
  static std::shared_ptr<QueueStack> create(const MapAttr &attr,
                                            const MapEnvironment &env);

  Status update(const void *key, const void *value, std::uint64_t flags,
                ExecutionSlot slot) override;
  Status erase(const void *key, ExecutionSlot slot) override;
  Status push(const void *value, std::uint64_t flags) override;
  Status pop(void *value) override;
  Status peek(void *value) override;

  Status sys_lookup(const void *key, void *value, std::uint64_t flags) override;
  Status sys_update(const void *key, const void *value,
                    std::uint64_t flags) override;
  Status sys_delete(const void *key) override;
  Status sys_lookup_and_delete(const void *key, void *value,
                               std::uint64_t flags) override;
  Status get_next_key(const void *key, void *next_key) override;

  QueueStack(const MapAttr &attr, const MapEnvironment &env,
             std::unique_ptr<unsigned char[]> data);

private:
  Status take(void *value, bool remove);
  unsigned char *slot_at(std::uint32_t index) {
    return data_.get() + std::size_t{index} * value_size();
  }

  bool stack_;
  std::uint32_t size_; // max_entries + 1 slots
  SpinLock lock_;
  std::uint32_t head_ = 0;
  std::uint32_t tail_ = 0;
  std::unique_ptr<unsigned char[]> data_;
};

} // namespace bpfhost::maps
