#include "native_workloads.hpp"

#include <cstring>

namespace bpfhost::bench {
namespace {

// Little-endian loads, as the BPF program's ldx instructions do them.
template <class T> T load(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

constexpr uint64_t kFnvPrime = 0x100000001b3;

} // namespace

uint64_t native_xorshift_loop(const uint64_t *seed) {
  uint64_t x = *seed, sum = 0;
  for (int i = 0; i < 50000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    sum += x;
  }
  return sum;
}

uint64_t native_udp_hash(const uint8_t *frame, size_t length) {
  if (length < 42 || load<uint16_t>(frame + 12) != 0x0008)
    return 0;
  const unsigned ihl = frame[14] & 0x0f;
  if (ihl < 5 || frame[23] != 17)
    return 0;
  const uint8_t *udp = frame + 14 + ihl * 4;
  const uint8_t *payload = udp + 8;
  const uint8_t *end = frame + length;
  if (payload > end)
    return 0;
  uint64_t h = 0xcbf29ce484222325;
  h = (h ^ load<uint32_t>(frame + 26)) * kFnvPrime;
  h = (h ^ load<uint32_t>(frame + 30)) * kFnvPrime;
  h = (h ^ load<uint32_t>(udp)) * kFnvPrime;
  h = (h ^ 17) * kFnvPrime;
  for (const uint8_t *p = payload; p < end; ++p)
    h = (h ^ *p) * kFnvPrime;
  return h;
}

} // namespace bpfhost::bench
