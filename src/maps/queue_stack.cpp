// Queue and stack maps (see queue_stack.hpp).
#include "maps/queue_stack.hpp"

#include <cstring>
#include <mutex>
#include <new>

namespace bpfhost::maps {

QueueStack::QueueStack(const MapAttr &attr, const MapEnvironment &env,
                       std::unique_ptr<unsigned char[]> data)
    : Map(attr, env.epochs), stack_(attr.type == MapType::Stack),
      size_(attr.max_entries + 1), data_(std::move(data)) {}

std::shared_ptr<QueueStack> QueueStack::create(const MapAttr &attr,
                                               const MapEnvironment &env) {
  std::size_t bytes = (std::size_t{attr.max_entries} + 1) * attr.value_size;
  std::unique_ptr<unsigned char[]> data(
      new (std::nothrow) unsigned char[bytes]());
  if (!data)
    return nullptr;
  return std::make_shared<QueueStack>(attr, env, std::move(data));
}

Status QueueStack::push(const void *value, std::uint64_t flags) {
  if ((flags & kBpfNoexist) || flags > kBpfExist)
    return Errno::Inval;
  std::lock_guard<SpinLock> lock(lock_);
  std::uint32_t next = head_ + 1 == size_ ? 0 : head_ + 1;
  if (next == tail_) { // full
    if (flags != kBpfExist)
      return Errno::TooBig;
    tail_ = tail_ + 1 == size_ ? 0 : tail_ + 1; // drop the oldest
  }
  std::memcpy(slot_at(head_), value, value_size());
  head_ = next;
  return {};
}

Status QueueStack::take(void *value, bool remove) {
  std::lock_guard<SpinLock> lock(lock_);
  if (head_ == tail_)
    return Errno::NoEnt;
  if (stack_) {
    std::uint32_t index = head_ == 0 ? size_ - 1 : head_ - 1;
    std::memcpy(value, slot_at(index), value_size());
    if (remove)
      head_ = index;
    return {};
  }
  std::memcpy(value, slot_at(tail_), value_size());
  if (remove)
    tail_ = tail_ + 1 == size_ ? 0 : tail_ + 1;
  return {};
}

Status QueueStack::pop(void *value) { return take(value, true); }
Status QueueStack::peek(void *value) { return take(value, false); }

Status QueueStack::update(const void *, const void *, std::uint64_t,
                          ExecutionSlot) {
  return Errno::Inval;
}
Status QueueStack::erase(const void *, ExecutionSlot) { return Errno::Inval; }

Status QueueStack::sys_lookup(const void *, void *value, std::uint64_t) {
  return peek(value);
}
Status QueueStack::sys_update(const void *, const void *value,
                              std::uint64_t flags) {
  return push(value, flags);
}
Status QueueStack::sys_delete(const void *) { return Errno::Inval; }
Status QueueStack::sys_lookup_and_delete(const void *, void *value,
                                         std::uint64_t flags) {
  if (flags != 0)
    return Errno::Inval;
  return pop(value);
}
Status QueueStack::get_next_key(const void *, void *) { return Errno::Inval; }

} // namespace bpfhost::maps
