// A small lock for the short critical sections of map updates (the kernel
// uses raw spinlocks there); spins briefly, then yields the processor.
#pragma once

#include <atomic>
#include <thread>

namespace bpfhost::maps {

class SpinLock {
public:
  void lock() {
    for (unsigned spins = 0;; ++spins) {
      if (!locked_.load(std::memory_order_relaxed) &&
          !locked_.exchange(true, std::memory_order_acquire))
        return;
      if (spins >= 64)
        std::this_thread::yield();
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

} // namespace bpfhost::maps
