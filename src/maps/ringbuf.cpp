// Ring buffer (see ringbuf.hpp); __bpf_ringbuf_reserve, bpf_ringbuf_commit
// and libbpf's ringbuf_process_ring.
#include "maps/ringbuf.hpp"

#include <cstring>
#include <mutex>
#include <new>

namespace bpfhost::maps {
namespace {

constexpr std::uint64_t kMaxRecordSize =
    0xffffffffu / 4; // RINGBUF_MAX_RECORD_SZ

std::uint64_t record_length(std::uint32_t len) {
  std::uint64_t size = len & ~(kRingbufBusyBit | kRingbufDiscardBit);
  return (size + kRingbufHeaderSize + 7) & ~std::uint64_t{7};
}

std::atomic_ref<std::uint32_t> header_len(unsigned char *header) {
  return std::atomic_ref<std::uint32_t>(
      *reinterpret_cast<std::uint32_t *>(header));
}

} // namespace

RingBuf::RingBuf(const MapAttr &attr, const MapEnvironment &env,
                 unsigned char *memory)
    : Map(attr, env.epochs), size_(attr.max_entries), mask_(size_ - 1),
      memory_(memory),
      consumer_pos_(new (memory) std::atomic<std::uint64_t>(0)),
      producer_pos_(new (memory + kPage) std::atomic<std::uint64_t>(0)) {}

RingBuf::~RingBuf() { ::operator delete (memory_, std::align_val_t{kPage}); }

std::shared_ptr<RingBuf> RingBuf::create(const MapAttr &attr,
                                         const MapEnvironment &env) {
  std::size_t bytes = 2 * kPage + 2 * std::size_t{attr.max_entries};
  void *memory = ::operator new (bytes, std::align_val_t{kPage}, std::nothrow);
  if (memory == nullptr)
    return nullptr;
  std::memset(memory, 0, bytes);
  return std::make_shared<RingBuf>(attr, env,
                                   static_cast<unsigned char *>(memory));
}

void *RingBuf::reserve(std::uint64_t size, std::uint64_t flags) {
  if (flags != 0 || size > kMaxRecordSize)
    return nullptr;
  std::uint64_t len = (size + kRingbufHeaderSize + 7) & ~std::uint64_t{7};
  if (len > size_)
    return nullptr;
  std::uint64_t cons_pos = consumer_pos_->load(std::memory_order_acquire);
  std::lock_guard<SpinLock> lock(lock_);
  std::uint64_t prod_pos = producer_pos_->load(std::memory_order_relaxed);
  std::uint64_t pend_pos = pending_pos_;
  while (pend_pos < prod_pos) {
    std::uint32_t hdr_len =
        header_len(data() + (pend_pos & mask_)).load(std::memory_order_acquire);
    if (hdr_len & kRingbufBusyBit)
      break;
    pend_pos += record_length(hdr_len);
  }
  pending_pos_ = pend_pos;
  std::uint64_t new_prod_pos = prod_pos + len;
  // At most size - 1 bytes between the consumer (or the oldest record still
  // reserved) and the producer.
  if (new_prod_pos - cons_pos > mask_ || new_prod_pos - pend_pos > mask_)
    return nullptr;
  unsigned char *header = data() + (prod_pos & mask_);
  std::uint32_t pg_off = static_cast<std::uint32_t>((header - memory_) / kPage);
  std::memcpy(header + 4, &pg_off, 4);
  header_len(header).store(static_cast<std::uint32_t>(size) | kRingbufBusyBit,
                           std::memory_order_relaxed);
  producer_pos_->store(new_prod_pos, std::memory_order_release);
  return header + kRingbufHeaderSize;
}

void RingBuf::commit(void *sample, std::uint64_t flags, bool discard) {
  unsigned char *header =
      static_cast<unsigned char *>(sample) - kRingbufHeaderSize;
  auto len = header_len(header);
  std::uint32_t new_len = len.load(std::memory_order_relaxed) ^ kRingbufBusyBit;
  if (discard)
    new_len |= kRingbufDiscardBit;
  std::uint64_t offset = static_cast<std::uint64_t>(header - data());
  std::uint64_t end = offset + record_length(new_len);
  if (end > size_) // mirror the wrapped part to the start of the data area
    std::memcpy(data(), data() + size_, end - size_);
  len.exchange(new_len, std::memory_order_acq_rel);
  std::uint64_t cons_pos =
      consumer_pos_->load(std::memory_order_acquire) & mask_;
  if ((flags & kBpfRbForceWakeup) ||
      (cons_pos == offset && !(flags & kBpfRbNoWakeup)))
    wakeups_.fetch_add(1, std::memory_order_release);
}

void RingBuf::submit(void *sample, std::uint64_t flags) {
  commit(sample, flags, false);
}

void RingBuf::discard(void *sample, std::uint64_t flags) {
  commit(sample, flags, true);
}

Status RingBuf::output(const void *data, std::uint64_t size,
                       std::uint64_t flags) {
  if (flags & ~(kBpfRbNoWakeup | kBpfRbForceWakeup))
    return Errno::Inval;
  void *sample = reserve(size, 0);
  if (sample == nullptr)
    return Errno::Again;
  std::memcpy(sample, data, size);
  submit(sample, flags);
  return {};
}

std::uint64_t RingBuf::query(std::uint64_t flags) const {
  std::uint64_t cons = consumer_pos_->load(std::memory_order_acquire);
  std::uint64_t prod = producer_pos_->load(std::memory_order_acquire);
  switch (flags) {
  case kBpfRbAvailData:
    return prod - cons;
  case kBpfRbRingSize:
    return size_;
  case kBpfRbConsPos:
    return cons;
  case kBpfRbProdPos:
    return prod;
  default:
    return 0;
  }
}

long RingBuf::consume(
    const std::function<int(const void *, std::uint32_t)> &fn) {
  long count = 0;
  std::uint64_t cons_pos = consumer_pos_->load(std::memory_order_acquire);
  bool got_new_data = true;
  while (got_new_data) {
    got_new_data = false;
    std::uint64_t prod_pos = producer_pos_->load(std::memory_order_acquire);
    while (cons_pos < prod_pos) {
      unsigned char *header = data() + (cons_pos & mask_);
      std::uint32_t len = header_len(header).load(std::memory_order_acquire);
      if (len & kRingbufBusyBit)
        return count;
      got_new_data = true;
      cons_pos += record_length(len);
      if (!(len & kRingbufDiscardBit)) {
        int err = fn(header + kRingbufHeaderSize, len & ~kRingbufDiscardBit);
        if (err < 0) {
          consumer_pos_->store(cons_pos, std::memory_order_release);
          return err;
        }
        ++count;
      }
      consumer_pos_->store(cons_pos, std::memory_order_release);
    }
  }
  return count;
}

} // namespace bpfhost::maps
