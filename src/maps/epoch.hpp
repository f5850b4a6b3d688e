// Epoch-based reclamation: map lookups run without locks, so memory that an
// update or delete unlinks is freed only once no running program can still
// hold a pointer into it (the kernel uses RCU for the same purpose).
//
// Readers (programs) announce themselves per invocation: the runtime calls
// enter(slot) before a run and exit(slot) after it. Writers unlink under their
// own locks, then retire() the memory; it is reclaimed once every reader that
// was active when it was retired has exited.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace bpfhost::maps {

// The processor slot of a running program: an index below
// EpochDomain::slot_count() (= the number of per-CPU values of per-CPU maps).
// The runtime guarantees that no two running programs use the same slot at the
// same time; what a program's bpf_get_smp_processor_id() returns.
struct ExecutionSlot {
  std::uint32_t index = 0;
};

// Header of retirable memory: embed it (as a base or first member) in what
// writers unlink, and set `reclaim` to the function that frees the whole
// object. Fields other than `reclaim` belong to the EpochDomain.
struct Retired {
  Retired *next = nullptr;
  std::uint64_t epoch = 0;
  void (*reclaim)(Retired *) = nullptr;
};

// The readers and the retired memory of one execution context. Thread-safe.
class EpochDomain {
public:
  // A domain for `slots` program slots (at least 1) and `external_slots`
  // records for readers outside programs (user-space map operations).
  explicit EpochDomain(unsigned slots, unsigned external_slots = 4);
  // Frees everything still retired; no reader may be active.
  ~EpochDomain();
  EpochDomain(const EpochDomain &) = delete;
  EpochDomain &operator=(const EpochDomain &) = delete;

  // Number of program slots.
  unsigned slot_count() const { return slots_; }

  // Marks the program on `slot` as running: memory it can reach stays valid
  // until exit(slot). Nests (only the outermost pair counts).
  void enter(ExecutionSlot slot);
  // Marks the program on `slot` as no longer running.
  void exit(ExecutionSlot slot);

  // enter() in the constructor, exit() in the destructor.
  class Guard {
  public:
    Guard(EpochDomain &domain, ExecutionSlot slot)
        : domain_(domain), slot_(slot) {
      domain_.enter(slot_);
    }
    ~Guard() { domain_.exit(slot_); }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;

  private:
    EpochDomain &domain_;
    ExecutionSlot slot_;
  };

  // Protects a reader that is not a program (a bpf() map operation from any
  // thread) by claiming one of the external records for its lifetime; waits
  // if all are in use.
  class ExternalGuard {
  public:
    explicit ExternalGuard(EpochDomain &domain);
    ~ExternalGuard();
    ExternalGuard(const ExternalGuard &) = delete;
    ExternalGuard &operator=(const ExternalGuard &) = delete;

  private:
    EpochDomain &domain_;
    unsigned record_;
  };

  // Hands `item` (already unlinked from every structure a reader can reach)
  // to the domain, which calls item->reclaim(item) once no reader active now
  // can still see it. May reclaim older items on the way.
  void retire(Retired *item);
  // Runs `fn` once no reader active now can still see what it frees (for
  // things without a Retired header, such as references held by maps).
  void retire(std::function<void()> fn);

  // Frees every retired item that no active reader can see; returns how many.
  std::size_t reclaim();
  // Waits until every item retired before the call has been freed. Must not
  // be called by a reader (it would wait for itself).
  void synchronize();
  // Number of retired items not yet freed.
  std::size_t pending() const {
    return pending_.load(std::memory_order_relaxed);
  }

private:
  struct alignas(64) Record {
    // 0 when not reading, else the global epoch seen on entry.
    std::atomic<std::uint64_t> epoch{0};
    // Nesting depth; only touched by the record's current owner.
    std::uint32_t depth = 0;
    // External records only: whether a guard holds it.
    std::atomic<bool> claimed{false};
  };

  struct ReclaimOutcome {
    bool ran = false;
    std::size_t freed = 0;
    std::uint64_t oldest_kept = UINT64_MAX;
  };

  ReclaimOutcome reclaim_once();
  void enter_record(Record &record);
  void exit_record(Record &record);
  void push_retired(Retired *first, Retired *last);

  unsigned slots_;
  unsigned records_count_;
  std::unique_ptr<Record[]> records_;
  alignas(64) std::atomic<std::uint64_t> global_{1};
  std::atomic<Retired *> retired_{nullptr};
  std::atomic<std::size_t> pending_{0};
  std::atomic<bool> reclaiming_{false};
};

} // namespace bpfhost::maps
