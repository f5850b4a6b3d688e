// The benchmark workloads written in C++, compiled natively in a separate
// translation unit (so the optimiser cannot see the inputs): the baseline that
// interpreter figures are reported against.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bpfhost::bench {

// 50,000 rounds of xorshift64 from *seed, returning the sum of the states.
uint64_t native_xorshift_loop(const uint64_t *seed);

// Ethernet/IPv4/UDP parse, 5-tuple mix and FNV-1a over the payload; 0 for
// frames that are not IPv4/UDP or are too short.
uint64_t native_udp_hash(const uint8_t *frame, size_t length);

} // namespace bpfhost::bench
