// Ring buffer: reserve/submit/discard, room accounting, wraparound, the
// consumer's view of Linux's page layout, query and wakeups.
#include "map_test_util.hpp"

#include "maps/ringbuf.hpp"

#include <cstring>

namespace bpfhost::maps {
namespace {

using namespace testing;

std::shared_ptr<RingBuf> ring(std::uint32_t size = 4096) {
  return std::static_pointer_cast<RingBuf>(
      must_create(attr_of(MapType::Ringbuf, 0, 0, size)));
}

std::vector<std::vector<unsigned char>> drain(RingBuf &rb) {
  std::vector<std::vector<unsigned char>> out;
  rb.consume([&](const void *p, std::uint32_t n) {
    auto *b = static_cast<const unsigned char *>(p);
    out.emplace_back(b, b + n);
    return 0;
  });
  return out;
}

// Room: at most size - 1 bytes between consumer and producer, 8-byte
// headers, records padded to 8 (Linux's __bpf_ringbuf_reserve).
TEST(RingBuf, ReserveRoom) {
  struct Row {
    const char *name;
    std::vector<std::uint64_t> held; // reserved and not consumed first
    std::uint64_t size;
    std::uint64_t flags;
    bool fits;
  };
  const Row rows[] = {
      {"small", {}, 1, 0, true},
      {"largest record", {}, 4096 - 16, 0, true},
      {"whole ring is too much", {}, 4096 - 8, 0, false},
      {"larger than the ring", {}, 5000, 0, false},
      {"flags must be 0", {}, 8, 1, false},
      {"after a held record: fits", {2000}, 2000 - 24, 0, true},
      {"after a held record: full", {2000}, 2100, 0, false},
      {"two held records", {1000, 1000}, 2040, 0, true},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto rb = ring();
    for (std::uint64_t size : row.held)
      ASSERT_NE(rb->reserve(size, 0), nullptr);
    EXPECT_EQ(rb->reserve(row.size, row.flags) != nullptr, row.fits);
  }
}

TEST(RingBuf, SubmitDiscardAndConsume) {
  auto rb = ring();
  auto *a = static_cast<unsigned char *>(rb->reserve(3, 0));
  auto *b = static_cast<unsigned char *>(rb->reserve(5, 0));
  ASSERT_TRUE(a && b);
  std::memcpy(a, "abc", 3);
  std::memcpy(b, "defgh", 5);
  // The oldest record is still reserved: nothing to read yet.
  rb->submit(b, 0);
  EXPECT_TRUE(drain(*rb).empty());
  EXPECT_EQ(rb->query(kBpfRbConsPos), 0u);
  rb->discard(a, 0);
  auto got = drain(*rb);
  ASSERT_EQ(got.size(), 1u); // the discarded one is skipped
  EXPECT_EQ(std::string(got[0].begin(), got[0].end()), "defgh");
  EXPECT_EQ(rb->query(kBpfRbConsPos), 32u); // 2 * round_up(8 + n, 8)
  EXPECT_EQ(rb->query(kBpfRbProdPos), 32u);
  EXPECT_EQ(rb->query(kBpfRbAvailData), 0u);
  EXPECT_EQ(rb->query(kBpfRbRingSize), 4096u);
  EXPECT_EQ(rb->query(99), 0u);
}

TEST(RingBuf, Output) {
  auto rb = ring();
  EXPECT_TRUE(rb->output("hi", 2, 0).ok());
  EXPECT_EQ(rb->output("hi", 2, 4).code(), Errno::Inval);
  std::vector<unsigned char> big(4080);
  EXPECT_EQ(rb->output(big.data(), big.size(), 0).code(), Errno::Again);
  EXPECT_EQ(drain(*rb).size(), 1u);
  EXPECT_TRUE(rb->output(big.data(), big.size(), 0).ok());
}

// A consumer reading Linux's mmap layout directly: positions at the start of
// the first two pages, records at data + (pos & mask), readable
// contiguously even when they wrap (the data area is mapped twice in Linux;
// here the second copy holds the wrapped part and the first gets a mirror).
TEST(RingBuf, WraparoundAndRawConsumerView) {
  auto rb = ring();
  auto *mem = rb->memory();
  auto pos = [&](std::size_t off) {
    std::uint64_t v;
    std::memcpy(&v, mem + off, 8);
    return v;
  };
  for (unsigned round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    auto *p = static_cast<unsigned char *>(rb->reserve(1000, 0));
    ASSERT_NE(p, nullptr);
    for (unsigned i = 0; i < 1000; ++i)
      p[i] = static_cast<unsigned char>(round + i);
    rb->submit(p, 0);
    std::uint64_t cons = pos(0);
    ASSERT_EQ(pos(RingBuf::kPage), cons + 1008);
    const unsigned char *hdr = mem + 2 * RingBuf::kPage + (cons & 4095);
    std::uint32_t len, pg_off;
    std::memcpy(&len, hdr, 4);
    std::memcpy(&pg_off, hdr + 4, 4);
    EXPECT_EQ(len, 1000u);
    EXPECT_EQ(pg_off, 2 + (cons & 4095) / 4096);
    bool wraps = (cons & 4095) + 1008 > 4096;
    for (unsigned i = 0; i < 1000; ++i) {
      ASSERT_EQ(hdr[8 + i], static_cast<unsigned char>(round + i)) << i;
      std::size_t at = ((cons & 4095) + 8 + i) & 4095;
      ASSERT_EQ(mem[2 * RingBuf::kPage + at],
                static_cast<unsigned char>(round + i))
          << "mirror " << i << (wraps ? " (wrapped)" : "");
    }
    auto got = drain(*rb);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0][999], static_cast<unsigned char>(round + 999));
    EXPECT_EQ(pos(0), cons + 1008);
  }
}

TEST(RingBuf, Wakeups) {
  struct Row {
    const char *name;
    bool consumer_behind; // an earlier record is not consumed
    std::uint64_t flags;
    std::uint64_t wakeups;
  };
  const Row rows[] = {
      {"consumer caught up", false, 0, 1},
      {"consumer behind", true, 0, 1}, // only the first record woke it
      {"no wakeup", false, kBpfRbNoWakeup, 0},
      {"forced", true, kBpfRbForceWakeup, 2},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto rb = ring();
    if (row.consumer_behind)
      rb->submit(rb->reserve(8, 0), 0);
    rb->submit(rb->reserve(8, 0), row.flags);
    EXPECT_EQ(rb->wakeup_count(), row.wakeups);
  }
}

TEST(RingBuf, NoKeyedOperations) {
  auto rb = ring();
  unsigned char buf[8] = {};
  EXPECT_EQ(rb->sys_lookup(buf, buf, 0).code(), Errno::NotSupp);
  EXPECT_EQ(rb->sys_update(buf, buf, 0).code(), Errno::NotSupp);
  EXPECT_EQ(rb->sys_delete(buf).code(), Errno::NotSupp);
  EXPECT_EQ(rb->get_next_key(nullptr, buf).code(), Errno::NotSupp);
}

} // namespace
} // namespace bpfhost::maps
