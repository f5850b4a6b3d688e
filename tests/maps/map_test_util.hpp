// Shared helpers of the map tests: maps over a fixed number of CPUs, and
// keys and values as little-endian integers.
#pragma once

#include "maps/map.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace bpfhost::maps::testing {

// CPUs the tests' epoch domains have (fixed, so expectations do not depend on
// the machine).
inline constexpr unsigned kTestCpus = 4;

// An environment over a fresh domain with `cpus` slots, kept alive until the
// test program exits.
MapEnvironment test_env(unsigned cpus = kTestCpus);

// create_map() that fails the test on error.
std::shared_ptr<Map> must_create(const MapAttr &attr,
                                 const MapEnvironment &env = test_env());

// MapAttr in one line.
MapAttr attr_of(MapType type, std::uint32_t key_size, std::uint32_t value_size,
                std::uint32_t max_entries, std::uint32_t flags = 0);

// The `size` low bytes of `v`, little-endian.
std::vector<unsigned char> bytes(std::uint64_t v, std::size_t size);
// The little-endian integer in the first (up to 8) bytes.
std::uint64_t as_int(const void *p, std::size_t size);

// An IPv4 / IPv6 LPM key: prefixlen, then the address bytes.
std::vector<unsigned char> lpm4(std::uint32_t prefixlen, unsigned a, unsigned b,
                                unsigned c, unsigned d);
std::vector<unsigned char> lpm6(std::uint32_t prefixlen,
                                std::vector<std::uint16_t> groups);

} // namespace bpfhost::maps::testing

namespace bpfhost::maps::testing {

// One step of a scripted table row: an operation with integer keys and
// values (little-endian, sized by the map) and what it must return.
struct Step {
  enum Kind {
    Update,     // sys_update(key, value, flags)
    Lookup,     // sys_lookup(key): status, and value when OK
    Delete,     // sys_delete(key)
    LookupDel,  // sys_lookup_and_delete(key): status, value when OK
    Next,       // get_next_key(key, or null when key == kNoKey)
    ProgUpdate, // update(key, value, flags, slot = flags >> 32)
    ProgLookup, // lookup(key, slot = flags): value, or null when expect != OK
    ProgDelete, // erase(key)
    Push,       // push(value, flags)
    Pop,        // pop(): status, value when OK
    Peek,       // peek(): status, value when OK
  };
  Kind kind;
  std::uint64_t key = 0;
  std::uint64_t value = 0;
  std::uint64_t flags = 0;
  Errno expect = Errno::Ok;
};

inline constexpr std::uint64_t kNoKey = ~std::uint64_t{0};

// Runs `steps` on `map` in order, reporting the index of a failing step.
// Per-CPU user-view values compare the first CPU's value only.
void run_steps(Map &map, const std::vector<Step> &steps);

} // namespace bpfhost::maps::testing

namespace bpfhost::maps::testing::steps {

// Short spellings of steps, so a table row fits on a line.
inline Step upd(std::uint64_t k, std::uint64_t v, std::uint64_t f = kBpfAny,
                Errno e = Errno::Ok) {
  return {Step::Update, k, v, f, e};
}
inline Step get(std::uint64_t k, std::uint64_t v) {
  return {Step::Lookup, k, v, 0, Errno::Ok};
}
inline Step miss(std::uint64_t k, Errno e = Errno::NoEnt) {
  return {Step::Lookup, k, 0, 0, e};
}
inline Step del(std::uint64_t k, Errno e = Errno::Ok) {
  return {Step::Delete, k, 0, 0, e};
}
inline Step take(std::uint64_t k, std::uint64_t v, Errno e = Errno::Ok) {
  return {Step::LookupDel, k, v, 0, e};
}
inline Step next(std::uint64_t k, std::uint64_t n, Errno e = Errno::Ok) {
  return {Step::Next, k, n, 0, e};
}
inline Step pupd(std::uint64_t k, std::uint64_t v, std::uint32_t slot,
                 std::uint64_t f = kBpfAny, Errno e = Errno::Ok) {
  return {Step::ProgUpdate, k, v, (std::uint64_t{slot} << 32) | f, e};
}
inline Step pget(std::uint64_t k, std::uint64_t v, std::uint32_t slot = 0) {
  return {Step::ProgLookup, k, v, slot, Errno::Ok};
}
inline Step pmiss(std::uint64_t k, std::uint32_t slot = 0) {
  return {Step::ProgLookup, k, 0, slot, Errno::NoEnt};
}
inline Step pdel(std::uint64_t k, Errno e = Errno::Ok) {
  return {Step::ProgDelete, k, 0, 0, e};
}
inline Step push(std::uint64_t v, std::uint64_t f = kBpfAny,
                 Errno e = Errno::Ok) {
  return {Step::Push, 0, v, f, e};
}
inline Step pop(std::uint64_t v, Errno e = Errno::Ok) {
  return {Step::Pop, 0, v, 0, e};
}
inline Step peek(std::uint64_t v, Errno e = Errno::Ok) {
  return {Step::Peek, 0, v, 0, e};
}

} // namespace bpfhost::maps::testing::steps
