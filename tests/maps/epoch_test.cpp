#include <optional>
// Epoch-based reclamation: what is retired while a reader is inside stays
// until that reader exits.
#include "maps/epoch.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace bpfhost::maps {
namespace {

struct Flagged : Retired {
  explicit Flagged(bool &freed) : freed(freed) {
    reclaim = [](Retired *item) {
      auto *self = static_cast<Flagged *>(item);
      self->freed = true;
      delete self;
    };
  }
  bool &freed;
};

TEST(Epoch, Table) {
  struct Row {
    const char *name;
    bool reader_in_slot;     // slot 1 inside when retiring
    bool reader_nested;      // slot 1 entered twice, exits once
    bool external_reader;    // an ExternalGuard held when retiring
    bool freed_while_inside; // expectation before the reader leaves
  };
  const Row rows[] = {
      {"no reader: freed at once", false, false, false, true},
      {"reader inside: kept", true, false, false, false},
      {"nested reader still inside: kept", true, true, false, false},
      {"external reader: kept", false, false, true, false},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    EpochDomain domain(2);
    bool freed = false;
    {
      if (row.reader_in_slot)
        domain.enter(ExecutionSlot{1});
      if (row.reader_nested) {
        domain.enter(ExecutionSlot{1});
        domain.exit(ExecutionSlot{1});
      }
      std::optional<EpochDomain::ExternalGuard> external;
      if (row.external_reader)
        external.emplace(domain);
      domain.retire(new Flagged(freed));
      EXPECT_EQ(domain.pending(), 1u);
      domain.reclaim();
      EXPECT_EQ(freed, row.freed_while_inside);
      if (row.reader_in_slot)
        domain.exit(ExecutionSlot{1});
    }
    domain.reclaim();
    EXPECT_TRUE(freed);
    EXPECT_EQ(domain.pending(), 0u);
  }
}

// Readers that enter after a reclaim pass has moved the epoch past an item
// do not hold it back.
TEST(Epoch, LaterReadersDoNotBlock) {
  EpochDomain domain(2);
  bool freed = false;
  domain.enter(ExecutionSlot{1});
  domain.retire(new Flagged(freed));
  domain.reclaim(); // kept for slot 1; the epoch moves on
  EXPECT_FALSE(freed);
  domain.exit(ExecutionSlot{1});
  EpochDomain::Guard later(domain, ExecutionSlot{0});
  domain.reclaim();
  EXPECT_TRUE(freed);
}

TEST(Epoch, SynchronizeWaitsForReaders) {
  EpochDomain domain(2);
  bool freed = false;
  std::atomic<bool> inside{false}, release{false};
  std::thread reader([&] {
    EpochDomain::Guard guard(domain, ExecutionSlot{1});
    inside = true;
    while (!release)
      std::this_thread::yield();
  });
  while (!inside)
    std::this_thread::yield();
  domain.retire(new Flagged(freed));
  std::thread waiter([&] { domain.synchronize(); });
  domain.reclaim();
  EXPECT_FALSE(freed);
  release = true;
  waiter.join();
  reader.join();
  EXPECT_TRUE(freed);
}

TEST(Epoch, DestructorFreesPending) {
  bool freed = false;
  {
    EpochDomain domain(1);
    domain.enter(ExecutionSlot{0});
    domain.retire(new Flagged(freed));
    domain.exit(ExecutionSlot{0});
  }
  EXPECT_TRUE(freed);
}

} // namespace
} // namespace bpfhost::maps
