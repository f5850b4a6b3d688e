// Epoch-based reclamation (see epoch.hpp).
//
// Correctness argument. A writer unlinks an item, then issues a full fence and
// stamps the item with the global epoch r. The reclaimer takes the retired
// list, issues a full fence, increments the global epoch and reads every
// reader record. It frees an item only if each active record holds an epoch
// e > r:
//  * a reader whose record it saw inactive either had exited (its exit store
//    is a release the scan acquires) or had not yet published its record; in
//    the second case the reader's fence comes after the reclaimer's in the
//    single total order of fences, so every load the reader makes after its
//    fence observes the unlink (store-buffering with fences on both sides);
//  * a reader that entered with e > r read a global epoch written after the
//    writer's stamp, so its fence follows the writer's and it cannot reach
//    the unlinked item either.
//
// ThreadSanitizer does not model fences (GCC warns and then ignores them), so
// under TSan the fences are seq_cst read-modify-writes of one shared word:
// both sides of store-buffering then synchronise through it, which TSan sees.
#include "maps/epoch.hpp"

#include <algorithm>
#include <limits>
#include <thread>

#if defined(__SANITIZE_THREAD__)
#define BPFHOST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BPFHOST_TSAN 1
#endif
#endif

namespace bpfhost::maps {
namespace {

// Reclaim once this many items wait.
constexpr std::size_t kReclaimThreshold = 64;

#ifdef BPFHOST_TSAN
std::atomic<std::uint64_t> tsan_fence_word{0};
void full_fence() { tsan_fence_word.fetch_add(0, std::memory_order_seq_cst); }
#else
void full_fence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
#endif

// A retired std::function.
struct RetiredFunction {
  Retired header;
  std::function<void()> fn;
};

void reclaim_function(Retired *item) {
  auto *holder = reinterpret_cast<RetiredFunction *>(item);
  holder->fn();
  delete holder;
}

} // namespace

EpochDomain::EpochDomain(unsigned slots, unsigned external_slots)
    : slots_(std::max(slots, 1u)),
      records_count_(slots_ + std::max(external_slots, 1u)),
      records_(new Record[records_count_]) {}

EpochDomain::~EpochDomain() {
  Retired *item = retired_.exchange(nullptr, std::memory_order_acquire);
  while (item != nullptr) {
    Retired *next = item->next;
    item->reclaim(item);
    item = next;
  }
}

void EpochDomain::enter_record(Record &record) {
  if (record.depth++ != 0)
    return;
  record.epoch.store(global_.load(std::memory_order_acquire),
                     std::memory_order_relaxed);
  full_fence();
}

void EpochDomain::exit_record(Record &record) {
  if (--record.depth != 0)
    return;
  record.epoch.store(0, std::memory_order_release);
}

void EpochDomain::enter(ExecutionSlot slot) {
  enter_record(records_[slot.index]);
}

void EpochDomain::exit(ExecutionSlot slot) {
  exit_record(records_[slot.index]);
}

EpochDomain::ExternalGuard::ExternalGuard(EpochDomain &domain)
    : domain_(domain), record_(domain.slots_) {
  for (;;) {
    for (unsigned i = domain_.slots_; i < domain_.records_count_; ++i) {
      bool expected = false;
      if (domain_.records_[i].claimed.compare_exchange_strong(
              expected, true, std::memory_order_acquire)) {
        record_ = i;
        domain_.enter_record(domain_.records_[i]);
        return;
      }
    }
    std::this_thread::yield();
  }
}

EpochDomain::ExternalGuard::~ExternalGuard() {
  domain_.exit_record(domain_.records_[record_]);
  domain_.records_[record_].claimed.store(false, std::memory_order_release);
}

void EpochDomain::push_retired(Retired *first, Retired *last) {
  Retired *head = retired_.load(std::memory_order_relaxed);
  do {
    last->next = head;
  } while (!retired_.compare_exchange_weak(
      head, first, std::memory_order_release, std::memory_order_relaxed));
}

void EpochDomain::retire(Retired *item) {
  full_fence();
  item->epoch = global_.load(std::memory_order_relaxed);
  push_retired(item, item);
  if (pending_.fetch_add(1, std::memory_order_relaxed) + 1 >= kReclaimThreshold)
    reclaim();
}

void EpochDomain::retire(std::function<void()> fn) {
  auto *holder = new RetiredFunction{{}, std::move(fn)};
  holder->header.reclaim = &reclaim_function;
  retire(&holder->header);
}

EpochDomain::ReclaimOutcome EpochDomain::reclaim_once() {
  ReclaimOutcome outcome;
  if (reclaiming_.exchange(true, std::memory_order_acquire))
    return outcome; // another thread is reclaiming
  outcome.ran = true;
  Retired *list = retired_.exchange(nullptr, std::memory_order_acq_rel);
  full_fence();
  global_.fetch_add(1, std::memory_order_seq_cst);
  std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
  for (unsigned i = 0; i < records_count_; ++i) {
    std::uint64_t e = records_[i].epoch.load(std::memory_order_acquire);
    if (e != 0)
      oldest = std::min(oldest, e);
  }
  Retired *keep_first = nullptr;
  Retired *keep_last = nullptr;
  while (list != nullptr) {
    Retired *next = list->next;
    if (list->epoch < oldest) {
      list->reclaim(list);
      ++outcome.freed;
    } else {
      outcome.oldest_kept = std::min(outcome.oldest_kept, list->epoch);
      list->next = keep_first;
      keep_first = list;
      if (keep_last == nullptr)
        keep_last = list;
    }
    list = next;
  }
  if (keep_first != nullptr)
    push_retired(keep_first, keep_last);
  pending_.fetch_sub(outcome.freed, std::memory_order_relaxed);
  reclaiming_.store(false, std::memory_order_release);
  return outcome;
}

std::size_t EpochDomain::reclaim() { return reclaim_once().freed; }

void EpochDomain::synchronize() {
  // Items retired before this call carry an epoch below `target`; a reclaim
  // pass that ran (nobody else held the list) and kept none of them is the
  // end. Each pass advances the global epoch, so readers that enter later do
  // not hold it back.
  full_fence();
  std::uint64_t target = global_.load(std::memory_order_seq_cst) + 1;
  for (;;) {
    ReclaimOutcome outcome = reclaim_once();
    if (outcome.ran && outcome.oldest_kept >= target)
      return;
    std::this_thread::yield();
  }
}

} // namespace bpfhost::maps
