// BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c) with Linux's memory layout, so
// that a consumer written for Linux's mmap view reads it unchanged:
//   page 0: consumer page, u64 consumer_pos at offset 0 (written by the
//           consumer)
//   page 1: producer page, u64 producer_pos at offset 0
//   then  : the data area, max_entries bytes, followed by a second copy of
//           it: Linux maps the data pages twice so that a record that wraps
//           around the end reads contiguously; without mmap we reserve the
//           wrapped record contiguously in the second copy and mirror the
//           wrapped part to the start of the first on submit.
// Records: an 8-byte header { u32 len; u32 pg_off; } (len has
// BPF_RINGBUF_BUSY_BIT while reserved, BPF_RINGBUF_DISCARD_BIT if discarded),
// then the sample, padded to 8 bytes. Pages are 4096 bytes, as on x86-64
// Linux.
#pragma once

#include "maps/map.hpp"
#include "maps/spin_lock.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace bpfhost::maps {

inline constexpr std::uint32_t kRingbufBusyBit = 1u << 31;
inline constexpr std::uint32_t kRingbufDiscardBit = 1u << 30;
inline constexpr std::uint32_t kRingbufHeaderSize = 8;

class RingBuf final : public Map {
public:
  // Attributes already validated; null without memory.
  static std::shared_ptr<RingBuf> create(const MapAttr &attr,
                                         const MapEnvironment &env);
  ~RingBuf() override;

  // --- producer (helpers; any number of programs at once).
  // bpf_ringbuf_reserve: room for `size` bytes, or null (no room, flags != 0,
  // too large).
  void *reserve(std::uint64_t size, std::uint64_t flags);
  // bpf_ringbuf_submit / bpf_ringbuf_discard of a reserved sample; flags
  // BPF_RB_NO_WAKEUP / BPF_RB_FORCE_WAKEUP decide whether wakeup_count()
  // advances (by default: when the consumer has caught up with the record).
  void submit(void *sample, std::uint64_t flags);
  void discard(void *sample, std::uint64_t flags);
  // bpf_ringbuf_output: 0, EAGAIN without room, EINVAL for bad flags.
  Status output(const void *data, std::uint64_t size, std::uint64_t flags);
  // bpf_ringbuf_query (BPF_RB_AVAIL_DATA, RING_SIZE, CONS_POS, PROD_POS;
  // other selectors 0).
  std::uint64_t query(std::uint64_t flags) const;

  // --- consumer view.
  // The whole area: consumer page, producer page, data and its copy.
  unsigned char *memory() { return memory_; }
  std::size_t memory_size() const { return 2 * kPage + 2 * size_; }
  std::atomic<std::uint64_t> &consumer_pos() { return *consumer_pos_; }
  std::atomic<std::uint64_t> &producer_pos() { return *producer_pos_; }
  // The data area (size() bytes, then the copy).
  unsigned char *data() { return memory_ + 2 * kPage; }
  std::uint64_t size() const { return size_; }
  // How many wakeups producers have signalled (epoll readiness in Linux).
  std::uint64_t wakeup_count() const {
    return wakeups_.load(std::memory_order_acquire);
  }

  // Reads committed records as libbpf's ring_buffer__consume does: calls
  // `fn(sample, size)` for each submitted one in order, skips discarded ones,
  // stops at a reserved one, advancing consumer_pos after each; stops early
  // and returns fn's result if it is negative, else the number consumed.
  long consume(const std::function<int(const void *, std::uint32_t)> &fn);

  RingBuf(const MapAttr &attr, const MapEnvironment &env,
          unsigned char *memory);

  static constexpr std::size_t kPage = 4096;

private:
  void commit(void *sample, std::uint64_t flags, bool discard);

  std::uint64_t size_;
  std::uint64_t mask_;
  unsigned char *memory_;
  std::atomic<std::uint64_t> *consumer_pos_;
  std::atomic<std::uint64_t> *producer_pos_;
  SpinLock lock_;
  std::uint64_t pending_pos_ = 0; // oldest record maybe still reserved
  std::atomic<std::uint64_t> wakeups_{0};
};

} // namespace bpfhost::maps
