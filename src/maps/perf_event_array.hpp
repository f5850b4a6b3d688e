// BPF_MAP_TYPE_PERF_EVENT_ARRAY, partial: each index holds a PerfBuffer (in
// Linux a perf event opened on that CPU, whose mmap ring the consumer reads).
// bpf_perf_event_output appends a sample to the buffer at the index the flags
// name (BPF_F_CURRENT_CPU: the caller's slot). Not modelled: the perf mmap
// ring layout (perf_event_mmap_page and PERF_RECORD_SAMPLE headers), wakeup
// events, BPF_F_CTXLEN_MASK context bytes (the runtime appends them to the
// data it passes), bpf_perf_event_read.
#pragma once

#include "maps/map.hpp"
#include "maps/slot_array.hpp"
#include "maps/spin_lock.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace bpfhost::maps {

// A bounded buffer of samples, the stand-in for one perf event's ring.
class PerfBuffer {
public:
  // Holds samples up to `capacity_bytes` in total; more are counted as lost.
  explicit PerfBuffer(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // Appends a sample; ENOSPC (and one more lost sample) when full.
  Status write(const void *data, std::size_t size);
  // Calls `fn` on each sample in order and removes them; returns how many.
  std::size_t drain(const std::function<void(const void *, std::size_t)> &fn);
  // Samples dropped because the buffer was full.
  std::uint64_t lost() const;

private:
  mutable SpinLock lock_;
  std::size_t capacity_;
  std::size_t used_ = 0;
  std::uint64_t lost_ = 0;
  std::deque<std::vector<unsigned char>> samples_;
};

class PerfEventArray final : public Map {
public:
  // Attributes already validated.
  static std::shared_ptr<PerfEventArray> create(const MapAttr &attr,
                                                const MapEnvironment &env);

  // BPF_MAP_UPDATE_ELEM with a perf event: attaches `buffer` at `index`
  // (E2BIG out of range, EINVAL for flags other than BPF_ANY).
  Status attach(std::uint32_t index, std::shared_ptr<PerfBuffer> buffer,
                std::uint64_t flags);
  // bpf_perf_event_output: EINVAL for unknown flag bits, E2BIG for an index
  // out of range, ENOENT when no buffer is attached there, ENOSPC when full.
  Status output(std::uint64_t flags, const void *data, std::uint64_t size,
                ExecutionSlot slot);

  Status sys_delete(const void *key) override;
  Status get_next_key(const void *key, void *next_key) override;

  PerfEventArray(const MapAttr &attr, const MapEnvironment &env);

private:
  SlotArray<std::shared_ptr<PerfBuffer>> slots_;
};

} // namespace bpfhost::maps
