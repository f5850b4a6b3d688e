// A fixed array of optional values readable without locks: each slot points
// to an immutable holder that writers swap atomically and retire to the
// epochs. The storage of prog arrays, arrays of maps, devmaps and perf event
// arrays. Internal to src/maps.
#pragma once

#include "maps/epoch.hpp"

#include <atomic>
#include <cstdint>
#include <memory>

namespace bpfhost::maps {

template <class T> class SlotArray {
public:
  SlotArray(std::uint32_t size, EpochDomain &epochs)
      : size_(size), slots_(new std::atomic<Holder *>[size]), epochs_(epochs) {
    for (std::uint32_t i = 0; i < size_; ++i)
      slots_[i].store(nullptr, std::memory_order_relaxed);
  }
  ~SlotArray() {
    for (std::uint32_t i = 0; i < size_; ++i)
      delete slots_[i].load(std::memory_order_relaxed);
  }
  SlotArray(const SlotArray &) = delete;
  SlotArray &operator=(const SlotArray &) = delete;

  std::uint32_t size() const { return size_; }

  // The value in slot `index` (below size()), or null; valid until the
  // caller's epoch ends.
  T *get(std::uint32_t index) const {
    Holder *holder = slots_[index].load(std::memory_order_acquire);
    return holder != nullptr ? &holder->value : nullptr;
  }
  // Stores `value` in slot `index`; returns whether the slot held one.
  bool set(std::uint32_t index, T value) {
    auto *holder = new Holder(std::move(value));
    return replace(index, holder);
  }
  // Empties slot `index`; returns whether it held a value.
  bool clear(std::uint32_t index) { return replace(index, nullptr); }

private:
  struct Holder : Retired {
    explicit Holder(T v) : value(std::move(v)) {
      reclaim = [](Retired *item) { delete static_cast<Holder *>(item); };
    }
    T value;
  };

  bool replace(std::uint32_t index, Holder *holder) {
    Holder *old = slots_[index].exchange(holder, std::memory_order_acq_rel);
    if (old == nullptr)
      return false;
    epochs_.retire(old);
    return true;
  }

  std::uint32_t size_;
  std::unique_ptr<std::atomic<Holder *>[]> slots_;
  EpochDomain &epochs_;
};

} // namespace bpfhost::maps
