// Perf event arrays (see perf_event_array.hpp); bpf_perf_event_output's
// checks follow __bpf_perf_event_output in kernel/trace/bpf_trace.c.
#include "maps/perf_event_array.hpp"

#include "maps/array_map.hpp"

#include <cstring>
#include <mutex>

namespace bpfhost::maps {

Status PerfBuffer::write(const void *data, std::size_t size) {
  std::lock_guard<SpinLock> lock(lock_);
  if (used_ + size > capacity_) {
    ++lost_;
    return Errno::NoSpc;
  }
  const auto *bytes = static_cast<const unsigned char *>(data);
  samples_.emplace_back(bytes, bytes + size);
  used_ += size;
  return {};
}

std::size_t
PerfBuffer::drain(const std::function<void(const void *, std::size_t)> &fn) {
  std::deque<std::vector<unsigned char>> taken;
  {
    std::lock_guard<SpinLock> lock(lock_);
    taken.swap(samples_);
    used_ = 0;
  }
  for (const auto &sample : taken)
    fn(sample.data(), sample.size());
  return taken.size();
}

std::uint64_t PerfBuffer::lost() const {
  std::lock_guard<SpinLock> lock(lock_);
  return lost_;
}

PerfEventArray::PerfEventArray(const MapAttr &attr, const MapEnvironment &env)
    : Map(attr, env.epochs), slots_(attr.max_entries, *env.epochs) {}

std::shared_ptr<PerfEventArray>
PerfEventArray::create(const MapAttr &attr, const MapEnvironment &env) {
  return std::make_shared<PerfEventArray>(attr, env);
}

Status PerfEventArray::attach(std::uint32_t index,
                              std::shared_ptr<PerfBuffer> buffer,
                              std::uint64_t flags) {
  if (flags != kBpfAny || !buffer)
    return Errno::Inval;
  if (index >= max_entries())
    return Errno::TooBig;
  slots_.set(index, std::move(buffer));
  return {};
}

Status PerfEventArray::output(std::uint64_t flags, const void *data,
                              std::uint64_t size, ExecutionSlot slot) {
  if (flags & ~(kBpfFIndexMask | kBpfFCtxlenMask))
    return Errno::Inval;
  std::uint64_t index = flags & kBpfFIndexMask;
  if (index == kBpfFCurrentCpu)
    index = slot.index;
  if (index >= max_entries())
    return Errno::TooBig;
  std::shared_ptr<PerfBuffer> *buffer =
      slots_.get(static_cast<std::uint32_t>(index));
  if (buffer == nullptr)
    return Errno::NoEnt;
  return (*buffer)->write(data, size);
}

Status PerfEventArray::sys_delete(const void *key) {
  std::uint32_t index = 0;
  std::memcpy(&index, key, 4);
  if (index >= max_entries())
    return Errno::TooBig;
  return slots_.clear(index) ? Status{} : Status{Errno::NoEnt};
}

Status PerfEventArray::get_next_key(const void *key, void *next_key) {
  return array_get_next_key(max_entries(), key, next_key);
}

} // namespace bpfhost::maps
